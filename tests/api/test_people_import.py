"""Personnel import: a coordinator loads the department's people from its HR file, checks
it with a dry run, and imports it all-or-nothing; the same file twice changes nothing."""

import io
import time

import openpyxl

from models import AuditEntry, Person, PersonExternalId
from operations import people_import
from tests.helpers import assert_error, trail

HEADER = "first_name,last_name,employee_id,email,external_ids.state_post,active\n"


def upload(caller, agency, content, name="personnel.csv", dry_run=False):
    path = f"/agencies/{agency['id']}/people/import" + ("?dry_run=true" if dry_run else "")
    if isinstance(content, str):
        content = content.encode()
    return caller.post(
        path, data={"file": (io.BytesIO(content), name)}, content_type="multipart/form-data"
    )


def statuses(report):
    return [(r["row"], r["status"]) for r in report["rows"]]


def police_people(world):
    return {p.employee_id: p for p in Person.select().where(Person.agency == world.police["id"])}


ROSTER = HEADER + (
    "Dana,Kowalski,P-20,dana@rpd.test,IL-2001,true\n"
    "Luis,Ortega,P-21,LUIS@RPD.TEST,,\n"
    "Sean,O'Brien,P-7,sean.obrien@rpd.test,,\n"
)


def test_the_dry_run_reports_each_row_and_writes_nothing(world):
    response = upload(world.police_coordinator, world.police, ROSTER, dry_run=True)
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert (report["dry_run"], report["imported"]) == (True, False)
    assert statuses(report) == [(2, "created"), (3, "created"), (4, "updated")]
    assert report["rows"][2]["matched_by"] == "employee_id"
    assert report["rows"][2]["changes"] == ["email"]
    assert (report["created"], report["updated"], report["unchanged"], report["refused"]) == (
        2,
        1,
        0,
        0,
    )
    assert set(police_people(world)) == {"P-7"}
    assert trail(world, "people_import", world.police["id"]) == []


def test_the_import_creates_and_updates_people(world):
    response = upload(world.police_coordinator, world.police, ROSTER)
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert (report["imported"], report["created"], report["updated"]) == (True, 2, 1)
    people = police_people(world)
    assert set(people) == {"P-7", "P-20", "P-21"}
    dana = people["P-20"]
    assert (dana.first_name, dana.last_name, dana.email, dana.external_ids, dana.active) == (
        "Dana",
        "Kowalski",
        "dana@rpd.test",
        {"state_post": "IL-2001"},
        True,
    )
    assert people["P-21"].email == "luis@rpd.test"
    assert people["P-7"].email == "sean.obrien@rpd.test"
    assert people["P-7"].external_ids == {"state_post": "IL-55501"}  # blank cell: kept
    assert report["rows"][0]["person_id"] == dana.id
    lookup = PersonExternalId.get(PersonExternalId.scheme == "state_post")
    assert lookup.person_id in (dana.id, people["P-7"].id)
    assert (
        PersonExternalId.select()
        .where(PersonExternalId.scheme == "state_post", PersonExternalId.value == "IL-2001")
        .get()
        .person_id
        == dana.id
    )


def test_imported_people_are_read_through_the_api(world):
    upload(world.police_coordinator, world.police, ROSTER)
    found = world.police_coordinator.get("/people?employee_id=P-20").get_json()
    assert [(p["first_name"], p["external_ids"]) for p in found] == [
        ("Dana", {"state_post": "IL-2001"})
    ]


def test_the_same_file_twice_changes_nothing(world):
    first = upload(world.police_coordinator, world.police, ROSTER).get_json()
    before = list(Person.select().order_by(Person.id).dicts())
    audit_count = AuditEntry.select().count()
    second = upload(world.police_coordinator, world.police, ROSTER)
    assert second.status_code == 200
    report = second.get_json()
    assert statuses(report) == [(2, "unchanged"), (3, "unchanged"), (4, "unchanged")]
    assert [r["person_id"] for r in report["rows"]] == [r["person_id"] for r in first["rows"]]
    assert list(Person.select().order_by(Person.id).dicts()) == before
    assert AuditEntry.select().count() == audit_count


