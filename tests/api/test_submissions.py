"""Outside training: an officer submits it, its home coordinator approves or rejects it,
and an approval becomes an external completion in the officer's record."""

import datetime
import io

import pytest

from models import AuditEntry, Completion, Submission, User
from rules import clock
from rules.submissions import MAX_EVIDENCE_BYTES
from tests.helpers import (
    created,
)

PDF = b"%PDF-1.7\n1 0 obj <<>> endobj\ntrailer <<>>\n%%EOF\n"


PNG = b"\x89PNG\r\n\x1a\n" + b"\x00\x00\x00\rIHDR" + bytes(17)


def training(**overrides):
    body = {
        "title": "Crisis Intervention Team training",
        "provider": "State Police Academy",
        "completed_on": "2025-10-04",
        "hours": "7.5",
        "credits": [
            {"category": "state_post", "hours": "7.5"},
            {"category": "mental_health", "hours": "4"},
        ],
    }
    body.update(overrides)
    return body


def submit(caller, **overrides):
    return caller.post("/submissions", json=training(**overrides))


def upload(caller, submission_id, content, name="certificate.pdf", media_type=None):
    data = (
        {}
        if content is None
        else {"file": (io.BytesIO(content), name, media_type or "application/octet-stream")}
    )
    return caller.put(
        f"/submissions/{submission_id}/evidence", data=data, content_type="multipart/form-data"
    )


def user_id(email):
    return User.get(User.email == email).id


def written():
    """How many submissions, completions and audit entries exist."""
    return Submission.select().count(), Completion.select().count(), AuditEntry.select().count()


def error_fields(response, code=422, location="json"):
    assert response.status_code == code, response.get_json()
    return response.get_json()["errors"][location]


def test_outside_training_approved_by_the_home_coordinator_appears_as_an_external_completion(
    world,
):  # noqa: E501
    submission = created(submit(world.officer))
    assert {k: v for k, v in submission.items() if k not in ("id", "created_at", "updated_at")} == {
        "person_id": world.officer_person["id"],
        "person_name": "Sean O'Brien",
        "title": "Crisis Intervention Team training",
        "provider": "State Police Academy",
        "completed_on": "2025-10-04",
        "hours": "7.50",
        "credits": [
            {"category": "state_post", "hours": "7.50"},
            {"category": "mental_health", "hours": "4.00"},
        ],
        "status": "pending",
        "comment": None,
        "reviewed_by_id": None,
        "reviewed_at": None,
        "completion_id": None,
        "has_evidence": False,
        "evidence_name": None,
        "evidence_type": None,
        "evidence_size": None,
    }
    assert submission["created_at"].endswith("+00:00")
    queue = world.police_coordinator.get("/submissions?status=pending").get_json()
    assert [s["id"] for s in queue] == [submission["id"]]

    response = world.police_coordinator.post(
        f"/submissions/{submission['id']}/approve", json={"comment": "Matches the academy roster."}
    )
    assert response.status_code == 200, response.get_json()
    approved = response.get_json()
    assert approved["status"] == "approved"
    assert approved["comment"] == "Matches the academy roster."
    assert approved["reviewed_by_id"] == user_id("pc@rpd.test")
    assert approved["reviewed_at"].endswith("+00:00")
    assert approved["completion_id"] is not None
    assert world.officer.get(f"/submissions/{submission['id']}").get_json() == approved

    completion = world.officer.get(f"/completions/{approved['completion_id']}").get_json()
    assert {
        k: completion[k]
        for k in (
            "person_id",
            "offering_id",
            "course_id",
            "issuer_id",
            "title",
            "provider",
            "hours",
            "credits",
            "completed_on",
            "external",
            "partial",
            "status",
        )
    } == {
        "person_id": world.officer_person["id"],
        "offering_id": None,
        "course_id": None,
        "issuer_id": world.police["id"],
        "title": "Crisis Intervention Team training",
        "provider": "State Police Academy",
        "hours": "7.50",
        "credits": [
            {"category": "state_post", "hours": "7.50"},
            {"category": "mental_health", "hours": "4.00"},
        ],
        "completed_on": "2025-10-04",
        "external": True,
        "partial": False,
        "status": "valid",
    }
    stored = Completion.get_by_id(approved["completion_id"])
    assert stored.credits == [
        {"category": "state_post", "hours": "7.50"},
        {"category": "mental_health", "hours": "4.00"},
    ]
    assert len(stored.verify_code) == 12
    assert world.anonymous.get(f"/verify/{stored.verify_code}").status_code == 200

    trail = world.admin.get(f"/audit?entity=submission&entity_id={submission['id']}")
    assert [(e["action"], e["user_email"]) for e in trail.get_json()] == [
        ("create", "sean@rpd.test"),
        ("approve", "pc@rpd.test"),
    ]
    approval = trail.get_json()[1]
    assert (approval["before"]["status"], approval["after"]["status"]) == ("pending", "approved")
    assert approval["after"]["completion"] == stored.id
    trail = world.admin.get(f"/audit?entity=completion&entity_id={stored.id}").get_json()
    assert [(e["action"], e["user_email"], e["agency_id"]) for e in trail] == [
        ("create", "pc@rpd.test", world.police["id"])
    ]


