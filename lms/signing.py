"""Ed25519 did:key identities and eddsa-rdfc-2022 Data Integrity proofs, contexts kept offline."""

import hashlib
import json
from datetime import UTC, datetime
from pathlib import Path

import base58
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from pyld import jsonld

HERE = Path(__file__).parent / "contexts"
VC_V2 = "https://www.w3.org/ns/credentials/v2"
OB_V3 = "https://purl.imsglobal.org/spec/ob/v3p0/context-3.0.3.json"
CONTEXT_FILES = {VC_V2: "credentials-v2.jsonld", OB_V3: "ob-context-3.0.3.json"}
ED25519_PUB = b"\xed\x01"  # multicodec header of an Ed25519 public key
CRYPTOSUITE = "eddsa-rdfc-2022"
_documents: dict[str, dict] = {}


class SigningError(ValueError):
    """The document cannot be signed as is (a term the contexts do not define, a bad key)."""


def load_document(url: str, options=None) -> dict:
    """pyld document loader over the shipped contexts; it never goes to the network."""
    if url not in CONTEXT_FILES:
        raise SigningError(f"JSON-LD context {url} is not shipped with Muster")
    if url not in _documents:
        _documents[url] = json.loads((HERE / CONTEXT_FILES[url]).read_text())
    return {"contextUrl": None, "documentUrl": url, "document": _documents[url]}


def new_signing_key() -> bytes:
    """A fresh Ed25519 private key as its raw 32-byte seed."""
    return Ed25519PrivateKey.generate().private_bytes_raw()


def public_key(seed: bytes) -> bytes:
    return Ed25519PrivateKey.from_private_bytes(seed).public_key().public_bytes_raw()


def multikey(public: bytes) -> str:
    """The key as a Multikey `publicKeyMultibase` (base58btc, `z6Mk...`)."""
    return "z" + base58.b58encode(ED25519_PUB + public).decode()


def did_key(public: bytes) -> str:
    return "did:key:" + multikey(public)


def verification_method(public: bytes) -> str:
    return f"{did_key(public)}#{multikey(public)}"


def _check_terms(expanded) -> None:
    """Safe mode as verifiers use it: every @type and @id must expand to an absolute IRI."""
    stack = [expanded]
    while stack:
        node = stack.pop()
        if isinstance(node, list):
            stack.extend(node)
        elif isinstance(node, dict) and "@value" not in node:
            kinds = node.get("@type", [])
            for iri in [*kinds, node.get("@id", ":")] if isinstance(kinds, list) else []:
                if ":" not in iri:
                    raise SigningError(f"{iri!r} is not defined by the contexts")
            stack.extend(node.values())


def canonize(document: dict) -> str:
    """RDFC-1.0 (URDNA2015) N-Quads; refuses a property or type the contexts do not define."""
    dropped = []
    options = {"documentLoader": load_document}
    # No base IRI, so an undefined type stays relative and is caught instead of made absolute.
    expanded = jsonld.expand(
        document, {**options, "base": None}, on_property_dropped=dropped.append
    )
    if dropped:
        raise SigningError(f"Not defined by the contexts: {', '.join(map(str, dropped))}")
    _check_terms(expanded)
    options |= {"algorithm": "URDNA2015", "format": "application/n-quads"}
    return jsonld.normalize(document, options)


def _hash_data(document: dict, proof: dict) -> bytes:
    config = {"@context": document["@context"], **proof}
    config.pop("proofValue", None)
    unsigned = {k: v for k, v in document.items() if k != "proof"}
    return (
        hashlib.sha256(canonize(config).encode()).digest()
        + hashlib.sha256(canonize(unsigned).encode()).digest()
    )


def sign(document: dict, seed: bytes, created: datetime | None = None) -> dict:
    """The document with an eddsa-rdfc-2022 DataIntegrityProof added to its `proof` array."""
    key = Ed25519PrivateKey.from_private_bytes(seed)
    stamp = (created or datetime.now(UTC)).astimezone(UTC).replace(microsecond=0)
    proof = {
        "type": "DataIntegrityProof",
        "cryptosuite": CRYPTOSUITE,
        "created": stamp.isoformat().replace("+00:00", "Z"),
        "verificationMethod": verification_method(public_key(seed)),
        "proofPurpose": "assertionMethod",
    }
    signature = key.sign(_hash_data(document, proof))
    proof["proofValue"] = "z" + base58.b58encode(signature).decode()
    return {**document, "proof": [*document.get("proof", []), proof]}


def verify(document: dict) -> bool:
    """Checks each eddsa-rdfc-2022 proof against its did:key (a check for Muster's own use)."""
    proofs = document.get("proof") or []
    for proof in proofs if isinstance(proofs, list) else [proofs]:
        method = proof.get("verificationMethod", "")
        encoded = method.partition("#")[0].removeprefix("did:key:z")
        raw = base58.b58decode(encoded)
        if proof.get("cryptosuite") != CRYPTOSUITE or raw[:2] != ED25519_PUB:
            return False
        signature = base58.b58decode(proof["proofValue"][1:])
        rest = {k: v for k, v in document.items() if k != "proof"}
        try:
            Ed25519PublicKey.from_public_bytes(raw[2:]).verify(signature, _hash_data(rest, proof))
        except InvalidSignature:
            return False
    return bool(proofs)