def test_the_import_is_one_audit_entry_with_counts_and_the_files_digest(world):
    report = upload(world.police_coordinator, world.police, ROSTER).get_json()
    (entry,) = trail(world, "people_import", world.police["id"])
    assert entry["action"] == "import"
    assert entry["user_email"] == "pc@rpd.test"
    after = entry["after"]
    assert (after["created"], after["updated"], after["unchanged"], after["refused"]) == (
        2,
        1,
        0,
        0,
    )
    assert after["file"]["sha256"] == report["file"]["sha256"]
    assert len(after["file"]["sha256"]) == 64
    assert after["people"] == [
        [row["row"], row["person_id"], row["status"]] for row in report["rows"]
    ]


def test_each_persons_change_can_be_reconstructed_from_their_trail(world):
    upload(world.police_coordinator, world.police, ROSTER)
    sean = trail(world, "person", world.officer_person["id"])[-1]
    assert sean["action"] == "update"
    assert (sean["before"]["email"], sean["after"]["email"]) == (None, "sean.obrien@rpd.test")
    assert "row 4" in sean["reason"]
    dana_id = police_people(world)["P-20"].id
    (created,) = trail(world, "person", dana_id)
    assert created["action"] == "create" and created["before"] is None
    assert created["after"]["external_ids"] == {"state_post": "IL-2001"}


def test_active_false_deactivates_a_person_who_left_and_keeps_them(world):
    upload(world.police_coordinator, world.police, ROSTER)
    response = upload(world.police_coordinator, world.police, "employee_id,active\nP-21,false\n")
    assert response.status_code == 200, response.get_json()
    row = response.get_json()["rows"][0]
    assert (row["status"], row["changes"]) == ("updated", ["active"])
    luis = police_people(world)["P-21"]
    assert (luis.active, luis.first_name) == (False, "Luis")
    again = upload(world.police_coordinator, world.police, "employee_id,active\nP-21,true\n")
    assert again.get_json()["rows"][0]["changes"] == ["active"]
    assert police_people(world)["P-21"].active is True


def test_rows_match_by_regulator_id_then_email_as_walk_ins_do(world):
    body = (
        "first_name,last_name,email,external_ids.state_post\n"
        "Sean,O'Brien,,IL-55501\n"
        "Ana,Ramírez,,\n"
    )
    upload(
        world.police_coordinator, world.police, "first_name,last_name,email\nMo,Reyes,mo@rpd.test\n"
    )
    response = upload(
        world.police_coordinator,
        world.police,
        body.replace("Ana,Ramírez,,", "Mo,Reyes,MO@rpd.test,IL-3"),
        dry_run=True,
    )
    rows = response.get_json()["rows"]
    assert [(r["status"], r["matched_by"]) for r in rows] == [
        ("unchanged", "external_ids.state_post"),
        ("updated", "email"),
    ]
    assert rows[1]["changes"] == ["external_ids"]


def test_a_bad_row_is_reported_by_number_and_column(world):
    body = HEADER + (
        "Dana,Kowalski,P-20,dana@rpd.test,,true\n"
        "Luis,Ortega,P-21,not-an-address,,maybe\n"
        ",Reyes,P-22,,,\n"
    )
    response = upload(world.police_coordinator, world.police, body, dry_run=True)
    assert response.status_code == 200
    report = response.get_json()
    assert statuses(report) == [(2, "created"), (3, "refused"), (4, "refused")]
    assert report["rows"][1]["errors"] == [
        {"column": "email", "message": "'not-an-address' is not an e-mail address."},
        {"column": "active", "message": "'maybe' is not true or false."},
    ]
    assert [e["column"] for e in report["rows"][2]["errors"]] == ["first_name"]
    assert report["refused"] == 2


