"""The pure rules of a personnel file: its columns, each row's cells, whom a row matches
and what it changes."""

import pytest

from rules.errors import RuleViolation
from rules.people_import import (
    OnFile,
    SeenInFile,
    changes_for,
    match,
    new_person,
    read_header,
    read_row,
)

COLUMNS = [
    "first_name",
    "last_name",
    "employee_id",
    "email",
    "external_ids.state_post",
    "active",
]


def row(*cells, number=2, columns=COLUMNS):
    return read_row(number, columns, list(cells))


def stored(person_id, **values):
    base = {
        "id": person_id,
        "first_name": "Sean",
        "last_name": "O'Brien",
        "employee_id": "P-7",
        "email": None,
        "external_ids": {"state_post": "IL-1"},
        "active": True,
    }
    return base | values


def on_file(*people, regulator_ids=None, unusable=None):
    people = {p["id"]: p for p in people}
    return OnFile(
        people,
        {p["employee_id"]: i for i, p in people.items() if p["employee_id"]},
        {p["email"]: i for i, p in people.items() if p["email"]},
        regulator_ids or {},
        unusable or {},
    )


def test_header_names_are_read_in_any_case_and_spacing():
    assert read_header([" First_Name", "LAST_NAME", "External_IDs.State_POST", ""]) == [
        "first_name",
        "last_name",
        "external_ids.state_post",
        None,
    ]


@pytest.mark.parametrize(
    ("header", "words"),
    [
        (["first_name", "last_name", "badge"], "badge"),
        (["employee_id", "employee_id"], "appears twice"),
        (["employee_id", "external_ids.State Post"], "lower_snake_case"),
        (["first_name", "last_name"], "identifies a person"),
        (["employee_id"] * 61, "at most 60"),
    ],
)
def test_a_bad_header_refuses_the_file(header, words):
    with pytest.raises(RuleViolation) as refused:
        read_header(header)
    assert words in refused.value.message
    assert list(refused.value.errors) == ["file"]


@pytest.mark.parametrize(
    ("cell", "active"),
    [("true", True), ("TRUE", True), ("yes", True), ("1", True), ("false", False),
     ("No", False), ("0", False)],
)  # fmt: skip
def test_active_reads_the_usual_words(cell, active):
    assert row("A", "B", "P-1", "", "", cell).values["active"] is active


def test_cells_are_trimmed_and_the_email_lower_cased():
    values = row("  Mary   Jane ", "Smith", " P-1 ", " MJ@RPD.Test ", " IL-9 ", "").values
    assert values == {
        "first_name": "Mary Jane",
        "last_name": "Smith",
        "employee_id": "P-1",
        "email": "mj@rpd.test",
        "external_ids": {"state_post": "IL-9"},
    }


def test_blank_cells_are_left_out():
    assert row("", "", "P-1", "", "", "").values == {"employee_id": "P-1"}


@pytest.mark.parametrize(
    ("cells", "column", "words"),
    [
        (("A", "B", "P-1", "x@", "", ""), "email", "not an e-mail address"),
        (("A", "B", "P-1", "", "", "perhaps"), "active", "not true or false"),
        (("A" * 101, "B", "P-1", "", "", ""), "first_name", "Longer than 100"),
        (("A", "B", "P" * 61, "", "", ""), "employee_id", "Longer than 60"),
        (("A", "B", "P-1", "", "I" * 101, ""), "external_ids.state_post", "Longer than 100"),
        (("A\x00", "B", "P-1", "", "", ""), "first_name", "NUL"),
    ],
)
def test_a_bad_cell_is_refused_naming_its_column(cells, column, words):
    (problem,) = row(*cells).errors
    assert problem[0] == column and words in problem[1]


def test_rows_match_by_employee_id_first():
    people = on_file(stored(1), stored(2, employee_id="P-8", email="s@x.test"))
    assert match(row("", "", "P-7", "", "", ""), people) == (1, "employee_id")


