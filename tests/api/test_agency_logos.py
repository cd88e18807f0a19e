"""An agency's logo: a PNG or JPEG judged by its bytes, set by its coordinator or an admin,
replaced but never lost from the audit trail, and read back as uploaded."""

import hashlib
import io
import struct
import zlib

import pytest
from PIL import Image

from tests.helpers import assert_error, trail


def image(kind="PNG", size=(120, 80), mode="RGB", **options):
    buffer = io.BytesIO()
    Image.new(mode, size, "red" if mode != "1" else 1).save(buffer, kind, **options)
    return buffer.getvalue()


def put(caller, agency, content, content_type="image/png"):
    return caller.put(f"/agencies/{agency['id']}/logo", data=content, content_type=content_type)


def png_claiming(width, height):
    """A tiny PNG whose header claims the given size (its pixels are not there)."""

    def chunk(kind, data):
        body = kind + data
        return struct.pack(">I", len(data)) + body + struct.pack(">I", zlib.crc32(body))

    header = struct.pack(">IIBBBBB", width, height, 8, 2, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IEND", b"")


@pytest.mark.parametrize("kind,media_type", [("PNG", "image/png"), ("JPEG", "image/jpeg")])
def test_the_coordinator_sets_a_logo_read_back_byte_for_byte(world, kind, media_type):
    content = image(kind)
    # The type comes from the bytes, whatever the request's header says.
    response = put(world.fire_coordinator, world.fire, content, "application/octet-stream")
    assert response.status_code == 200, response.get_json()
    body = response.get_json()
    assert {k: body[k] for k in ("agency_id", "media_type", "width", "height", "bytes")} == {
        "agency_id": world.fire["id"],
        "media_type": media_type,
        "width": 120,
        "height": 80,
        "bytes": len(content),
    }
    assert body["sha256"] == hashlib.sha256(content).hexdigest()

    logo = world.officer.get(f"/agencies/{world.fire['id']}/logo")
    assert (logo.status_code, logo.mimetype, logo.data) == (200, media_type, content)
    again = world.officer.get(
        f"/agencies/{world.fire['id']}/logo", headers={"If-None-Match": logo.headers["ETag"]}
    )
    assert (again.status_code, again.data) == (304, b"")


def test_a_replaced_logo_stays_in_the_audit_trail_by_its_digest(world):
    first, second = image("PNG"), image("JPEG", size=(64, 64))
    assert put(world.fire_coordinator, world.fire, first).status_code == 200
    assert put(world.admin, world.fire, second).status_code == 200

    logo = world.fire_coordinator.get(f"/agencies/{world.fire['id']}/logo")
    assert logo.data == second
    entries = [e for e in trail(world, "agency", world.fire["id"]) if "logo" in e["action"]]
    digests = [
        ((e["before"] or {}).get("sha256"), e["after"]["sha256"], e["user_email"])
        for e in sorted(entries, key=lambda e: e["id"])
    ]
    assert digests == [
        (None, hashlib.sha256(first).hexdigest(), "fc@rfd.test"),
        (
            hashlib.sha256(first).hexdigest(),
            hashlib.sha256(second).hexdigest(),
            "chief@muster.test",
        ),
    ]
    assert all(str(first) not in str(e) for e in entries)  # digests, never the bytes


def test_other_agencies_coordinators_get_404_and_its_own_staff_403(world):
    content = image()
    for caller in (world.police_coordinator, world.ems_coordinator, world.officer):
        assert_error(put(caller, world.fire, content), 404)
    assert_error(put(world.instructor, world.fire, content), 403)
    assert_error(put(world.anonymous, world.fire, content), 401)
    assert_error(world.fire_coordinator.get(f"/agencies/{world.fire['id']}/logo"), 404)
    assert_error(put(world.admin, {"id": 999999}, content), 404)


@pytest.mark.parametrize(
    "content,words",
    [
        (b"", "empty"),
        (b"GIF89a" + b"\0" * 100, "PNG or JPEG"),
        (b"<svg xmlns='http://www.w3.org/2000/svg'/>", "PNG or JPEG"),
        (image("GIF"), "PNG or JPEG"),
        (b"\x89PNG\r\n\x1a\n" + b"not really a png" * 10, "not a readable PNG"),
        (image("PNG")[:200], "not a readable PNG"),
        (b"\xff\xd8\xff" + image("PNG")[3:], "not a readable JPEG"),
        (image("PNG", size=(8, 8)), "8×8 pixels"),
        (image("PNG", size=(3000, 20)), "3000×20 pixels"),
        (png_claiming(60000, 60000), "PNG"),
        (image("PNG", mode="I;16"), "colour mode"),
    ],
    ids=[
        "empty",
        "gif-magic",
        "svg",
        "gif",
        "png-magic-only",
        "truncated-png",
        "png-posing-as-jpeg",
        "too-small",
        "too-wide",
        "huge-claimed",
        "16-bit",
    ],
)
def test_anything_but_a_printable_png_or_jpeg_is_refused_naming_the_logo(world, content, words):
    body = assert_error(put(world.fire_coordinator, world.fire, content), 422)
    assert words in body["message"]
    assert body["errors"]["json"]["logo"]
    assert_error(world.fire_coordinator.get(f"/agencies/{world.fire['id']}/logo"), 404)


def test_a_logo_over_512_kb_is_refused_before_it_is_read(world):
    noise = Image.frombytes("RGB", (600, 600), bytes(range(256)) * (600 * 600 * 3 // 256 + 1))
    buffer = io.BytesIO()
    noise.effect_spread(50).save(buffer, "PNG")
    content = buffer.getvalue()
    assert len(content) > 512 * 1024
    body = assert_error(put(world.fire_coordinator, world.fire, content), 413)
    assert "512 KB" in body["message"]
    assert_error(world.fire_coordinator.get(f"/agencies/{world.fire['id']}/logo"), 404)


def test_the_paper_size_is_the_hosts_choice_of_letter_or_a4(world):
    path = f"/agencies/{world.fire['id']}"
    assert world.fire_coordinator.get(path).get_json()["paper_size"] == "letter"
    body = assert_error(world.fire_coordinator.patch(path, json={"paper_size": "legal"}), 422)
    assert "paper_size" in body["errors"]["json"]
    response = world.fire_coordinator.patch(path, json={"paper_size": "a4"})
    assert response.status_code == 200 and response.get_json()["paper_size"] == "a4"
    changes = [e for e in trail(world, "agency", world.fire["id"]) if e["action"] == "update"]
    assert changes[-1]["after"]["paper_size"] == "a4"
