"""xAPI statements: verbs, actor, result, context, stable ids, voiding; strictly valid."""

import json
import uuid
from datetime import UTC, datetime
from decimal import Decimal

import pytest

import lms
from lms import xapi
from tests.conftest import run_peer
from tests.lms.memory import peak
from tests.lms.sample import award, row

BASE = "https://muster.example"
OPTIONS = lms.validate_options("xapi", {"base_url": BASE})
REVOKED = {
    "status": "revoked",
    "revoked_at": datetime(2026, 4, 2, 15, 0, tzinfo=UTC),
    "revoked_reason": "Signed in for a colleague",
}


def pulled(records, **options) -> dict:
    return json.loads(b"".join(lms.write("xapi", records, {"base_url": BASE, **options})))


def test_a_completion_becomes_one_statement_saying_who_did_what_where_for_how_long():
    (statement,) = pulled([row(1)])["statements"]
    ext = f"{BASE}/xapi/extensions/"
    url = f"{BASE}/api/v1/completions/1"
    assert statement["id"] == str(uuid.uuid5(uuid.NAMESPACE_URL, f"{url}#{xapi.version(row(1))}"))
    assert statement["context"]["registration"] == str(uuid.uuid5(uuid.NAMESPACE_URL, url))
    assert statement["actor"] == {
        "objectType": "Agent",
        "name": "Dana Ortiz-Núñez 1",
        "account": {"homePage": "https://police.riverton.example", "name": "E00001"},
    }
    assert statement["verb"]["id"] == "http://adlnet.gov/expapi/verbs/passed"
    assert statement["object"]["id"] == f"{BASE}/api/v1/courses/30"
    assert statement["object"]["definition"]["extensions"][ext + "course-external-ids"] == {
        "state_course_number": "1040",
        "capce": "C-77",
    }
    assert statement["result"] == {
        "completion": True,
        "success": True,
        "duration": "PT7H30M",
        "score": {"raw": 92.5, "min": 0, "max": 100, "scaled": 0.925},
    }
    context = statement["context"]
    assert context["instructor"]["name"] == "Kim Lee"
    assert context["extensions"][ext + "credit-hours"] == 7.5
    assert context["extensions"][ext + "credits"] == [
        {"category": "Hazmat", "hours": 5.0},
        {"category": "Legal", "hours": 2.5},
    ]
    assert context["extensions"][ext + "host-agency"] == {
        "id": "2",
        "name": "Riverton Fire Rescue",
        "code": "FD",
        "url": "https://fire.riverton.example",
    }
    assert context["extensions"][ext + "completed-on"] == "2026-03-14"
    assert statement["timestamp"] == "2026-03-14T22:31:00+00:00"


def test_verb_follows_outcome_and_partial_credit_is_attended():
    records = [
        row(1, passed=None, score=None),
        row(2, passed=False),
        row(3, partial=True, passed=None, score=None, hours=Decimal("2.25")),
    ]
    statements = pulled(records)["statements"]
    verbs = [s["verb"]["display"]["en-US"] for s in statements]
    assert verbs == ["completed", "failed", "attended"]
    assert statements[2]["result"] == {"completion": False, "duration": "PT2H15M"}


def test_actor_by_mbox_or_regulator_id_and_homepage_override():
    (by_mail,) = pulled([row(1)], actor="mbox")["statements"]
    assert by_mail["actor"]["mbox"] == "mailto:Dana.Ortiz1@Police.Riverton.example"
    options = {"person_ref": "external_ids.state_post", "account_homepage": "https://post.example"}
    (by_post,) = pulled([row(1)], **options)["statements"]
    assert by_post["actor"]["account"] == {"homePage": "https://post.example", "name": "P000001"}


def test_ids_are_stable_so_a_resend_is_the_same_statement():
    assert pulled([row(1), award(1)]) == pulled([row(1), award(1)])
    ids = [s["id"] for s in pulled([row(1), award(1)])["statements"]]
    assert len(set(ids)) == 2


@pytest.mark.parametrize(
    "name", ["", "https://muster.example/api/v1/completions/7#0123abcd", "é€ \x00 voided:x" * 9]
)
def test_statement_ids_are_uuid5_of_the_record_url_as_the_standard_library_makes_them(name):
    assert xapi.uuid5(name) == str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def test_a_corrected_record_is_a_new_statement_that_voids_the_version_it_replaces():
    (before,) = pulled([row(1)])["statements"]
    for change in ({"hours": Decimal("6")}, {"passed": False}, {"person_id": 99}):
        (after,) = pulled([row(1, **change)])["statements"]
        assert after["id"] != before["id"], change
        assert after["context"]["registration"] == before["context"]["registration"]
    # Neither a revocation nor how the hours are written makes another version.
    revoked = pulled([row(1, hours=Decimal("7.500"), **REVOKED)])["statements"]
    assert revoked[0]["id"] == before["id"]
    corrected = row(1, hours=Decimal("6"))
    options = lms.validate_options("xapi", {"base_url": BASE})
    held = [before["id"], xapi.statement_id(corrected, options)]  # the LRS's, the new one too
    now, void = xapi.statements([corrected], options, lambda r, o: held)
    assert void["object"] == {"objectType": "StatementRef", "id": before["id"]}
    assert void["context"]["extensions"] == {f"{BASE}/xapi/extensions/replaced-by": now["id"]}
    url = f"{BASE}/api/v1/completions/1"
    assert void["id"] == str(uuid.uuid5(uuid.NAMESPACE_URL, f"{url}#voided:{before['id']}"))


def test_a_revocation_is_sent_as_a_voiding_statement_after_the_original():
    original, void = pulled([row(1, **REVOKED)])["statements"]
    assert void["verb"]["id"] == "http://adlnet.gov/expapi/verbs/voided"
    assert void["object"] == {"objectType": "StatementRef", "id": original["id"]}
    assert void["timestamp"] == "2026-04-02T15:00:00+00:00"
    reason = void["context"]["extensions"][f"{BASE}/xapi/extensions/revocation"]["reason"]
    assert reason == "Signed in for a colleague"
    assert pulled([row(1, **REVOKED)], include_revoked=False)["statements"] == []


def test_the_pull_is_a_statement_result_document_with_more():
    document = pulled([row(1)], more="/api/v1/agencies/1/exports?since=x")
    assert set(document) == {"statements", "more"}
    assert document["more"] == "/api/v1/agencies/1/exports?since=x"


def test_every_statement_passes_strict_xapi_validation(peers):
    records = [
        row(1),
        row(2, passed=None, score=None, instructors=[]),
        row(3, partial=True, passed=None, score=Decimal("130")),
        row(4, email=None, employee_id=None),
        row(5, **REVOKED),
        award(6, instructors=[{"person_id": 7, "name": "Kim"}, {"person_id": 8, "name": "Al"}]),
    ]
    document = pulled(records)
    code, results = run_peer(peers, "validate-statements.cjs", document)
    assert [r["warnings"] for r in results] == [[]] * 7
    assert code == 0
    broken = dict(document["statements"][0], verb={"id": "not an iri"})
    code, results = run_peer(peers, "validate-statements.cjs", [broken])
    assert code == 1 and results[0]["warnings"][0]["path"] == "statement.verb.id"


def test_memory_stays_flat_from_500_to_5000_rows():
    def stream(records):
        return xapi.write(records, OPTIONS)

    small, large = peak(stream, 500), peak(stream, 5_000)
    print(f"xapi peak: 500 rows {small} B, 5,000 rows {large} B")
    assert large < 1.5 * small
