"""Keys as did:key, proofs that check out, and JSON-LD contexts that never come off the network."""

import pytest

from lms import signing


def test_did_key_encodes_the_ed25519_public_key_as_multibase():
    seed = signing.new_signing_key()
    public = signing.public_key(seed)
    did = signing.did_key(public)
    assert len(seed) == 32 and len(public) == 32
    assert did.startswith("did:key:z6Mk")
    assert signing.base58.b58decode(did.removeprefix("did:key:z")) == b"\xed\x01" + public


def test_a_signed_document_verifies_and_any_change_breaks_it():
    document = {
        "@context": [signing.VC_V2],
        "type": ["VerifiableCredential"],
        "issuer": "did:example:1",
        "credentialSubject": {"id": "did:example:2", "name": "Dana"},
    }
    signed = signing.sign(document, signing.new_signing_key())
    assert signing.verify(signed)
    changed = {**signed, "credentialSubject": {"id": "did:example:2", "name": "Dan"}}
    assert not signing.verify(changed)


def test_only_shipped_contexts_load():
    assert signing.load_document(signing.OB_V3)["document"]["@context"]["@protected"] is True
    with pytest.raises(signing.SigningError, match="not shipped"):
        signing.load_document("https://example.org/context.json")
