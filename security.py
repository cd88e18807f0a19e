"""Headers every response carries (no sniffing, no framing, no referrer, a strict CSP on
HTML pages) and CORS, closed unless CORS_ORIGINS lists the browser origins allowed."""

import base64
import hashlib
import html
import re

from flask import current_app, request

# A JSON answer or a file loads nothing and is never shown in a frame.
API_POLICY = "default-src 'none'; frame-ancestors 'none'"
# A PDF is left to the browser's viewer (a default-src would stop it drawing); never framed.
DOCUMENT_POLICY = "frame-ancestors 'none'"
# An HTML page: only its own scripts and styles, each inline block by its hash; images of
# its own or data: (Swagger UI's icons); requests only back to this server.
PAGE_POLICY = (
    "default-src 'none'; script-src 'self'{scripts}; style-src 'self'{styles}; "
    "img-src 'self' data:; connect-src 'self'; base-uri 'none'; form-action {forms}; "
    "frame-ancestors 'none'"
)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)[^>]*>(.*?)</script>", re.S | re.I)
INLINE_STYLE = re.compile(r"<style[^>]*>(.*?)</style>", re.S | re.I)
STYLE_ATTRIBUTE = re.compile(r"""\sstyle=(?:"([^"]*)"|'([^']*)')""", re.I)

# What a browser script may send and read across origins when its origin is allowed.
CORS_METHODS = "GET, HEAD, POST, PUT, PATCH, DELETE"
CORS_REQUEST_HEADERS = "Authorization, Content-Type, If-Match, If-None-Match, Idempotency-Key"
CORS_EXPOSED = "ETag, Location, Retry-After, X-Pagination, Content-Disposition, Idempotent-Replayed"
CORS_MAX_AGE = "600"


def init_app(app):
    """Answer allowed CORS preflights before any token is asked for; add the headers to
    every response, errors included."""
    app.before_request(answer_preflight)
    app.after_request(secure_headers)


def _hashes(blocks):
    return "".join(
        " 'sha256-" + base64.b64encode(hashlib.sha256(b.encode()).digest()).decode() + "'"
        for b in dict.fromkeys(blocks)
    )


def page_policy(body):
    """The strict policy for one HTML page: its inline <script> and <style> blocks allowed
    by their SHA-256 hashes (never 'unsafe-inline'), style="" attributes by theirs
    ('unsafe-hashes', the narrowest that lets a page keep them), forms posting back only."""
    styles = _hashes(INLINE_STYLE.findall(body))
    attributes = [html.unescape(a or b) for a, b in STYLE_ATTRIBUTE.findall(body)]
    if attributes:
        styles += " 'unsafe-hashes'" + _hashes(attributes)
    return PAGE_POLICY.format(
        scripts=_hashes(INLINE_SCRIPT.findall(body)),
        styles=styles,
        forms="'self'" if re.search(r"<form\b", body, re.I) else "'none'",
    )


def secure_headers(response):
    headers = response.headers
    headers.setdefault("X-Content-Type-Options", "nosniff")
    headers.setdefault("X-Frame-Options", "DENY")
    headers.setdefault("Referrer-Policy", "no-referrer")
    headers.setdefault("Cross-Origin-Resource-Policy", "same-origin")
    if response.mimetype == "text/html" and not response.is_streamed:
        # Built from the page itself, so its own blocks run and nothing injected does.
        headers["Content-Security-Policy"] = page_policy(response.get_data(as_text=True))
    elif response.mimetype == "application/pdf":
        headers.setdefault("Content-Security-Policy", DOCUMENT_POLICY)
    else:
        headers.setdefault("Content-Security-Policy", API_POLICY)
    origin = allowed_origin()
    if origin:
        headers["Access-Control-Allow-Origin"] = origin
        headers["Access-Control-Expose-Headers"] = CORS_EXPOSED
        # Tokens travel in the Authorization header, never in cookies: no credentials mode.
    if current_app.config["CORS_ORIGINS"]:
        headers.add("Vary", "Origin")
    return response


def allowed_origin():
    """The request's Origin when CORS_ORIGINS lists it (or is "*"), else None."""
    origin = request.headers.get("Origin")
    allowed = current_app.config["CORS_ORIGINS"]
    if not origin or not allowed:
        return None
    if "*" in allowed or origin.rstrip("/").lower() in allowed:
        return origin
    return None


def answer_preflight():
    """204 to a browser's CORS preflight (OPTIONS with Access-Control-Request-Method) from
    an allowed origin, saying what it may send; others go on (and get no CORS headers)."""
    if request.method != "OPTIONS" or "Access-Control-Request-Method" not in request.headers:
        return None
    if allowed_origin() is None:
        return None
    response = current_app.response_class(status=204)
    response.headers["Access-Control-Allow-Methods"] = CORS_METHODS
    response.headers["Access-Control-Allow-Headers"] = CORS_REQUEST_HEADERS
    response.headers["Access-Control-Max-Age"] = CORS_MAX_AGE
    return response
