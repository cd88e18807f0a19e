"""Request guards: what a request sends is checked once, before any route reads it.

The path must be UTF-8 text without NUL (else 404: it names no resource); the query
string's and a form's names and values, and every string and key of a JSON body, must be
valid Unicode without NUL (else 422 naming each one); a body may be as large as its route
allows (limits.body_limit, else 413); a JSON body may nest limits.MAX_DEPTH levels (else
422), checked on the raw bytes before it is parsed. The parsed body is kept for the route's
schema (api.Parser), so it is parsed once.
"""

import json
import re
from urllib.parse import unquote_to_bytes

from flask import current_app, g, request

import limits
from api import abort

NUL = "Contains a NUL character."
NOT_UNICODE = "Not valid Unicode text: a lone surrogate (\\ud800) or bytes that are not UTF-8."
KEY_NUL = "This name contains a NUL character."
KEY_NOT_UNICODE = "This name is not valid Unicode text."

# Code points a string decoded from JSON or URL text holds when it was not valid UTF-8 (a
# lone surrogate escaped as \\ud800, or raw bytes kept by "surrogateescape").
_SURROGATE = re.compile("[\ud800-\udfff]")
# The JSON escapes that could decode to NUL or a surrogate; without one (and with valid
# UTF-8), a body cannot hold either, so its strings need no walk.
_RISKY_ESCAPE = re.compile(rb"\\u(?:0000|[dD][89a-fA-F])")
_JSON_STRING = re.compile(rb'"[^"\\]*(?:\\.[^"\\]*)*"')
_NOT_BRACKET = bytes(b for b in range(256) if b not in b"[]{}")
_INNERMOST = re.compile(rb"\[\]|\{\}")


def check_request():
    """Before each request (after the caller is known, so no body is read for nobody)."""
    _check_path()
    _check_query()
    limit = limits.body_limit(current_app.config, request.endpoint)
    request.max_content_length = limit
    if (request.content_length or 0) > limit:
        abort(
            413,
            message=f"This request may send at most {limit:,} bytes; "
            f"it sends {request.content_length:,}.",
        )
    if request.is_json:
        _check_json()
    elif request.mimetype in ("multipart/form-data", "application/x-www-form-urlencoded"):
        _check_form()


def _check_path():
    raw = request.environ.get("PATH_INFO", "").encode("latin-1", "replace")
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError:
        text = None
    if text is None or "\x00" in text:
        abort(404, message="No such resource: the path is not UTF-8 text, or holds a NUL.")


def _check_query():
    query = request.query_string
    if not query:
        return
    errors = {}
    for pair in query.split(b"&"):
        name, _, value = pair.partition(b"=")
        name, value = (unquote_to_bytes(part.replace(b"+", b" ")) for part in (name, value))
        problem = _text_problem(name, KEY_NUL, KEY_NOT_UNICODE) or _text_problem(value)
        if problem:
            errors[name.decode("utf-8", "replace").replace("\x00", "\ufffd")] = [problem]
    if errors:
        _refuse("query", errors)


def _text_problem(raw, nul=NUL, not_unicode=NOT_UNICODE):
    if b"\x00" in raw:
        return nul
    try:
        raw.decode("utf-8")
    except UnicodeDecodeError:
        return not_unicode
    return None


def _check_form():
    errors = {}
    for name, value in request.form.items(multi=True):
        problem = _string_problem(name, KEY_NUL, KEY_NOT_UNICODE) or _string_problem(value)
        if problem:
            errors[_shown(name)] = [problem]
    if errors:
        _refuse("form", errors)


def _check_json():
    raw = request.get_data(cache=True)
    if not raw.strip():
        return  # the route's schema says what is missing
    depth = nesting(raw)
    if depth is None:
        _not_json()
    if depth > limits.MAX_DEPTH:
        message = f"The JSON body nests more than {limits.MAX_DEPTH} levels of arrays and objects."
        abort(422, message=message, errors={"json": {"_schema": [message]}})
    try:
        text, valid = raw.decode("utf-8"), True
    except UnicodeDecodeError:
        # Kept as lone surrogates, so the walk below names the string that held them.
        text, valid = raw.decode("utf-8", "surrogateescape"), False
    try:
        data = json.loads(text, parse_constant=_no_constant)
    except (ValueError, RecursionError):
        _not_json()
    if not valid or _RISKY_ESCAPE.search(raw):
        errors = _json_problems(data)
        if errors:
            _refuse("json", errors)
    g.json_body = data


def nesting(raw):
    """Levels of arrays and objects nested in a JSON text, counted on its bytes without
    parsing it (so a deep one cannot exhaust the parser's recursion); None if its brackets
    do not pair up, so it is no JSON. Stops counting past MAX_DEPTH + 1."""
    brackets = _JSON_STRING.sub(b"", raw).translate(None, _NOT_BRACKET)
    depth = 0
    while brackets and depth <= limits.MAX_DEPTH:
        inner = _INNERMOST.sub(b"", brackets)
        if inner == brackets:
            return None
        brackets, depth = inner, depth + 1
    return depth + 1 if brackets else depth


def _no_constant(name):
    raise ValueError(f"{name} is not JSON")


def _not_json():
    abort(400, message="The body is not valid JSON.", errors={"json": ["Invalid JSON body."]})


def _json_problems(data):
    """Errors for every string and key holding NUL or invalid Unicode, nested as the body."""
    errors = {}
    stack = [(data, ())]
    while stack:
        value, path = stack.pop()
        if isinstance(value, str):
            problem = _string_problem(value)
            if problem:
                _put(errors, path or ("_schema",), problem)
        elif isinstance(value, dict):
            children = []
            for key, item in value.items():
                problem = _string_problem(key, KEY_NUL, KEY_NOT_UNICODE)
                if problem:
                    _put(errors, (*path, _shown(key)), problem)
                else:
                    children.append((item, (*path, key)))
            stack.extend(reversed(children))
        elif isinstance(value, list):
            stack.extend((value[i], (*path, i)) for i in range(len(value) - 1, -1, -1))
    return errors


def _string_problem(text, nul=NUL, not_unicode=NOT_UNICODE):
    if "\x00" in text:
        return nul
    if not text.isascii() and _SURROGATE.search(text):
        return not_unicode
    return None


def _shown(name):
    """A name as an error can show it: NUL and invalid code points replaced by U+FFFD."""
    return _SURROGATE.sub("\ufffd", name).replace("\x00", "\ufffd")


def _put(errors, path, message):
    node = errors
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node.setdefault(path[-1], []).append(message)


def _refuse(location, errors):
    names = ", ".join(f"{location}.{name}" for name in errors)
    abort(422, message=f"Invalid input: {names}.", errors={location: errors})