def test_the_real_run_with_a_refused_row_writes_nothing_and_answers_422(world):
    body = HEADER + "Dana,Kowalski,P-20,dana@rpd.test,,true\nLuis,Ortega,P-21,bad,,\n"
    response = upload(world.police_coordinator, world.police, body)
    body = assert_error(response, 422)
    assert "nothing was imported" in body["message"]
    assert body["errors"]["files"]["file"]["row 3"] == {
        "email": ["'bad' is not an e-mail address."]
    }
    assert (body["imported"], body["created"], body["refused"]) == (False, 1, 1)
    assert set(police_people(world)) == {"P-7"}
    assert trail(world, "people_import", world.police["id"]) == []


def test_the_same_id_twice_in_a_file_is_refused_on_the_later_row(world):
    body = "first_name,last_name,employee_id\nDana,Kowalski,P-20\nDan,Kowal,P-20\n"
    report = upload(world.police_coordinator, world.police, body, dry_run=True).get_json()
    assert report["rows"][1]["errors"] == [
        {"column": "employee_id", "message": "Also on row 2: each id belongs to one person."}
    ]


def test_identifiers_of_two_different_people_refuse_the_row(world):
    upload(world.police_coordinator, world.police, ROSTER)
    body = "first_name,last_name,employee_id,external_ids.state_post\nDana,Kowalski,P-20,IL-55501\n"
    report = upload(world.police_coordinator, world.police, body, dry_run=True).get_json()
    (row,) = report["rows"]
    assert row["status"] == "refused"
    assert row["errors"][0]["column"] == "external_ids.state_post"


def test_a_regulator_id_of_another_agencys_person_is_refused(world, hazmat):
    body = "first_name,last_name,employee_id,external_ids.nremt\nZoe,Jones,P-40,NR-8812\n"
    report = upload(world.police_coordinator, world.police, body, dry_run=True).get_json()
    assert report["rows"][0]["errors"] == [
        {"column": "external_ids.nremt", "message": "Belongs to a person of another agency."}
    ]


def test_an_import_never_renumbers_a_person(world):
    body = "first_name,last_name,employee_id,external_ids.state_post\nSean,O'Brien,P-99,IL-55501\n"
    row = upload(world.police_coordinator, world.police, body, dry_run=True).get_json()["rows"][0]
    assert (row["status"], row["errors"][0]["column"]) == ("refused", "employee_id")


def test_header_names_are_case_insensitive_and_a_bom_is_ignored(world):
    body = (
        "\ufeffFirst_Name,LAST_NAME,Employee_ID,External_IDs.State_POST\n"
        "Dana,Kowalski,P-20,IL-2001\n"
    )
    response = upload(world.police_coordinator, world.police, body)
    assert response.status_code == 200, response.get_json()
    assert police_people(world)["P-20"].external_ids == {"state_post": "IL-2001"}


def test_an_unknown_column_refuses_the_file_naming_it(world):
    response = upload(world.police_coordinator, world.police, "first_name,last_name,badge\nA,B,1\n")
    body = assert_error(response, 422)
    assert "badge" in body["errors"]["files"]["file"][0]


def test_a_file_without_an_identifying_column_is_refused(world):
    body = assert_error(
        upload(world.police_coordinator, world.police, "first_name,last_name\nA,B\n"), 422
    )
    assert "identifies" in body["message"]


def test_a_file_that_is_not_utf8_is_refused_in_words(world):
    content = "first_name,last_name,employee_id\nJosé,Núñez,P-1\n".encode("latin-1")
    body = assert_error(upload(world.police_coordinator, world.police, content), 422)
    assert "UTF-8" in body["message"]


def test_an_empty_file_is_refused(world):
    body = assert_error(upload(world.police_coordinator, world.police, b""), 422)
    assert "empty" in body["message"]


def test_a_broken_workbook_is_refused(world):
    response = upload(world.police_coordinator, world.police, b"PK\x03\x04broken", "hr.xlsx")
    assert "xlsx" in assert_error(response, 422)["message"]


def test_too_many_rows_is_refused_naming_the_limit(world, monkeypatch):
    monkeypatch.setattr(people_import, "MAX_ROWS", 2)
    body = "first_name,last_name,employee_id\nA,B,1\nC,D,2\nE,F,3\n"
    response = upload(world.police_coordinator, world.police, body)
    assert "more than 2 rows" in assert_error(response, 422)["message"]


