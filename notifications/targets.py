"""Where a webhook may point: https, and a host that resolves only to public addresses, so
the server cannot be used to reach internal networks (SSRF)."""

import ipaddress
import socket
from urllib.parse import urlsplit

MAX_URL = 2000


class UnsafeTarget(ValueError):
    """A URL the server will not call; the message says why, in words."""


def _blocked(address):
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return not ip.is_global or (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_reserved
        or ip.is_multicast
        or ip.is_unspecified
    )


def parse(url, *, allow_http=False):
    """(scheme, host, port, target path) of a URL the server may call; UnsafeTarget if not."""
    if not isinstance(url, str) or not url.strip():
        raise UnsafeTarget("Give the URL the webhook posts to.")
    if len(url) > MAX_URL:
        raise UnsafeTarget(f"The URL may be at most {MAX_URL} characters.")
    try:
        parts = urlsplit(url.strip())
        port = parts.port
    except ValueError:
        raise UnsafeTarget("This is not a valid URL.") from None
    schemes = ("https", "http") if allow_http else ("https",)
    if parts.scheme not in schemes:
        raise UnsafeTarget("The URL must start with https:// (deliveries are encrypted).")
    if not parts.hostname:
        raise UnsafeTarget("The URL names no host.")
    if parts.username is not None or parts.password is not None:
        raise UnsafeTarget("The URL may not carry a user name or password; sign with the secret.")
    if parts.fragment:
        raise UnsafeTarget("The URL may not have a #fragment.")
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    return parts.scheme, parts.hostname, port or (443 if parts.scheme == "https" else 80), path


def resolve(host, port, *, allow_private=False):
    """The addresses `host` resolves to, all public unless private ones are allowed; an
    UnsafeTarget if it does not resolve or any address is private, loopback, link-local
    or reserved (a name with one internal address among public ones is refused too)."""
    try:
        found = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (socket.gaierror, UnicodeError, OSError):
        raise UnsafeTarget(f"The host {host} cannot be resolved.") from None
    addresses = list(dict.fromkeys(info[4][0] for info in found))
    if not addresses:
        raise UnsafeTarget(f"The host {host} cannot be resolved.")
    if not allow_private and any(_blocked(address) for address in addresses):
        raise UnsafeTarget(
            f"The host {host} resolves to a private, loopback, link-local or reserved "
            "address; webhooks go only to public addresses."
        )
    return addresses


def check(url, *, allow_http=False, allow_private=False):
    """(scheme, host, port, path, addresses) of a URL the server may call now."""
    scheme, host, port, path = parse(url, allow_http=allow_http)
    return scheme, host, port, path, resolve(host, port, allow_private=allow_private)