def test_a_coordinator_of_another_agency_cannot_see_or_review_a_submission(world):
    submission = created(submit(world.officer))
    path = f"/submissions/{submission['id']}"
    assert world.fire_coordinator.get(path).status_code == 404
    assert world.fire_coordinator.get("/submissions").get_json() == []
    assert world.fire_coordinator.post(path + "/approve", json={}).status_code == 404
    assert (
        world.fire_coordinator.post(path + "/reject", json={"comment": "Not ours."}).status_code
        == 404
    )
    assert upload(world.fire_coordinator, submission["id"], PDF).status_code == 404
    assert world.fire_coordinator.get(path + "/evidence").status_code == 404
    assert world.instructor.get(path).status_code == 404
    assert world.admin.get(path).status_code == 200
    assert world.officer.get(path).get_json()["status"] == "pending"
    assert Completion.select().count() == 0


def test_an_officer_cannot_review_even_its_own_submission(world):
    submission = created(submit(world.officer))
    path = f"/submissions/{submission['id']}"
    before = written()
    assert world.officer.post(path + "/approve", json={}).status_code == 403
    assert world.officer.post(path + "/reject", json={"comment": "Oops."}).status_code == 403
    assert world.instructor.post(path + "/approve", json={}).status_code == 403
    assert written() == before
    assert world.officer.get(path).get_json()["status"] == "pending"


def test_a_coordinator_does_not_review_its_own_submission(world):
    person = world.person(world.police, "Dana", "Whitfield", "P-2")
    coordinator = world.user("coordinator", world.police, "dana@rpd.test", person)
    submission = created(submit(coordinator))
    assert submission["person_id"] == person["id"]
    path = f"/submissions/{submission['id']}"
    response = coordinator.post(path + "/approve", json={})
    assert response.status_code == 403
    assert "own submission" in response.get_json()["message"]
    assert world.police_coordinator.post(path + "/approve", json={}).status_code == 200


def test_a_rejected_submission_needs_a_comment(world):
    submission = created(submit(world.officer))
    path = f"/submissions/{submission['id']}/reject"
    before = written()
    assert error_fields(world.police_coordinator.post(path, json={})) == {
        "comment": ["Missing data for required field."]
    }
    assert error_fields(world.police_coordinator.post(path, json={"comment": "   "})) == {
        "comment": ["Say why the submission is rejected."]
    }
    assert written() == before
    response = world.police_coordinator.post(
        path, json={"comment": "The certificate does not show the hours."}
    )
    assert response.status_code == 200, response.get_json()
    rejected = response.get_json()
    assert (rejected["status"], rejected["comment"], rejected["completion_id"]) == (
        "rejected",
        "The certificate does not show the hours.",
        None,
    )
    assert rejected["reviewed_by_id"] == user_id("pc@rpd.test")
    assert Completion.select().count() == 0
    entry = (
        AuditEntry.select()
        .where(AuditEntry.entity == "submission")
        .order_by(AuditEntry.id.desc())
        .first()
    )
    assert (entry.action, entry.reason) == ("reject", "The certificate does not show the hours.")


def test_only_a_pending_submission_is_reviewed_or_given_evidence(world):
    submission = created(submit(world.officer))
    path = f"/submissions/{submission['id']}"
    assert world.admin.post(path + "/approve", json={}).status_code == 200
    before = written()
    for response in (
        world.police_coordinator.post(path + "/approve", json={}),
        world.admin.post(path + "/reject", json={"comment": "Second thoughts."}),
        upload(world.officer, submission["id"], PDF),
    ):
        assert response.status_code == 409, response.get_json()
        assert "is approved" in response.get_json()["message"]
    assert written() == before
    approved = world.officer.get(path).get_json()
    assert (approved["status"], approved["comment"], approved["has_evidence"]) == (
        "approved",
        None,
        False,
    )
    assert approved["reviewed_by_id"] == user_id("chief@muster.test")