def test_a_file_over_the_size_limit_is_413(world, monkeypatch):
    import blueprints.people_import.routes as routes

    monkeypatch.setattr(routes, "MAX_BYTES", 100)
    body = "first_name,last_name,employee_id\n" + "Alexander,Hamilton,P-1\n" * 10
    assert_error(upload(world.police_coordinator, world.police, body), 413)
    assert set(police_people(world)) == {"P-7"}


def test_no_file_is_a_422_naming_it(world):
    response = world.police_coordinator.post(
        f"/agencies/{world.police['id']}/people/import", data={}, content_type="multipart/form-data"
    )
    assert "file" in assert_error(response, 422)["errors"]["files"]


def test_an_xlsx_workbook_imports_like_a_csv(world):
    workbook = openpyxl.Workbook()
    sheet = workbook.active
    sheet.append(["First_Name", "Last_Name", "Employee_ID", "external_ids.state_post", "Active"])
    sheet.append(["Dana", "Kowalski", 2001, "IL-2001", True])
    sheet.append([None, None, None, None, None])
    sheet.append(["Luis", "Ortega", 2002.0, None, False])
    buffer = io.BytesIO()
    workbook.save(buffer)
    response = upload(world.police_coordinator, world.police, buffer.getvalue(), "hr.xlsx")
    assert response.status_code == 200, response.get_json()
    report = response.get_json()
    assert report["file"]["format"] == "xlsx"
    assert statuses(report) == [(2, "created"), (4, "created")]
    people = police_people(world)
    assert (people["2001"].external_ids, people["2001"].active) == ({"state_post": "IL-2001"}, True)
    assert people["2002"].active is False


def test_a_semicolon_separated_file_is_read(world):
    body = "first_name;last_name;employee_id\nDana;Kowalski;P-20\n"
    response = upload(world.police_coordinator, world.police, body)
    assert response.get_json()["created"] == 1


def test_other_agencies_coordinators_may_not_import(world):
    assert_error(upload(world.fire_coordinator, world.police, ROSTER), 403)
    assert_error(upload(world.officer, world.police, ROSTER), 403)
    assert set(police_people(world)) == {"P-7"}


def test_an_admin_may_import_for_any_agency(world):
    response = upload(world.admin, world.police, ROSTER)
    assert response.status_code == 200
    assert trail(world, "people_import", world.police["id"])[0]["user_email"] == "chief@muster.test"


def test_an_unknown_agency_is_404(world):
    assert_error(upload(world.admin, {"id": 99999}, ROSTER), 404)


def test_ten_thousand_rows_import_in_one_transaction(world, capsys):
    lines = [HEADER]
    lines += [
        f"First{n},Last{n},E-{n:05d},p{n}@rpd.test,ST-{n:05d},{'true' if n % 10 else 'false'}\n"
        for n in range(10_000)
    ]
    content = "".join(lines).encode()
    started = time.perf_counter()
    response = upload(world.police_coordinator, world.police, content)
    seconds = time.perf_counter() - started
    assert response.status_code == 200, response.get_json()
    assert response.get_json()["created"] == 10_000
    assert Person.select().where(Person.agency == world.police["id"]).count() == 10_001
    assert (
        Person.select().where(Person.agency == world.police["id"], Person.active == False).count()
        == 1000
    )
    assert (
        PersonExternalId.select().where(PersonExternalId.value.startswith("ST-")).count() == 10_000
    )
    assert len(trail(world, "people_import", world.police["id"])) == 1
    started = time.perf_counter()
    again = upload(world.police_coordinator, world.police, content).get_json()
    seconds_again = time.perf_counter() - started
    assert again["unchanged"] == 10_000
    assert len(trail(world, "people_import", world.police["id"])) == 1
    with capsys.disabled():
        print(f"\n10,000-row import: {seconds:.2f} s; the same file again: {seconds_again:.2f} s")
