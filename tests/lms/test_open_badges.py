"""Open Badges 3.0 credentials verify with an independent verifier; a tampered one fails."""

import copy
import hashlib
import json

import pytest

import lms
from lms import open_badges, signing
from tests.conftest import run_peer
from tests.lms.sample import award, row

SEED = bytes(range(32))
OPTIONS = lms.validate_options("open-badges", {"base_url": "https://muster.example"})


def issued(records, **options) -> list[dict]:
    context = {"signing_key": lambda agency_id: SEED}
    opts = {"base_url": "https://muster.example", **options}
    return json.loads(b"".join(lms.write("open-badges", records, opts, context=context)))[
        "credentials"
    ]


def test_an_award_becomes_a_credential_issued_by_the_host_agencys_did():
    (credential,) = issued([award(1), row(2)])
    assert credential["@context"] == [
        "https://www.w3.org/ns/credentials/v2",
        "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json",
    ]
    assert credential["type"] == ["VerifiableCredential", "OpenBadgeCredential"]
    did = signing.did_key(signing.public_key(SEED))
    assert did.startswith("did:key:z6Mk")
    assert credential["issuer"] == {
        "id": did,
        "type": ["Profile"],
        "name": "Riverton Fire Rescue",
        "url": "https://fire.riverton.example",
    }
    assert credential["validFrom"] == "2026-03-14T22:31:00Z"
    assert credential["validUntil"] == "2028-03-14T23:59:59-05:00"  # host's local day end
    (proof,) = credential["proof"]
    assert proof["cryptosuite"] == "eddsa-rdfc-2022"
    assert proof["verificationMethod"] == f"{did}#{did.removeprefix('did:key:')}"
    achievement = credential["credentialSubject"]["achievement"]
    assert achievement["criteria"]["narrative"].startswith("Completed Hazardous materials")
    assert {
        "type": "IdentifierEntry",
        "identifier": "1040",
        "identifierType": "ext:state_course_number",
    } in achievement["otherIdentifier"]
    assert credential["credentialSubject"]["creditsEarned"] == 7.5
    assert [r["value"] for r in credential["credentialSubject"]["result"]] == ["5.00", "2.50"]


def test_the_recipient_is_a_salted_hash_of_the_lowercased_email():
    (credential,) = issued([award(1)])
    (who,) = credential["credentialSubject"]["identifier"]
    assert who["identityType"] == "emailAddress" and who["hashed"] is True
    expected = hashlib.sha256(("dana.ortiz1@police.riverton.example" + who["salt"]).encode())
    assert who["identityHash"] == "sha256$" + expected.hexdigest()
    assert "ortiz" not in json.dumps(credential).lower().replace("ortiz-núñez", "")


def test_credentials_are_reproducible_so_a_second_export_is_identical():
    assert issued([award(1)]) == issued([award(1)])


def test_completions_only_when_asked_and_revoked_records_never():
    revoked = award(3, status="revoked")
    out = issued([award(1), row(2), revoked], record_kinds=["award", "completion"])
    assert [c["credentialSubject"]["achievement"]["achievementType"] for c in out] == [
        "Certification",
        "Course",
    ]


def test_the_independent_verifier_accepts_them_and_refuses_a_tampered_one(peers):
    credentials = issued([award(1), row(2)], record_kinds=["award", "completion"])
    code, results = run_peer(peers, "verify-credential.mjs", {"credentials": credentials})
    assert [r["verified"] for r in results] == [True, True], results
    assert code == 0
    tampered = copy.deepcopy(credentials[0])
    tampered["credentialSubject"]["creditsEarned"] = 75.0
    other_issuer = copy.deepcopy(credentials[1])
    other_issuer["issuer"]["id"] = signing.did_key(signing.public_key(signing.new_signing_key()))
    code, results = run_peer(
        peers, "verify-credential.mjs", {"credentials": [tampered, other_issuer]}
    )
    assert [r["verified"] for r in results] == [False, False]
    assert code == 1


def test_a_property_the_contexts_do_not_define_is_refused_not_silently_dropped():
    document = open_badges.credential(award(1), OPTIONS, SEED)
    del document["proof"]
    document["credentialSubject"]["rank"] = "Captain"
    with pytest.raises(signing.SigningError, match="rank"):
        signing.sign(document, SEED)
    document["credentialSubject"].pop("rank")
    document["credentialSubject"]["type"].append("Officer")
    with pytest.raises(signing.SigningError, match="Officer"):
        signing.sign(document, SEED)


def test_each_issuing_agency_signs_with_its_own_key():
    keys = {2: signing.new_signing_key(), 3: signing.new_signing_key()}
    records = [award(1), award(2, host_agency_id=3)]
    out = open_badges.credentials(records, OPTIONS, keys.__getitem__)
    issuers = [c["issuer"]["id"] for c in out]
    assert issuers == [signing.did_key(signing.public_key(keys[k])) for k in (2, 3)]