def test_outside_training_errors_name_the_field(world):
    # "today" is the officer's agency's, not the machine's (they differ for hours a day)
    local_today = clock.today(world.police["timezone"])
    future = (local_today + datetime.timedelta(days=2)).isoformat()
    cases = [
        (training(completed_on=future), "completed_on"),
        (training(hours="0"), "hours"),
        (training(hours="1000.01"), "hours"),
        (training(hours="-3"), "hours"),
        (training(credits=[{"category": "state_post", "hours": "8"}]), "credits"),
        (
            training(
                credits=[
                    {"category": "state_post", "hours": "2"},
                    {"category": "state_post", "hours": "3"},
                ]
            ),
            "credits",
        ),
        (training(credits=[{"category": "State POST", "hours": "2"}]), "credits"),
        (training(credits=[{"category": "state_post", "hours": "0"}]), "credits"),
        (training(title="   "), "title"),
        ({k: v for k, v in training().items() if k != "provider"}, "provider"),
        (training(colour="blue"), "colour"),
    ]
    before = written()
    for body, field in cases:
        response = world.officer.post("/submissions", json=body)
        assert list(error_fields(response)) == [field], (body, response.get_json())
    assert written() == before
    assert error_fields(
        world.officer.post(
            "/submissions",
            json=training(
                credits=[
                    {"category": "state_post", "hours": "2"},
                    {"category": "state_post", "hours": "9"},
                ]
            ),
        )
    ) == {
        "credits": {
            "1": {"category": ["Listed twice."], "hours": ["More than the submission's hours."]}
        }
    }
    assert error_fields(world.officer.post("/submissions", json=training(completed_on=future)))[
        "completed_on"
    ][0].startswith("Cannot be in the future")
    today = created(
        submit(world.officer, completed_on=local_today.isoformat(), hours="1000", credits=[])
    )
    assert (today["hours"], today["credits"]) == ("1000.00", [])


def test_an_officer_submits_for_itself_and_a_coordinator_for_its_agencys_people(world):
    before = written()
    response = submit(world.officer, person_id=world.instructor_person["id"])
    assert error_fields(response) == {"person_id": ["Unknown person."]}
    response = submit(world.fire_coordinator, person_id=world.officer_person["id"])
    assert error_fields(response) == {"person_id": ["Unknown person."]}
    response = submit(world.fire_coordinator)
    assert error_fields(response) == {
        "person_id": ["Required: this user has no person of its own."]
    }
    assert written() == before
    by_coordinator = created(submit(world.police_coordinator, person_id=world.officer_person["id"]))
    by_admin = created(submit(world.admin, person_id=world.instructor_person["id"]))
    assert by_coordinator["person_id"] == world.officer_person["id"]
    assert by_admin["person_id"] == world.instructor_person["id"]
    own = created(submit(world.officer, person_id=world.officer_person["id"]))
    assert [s["id"] for s in world.officer.get("/submissions").get_json()] == [
        own["id"],
        by_coordinator["id"],
    ]
    assert [s["id"] for s in world.fire_coordinator.get("/submissions").get_json()] == [
        by_admin["id"]
    ]
    assert [s["id"] for s in world.instructor.get("/submissions").get_json()] == [by_admin["id"]]
    listed = world.admin.get(f"/submissions?person_id={world.officer_person['id']}")
    assert [s["id"] for s in listed.get_json()] == [own["id"], by_coordinator["id"]]
    assert listed.headers["X-Pagination"]
    world.police_coordinator.post(f"/submissions/{own['id']}/reject", json={"comment": "Dup."})
    assert [
        s["id"]
        for s in world.admin.get(
            f"/submissions?status=pending&agency_id={world.police['id']}"
        ).get_json()
    ] == [by_coordinator["id"]]
    assert world.admin.get("/submissions?status=lost").status_code == 422