def test_then_by_regulator_id_then_by_email():
    people = on_file(stored(1, email="s@x.test"), regulator_ids={("state_post", "IL-1"): (1, None)})
    assert match(row("", "", "", "", "IL-1", ""), people) == (1, "external_ids.state_post")
    assert match(row("", "", "", "s@x.test", "", ""), people) == (1, "email")
    assert match(row("A", "B", "", "new@x.test", "", ""), people) == (None, None)


def test_identifiers_of_different_people_refuse_the_row():
    people = on_file(
        stored(1), stored(2, employee_id="P-8"), regulator_ids={("state_post", "IL-1"): (2, None)}
    )
    given = row("", "", "P-7", "", "IL-1", "")
    assert match(given, people) == (None, None)
    assert given.errors == [
        ("external_ids.state_post", "Belongs to a different person on file than the employee_id.")
    ]


def test_an_id_that_cannot_be_used_is_refused_with_its_reason():
    people = on_file(regulator_ids={("state_post", "IL-1"): (None, "Belongs elsewhere.")})
    given = row("A", "B", "", "", "IL-1", "")
    assert match(given, people) == (None, None)
    assert given.errors == [("external_ids.state_post", "Belongs elsewhere.")]


def test_a_person_matched_otherwise_is_never_renumbered():
    people = on_file(stored(1), regulator_ids={("state_post", "IL-1"): (1, None)})
    given = row("", "", "P-99", "", "IL-1", "")
    assert match(given, people) == (None, None)
    assert given.errors[0][0] == "employee_id"


def test_changes_are_only_what_differs():
    person = stored(1)
    assert changes_for(person, row("Sean", "O'Brien", "P-7", "", "IL-1", "true").values) == {}
    assert changes_for(person, row("", "", "P-7", "s@x.test", "", "false").values) == {
        "email": "s@x.test",
        "active": False,
    }


def test_a_new_regulator_id_adds_to_those_on_file():
    changes = changes_for(stored(1), read_row(2, ["external_ids.nremt"], ["NR-1"]).values)
    assert changes == {"external_ids": {"state_post": "IL-1", "nremt": "NR-1"}}


def test_a_name_change_keeps_the_name_key_in_step():
    changes = changes_for(stored(1), row("Shawn", "", "P-7", "", "", "").values)
    assert changes == {"first_name": "Shawn", "name_key": "s obrien"}


def test_a_new_person_needs_both_names_and_is_active_unless_told():
    created = new_person(row("Dana", "Kowalski", "P-20", "", "", ""))
    assert (created["active"], created["external_ids"], created["name_key"]) == (
        True,
        {},
        "d kowalski",
    )
    nameless = row("", "Kowalski", "P-20", "", "", "")
    assert new_person(nameless) is None
    assert [column for column, _ in nameless.errors] == ["first_name"]


def test_an_id_twice_in_a_file_refuses_the_later_row():
    seen = SeenInFile()
    first, second = row("A", "B", "P-1", "", "", ""), row("C", "D", "P-1", "", "", "", number=3)
    seen.claim_identifiers(first)
    seen.claim_identifiers(second)
    assert (first.errors, second.errors) == (
        [],
        [("employee_id", "Also on row 2: each id belongs to one person.")],
    )


def test_a_shared_email_is_allowed_only_beside_ids():
    seen = SeenInFile()
    rows = [
        row("A", "B", "P-1", "home@x.test", "", ""),
        row("C", "B", "P-2", "home@x.test", "", "", number=3),
        row("E", "B", "", "home@x.test", "", "", number=4),
    ]
    for each in rows:
        seen.claim_identifiers(each)
    assert [len(each.errors) for each in rows] == [0, 0, 1]
    assert rows[2].errors[0][0] == "email"


def test_two_rows_matching_one_person_refuse_the_later():
    seen = SeenInFile()
    first = row("", "", "P-7", "", "", "")
    second = row("", "", "", "s@x.test", "", "", number=5)
    seen.claim_person(first, 1)
    seen.claim_person(second, 1)
    assert second.errors == [("email", "Matches the same person on file as row 2.")]