def test_evidence_is_stored_and_returned_with_its_media_type_and_name(world):
    submission = created(submit(world.officer))
    response = upload(
        world.officer,
        submission["id"],
        PDF,
        name="../../scans/CIT cert.pdf",
        media_type="application/pdf",
    )
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert (
        body["has_evidence"],
        body["evidence_name"],
        body["evidence_type"],
        body["evidence_size"],
    ) == (True, "CIT cert.pdf", "application/pdf", len(PDF))
    assert world.police_coordinator.get("/submissions").get_json()[0]["has_evidence"] is True

    response = world.police_coordinator.get(f"/submissions/{submission['id']}/evidence")
    assert response.status_code == 200
    assert response.data == PDF
    assert response.mimetype == "application/pdf"
    assert response.headers["Content-Disposition"] == 'attachment; filename="CIT cert.pdf"'
    assert response.headers["X-Content-Type-Options"] == "nosniff"

    # replaced while pending; the type is read from the content, not the name
    assert upload(world.officer, submission["id"], PNG, name="photo.pdf").status_code == 200
    response = world.officer.get(f"/submissions/{submission['id']}/evidence")
    assert (response.data, response.mimetype) == (PNG, "image/png")
    updates = (
        AuditEntry.select()
        .where(AuditEntry.entity == "submission", AuditEntry.action == "update")
        .order_by(AuditEntry.id)
    )
    assert [(e.after["evidence_name"], e.after["evidence_size"]) for e in updates] == [
        ("CIT cert.pdf", len(PDF)),
        ("photo.pdf", len(PNG)),
    ]
    assert all("evidence" not in e.after for e in updates)


@pytest.mark.parametrize(
    "content, message",
    [
        (b"plain text, not a scan", "Must be a PDF, PNG or JPEG file."),
        (b"", "The file is empty."),
        (PDF + bytes(MAX_EVIDENCE_BYTES), "Larger than 10 MB."),
    ],
)
def test_evidence_must_be_a_pdf_png_or_jpeg_of_at_most_10_mb(world, content, message):
    submission = created(submit(world.officer))
    before = written()
    response = upload(
        world.officer, submission["id"], content, name="evidence.pdf", media_type="application/pdf"
    )
    assert error_fields(response, location="files") == {"file": [message]}
    assert written() == before
    assert world.officer.get(f"/submissions/{submission['id']}").get_json()["has_evidence"] is False


def test_evidence_is_a_multipart_file_field(world):
    submission = created(submit(world.officer))
    response = upload(world.officer, submission["id"], None)
    assert error_fields(response, location="files") == {
        "file": ["Missing data for required field."]
    }
    response = world.officer.put(
        f"/submissions/{submission['id']}/evidence", json={"file": "JVBERi0xLjcK"}
    )
    assert "file" in error_fields(response, location="files")
    assert world.officer.get(f"/submissions/{submission['id']}/evidence").status_code == 404
    jpeg = b"\xff\xd8\xff\xe0" + bytes(16)
    assert upload(world.officer, submission["id"], jpeg, name="").status_code == 200
    response = world.officer.get(f"/submissions/{submission['id']}/evidence")
    assert (response.mimetype, response.headers["Content-Disposition"]) == (
        "image/jpeg",
        "attachment; filename=evidence.jpg",
    )


def test_the_submission_endpoints_need_a_token(world):
    assert world.anonymous.get("/submissions").status_code == 401
    assert world.anonymous.post("/submissions", json=training()).status_code == 401
    assert Submission.select().count() == 0


def test_a_submission_sent_twice_with_one_idempotency_key_is_recorded_once(world):
    headers = {"Idempotency-Key": "cit-2025-10-04"}
    first = created(world.officer.post("/submissions", json=training(), headers=headers))
    again = world.officer.post("/submissions", json=training(), headers=headers)
    assert again.status_code == 201
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.get_json() == first
    assert Submission.select().count() == 1


def test_approved_outside_training_counts_on_the_transcript_and_a_pending_one_does_not(world):
    approved = created(submit(world.officer))
    created(submit(world.officer, title="Pending course", hours="3", credits=[]))
    world.police_coordinator.post(f"/submissions/{approved['id']}/approve", json={})
    transcript = world.officer.get(f"/people/{world.officer_person['id']}/transcript").get_json()
    assert [(c["title"], c["external"], c["provider"]) for c in transcript["completions"]] == [
        ("Crisis Intervention Team training", True, "State Police Academy")
    ]
    assert (transcript["hours_total"], transcript["hours_by_category"]) == (
        "7.50",
        {"mental_health": "4.00", "state_post": "7.50"},
    )
