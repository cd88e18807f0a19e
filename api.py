"""Muster's flask-smorest Api, Blueprint and Page: import these, never flask-smorest's."""

import http
import re

import flask_smorest
import marshmallow as ma
from apispec import BasePlugin
from flask import g, jsonify, request
from flask_smorest import etag as smorest_etag
from peewee import DataError, IntegrityError
from webargs.flaskparser import FlaskParser, is_json_request
from werkzeug.exceptions import MethodNotAllowed, PreconditionRequired
from werkzeug.routing import IntegerConverter

import limits
import paging
from blueprints.fields import limit_request_fields
from database import Busy
from rules.errors import Conflict, RuleViolation

abort = flask_smorest.abort


def one_or_404(query, item_id, noun):
    """The item of a model or query with this id; 404 if none (or none the caller may see)."""
    query = query.select() if isinstance(query, type) else query
    item = query.where(query.model.id == item_id).first()
    if item is None:
        abort(404, message=f"No {noun} {item_id}.")
    return item


def invalid(field, message):
    """422 naming one invalid field of the JSON body."""
    abort(422, message=message, errors={"json": {field: [message]}})


class Page(flask_smorest.Page):
    """Pages a peewee query with LIMIT/OFFSET in SQL and a COUNT, never a full fetch.

    A list (a report computed in Python) is sliced; a page past the middle of a query is
    read from its end (paging.page_of), so the last page costs what the first does.
    """

    @property
    def items(self):
        if isinstance(self.collection, list):
            return super().items
        params = self.page_params
        return paging.page_of(self.collection, params.page, params.page_size, params.item_count)

    @property
    def item_count(self):
        if isinstance(self.collection, list):
            return len(self.collection)
        return self.collection.count()


class MappedQuery:
    """A query whose page of items is passed through `view_page` (e.g. to attach child rows
    with one query per kind for the whole page)."""

    def __init__(self, query, view_page):
        self.query, self.view_page = query, view_page

    def paginate(self, page, page_size):
        return self.view_page(list(self.query.paginate(page, page_size)))

    def count(self):
        return self.query.count()


class Parser(FlaskParser):
    """webargs' parser, given the JSON body guards.py has already parsed and checked."""

    def _raw_load_json(self, req):
        if is_json_request(req) and "json_body" in g:
            return g.json_body
        return super()._raw_load_json(req)


class IdConverter(IntegerConverter):
    """`<int:...>` in a route: an id in ASCII digits without a leading zero, 1 to MAX_INT.
    Anything else (`/people/٣`, `/people/03`, `/people/0`) names no resource: 404."""

    regex = r"[1-9][0-9]{0,9}"

    def __init__(self, map, *args, **kwargs):
        kwargs.setdefault("min", 1)
        kwargs.setdefault("max", limits.MAX_INT)
        super().__init__(map, *args, **kwargs)


IF_MATCH_HEADER = {
    **smorest_etag.IF_MATCH_HEADER,
    "description": 'The ETag of the item as last read, e.g. "5d41402abc4b2a76"; '
    "* is refused (428).",
    "schema": {"type": "string", "pattern": r'^(W/)?"[!#-~]*"(, ?(W/)?"[!#-~]*")*$'},
}
STAR_IF_MATCH = (
    "If-Match: * does not say which version you read: send the ETag of the item as you "
    "read it (GET it first), so no edit overwrites another unseen."
)


class Blueprint(flask_smorest.Blueprint):
    """Blueprint with Muster's page sizes (page_size up to 1000), the request limits of
    blueprints.fields on every schema it loads, and a real ETag for every edit."""

    DEFAULT_PAGINATION_PARAMETERS = {"page": 1, "page_size": 50, "max_page_size": 1000}
    ARGUMENTS_PARSER = Parser()

    def arguments(self, schema, *args, **kwargs):
        return super().arguments(limit_request_fields(schema), *args, **kwargs)

    def paginate(self, pager=Page, **kwargs):
        paginate = super().paginate(pager, **kwargs)

        def decorator(func):
            wrapper = paginate(func)
            limit_request_fields(wrapper._apidoc["pagination"]["parameters"]["schema"])
            return wrapper

        return decorator

    def _check_precondition(self):
        """Deferred to check_etag, so an unknown or hidden item answers 404 before 428."""

    def check_etag(self, etag_data, etag_schema=None):
        """428 without If-Match or with `*`, 412 if it no longer matches: no edit
        overwrites another."""
        if request.method in self.METHODS_NEEDING_CHECK_ETAG:
            if not request.if_match:
                raise PreconditionRequired
            if request.if_match.star_tag:
                abort(428, message=STAR_IF_MATCH, errors={"headers": {"If-Match": [STAR_IF_MATCH]}})
        super().check_etag(etag_data, etag_schema)


MAX_ERRORS = 20


def capped(errors, limit=MAX_ERRORS):
    """The first `limit` error messages, in their nesting, so a huge bad body cannot make
    a huge answer; "_truncated" says how many more there were."""
    budget = [limit]
    dropped = [0]

    def walk(node):
        if isinstance(node, dict):
            kept = {}
            for key, value in node.items():
                if budget[0] <= 0:
                    dropped[0] += count(value)
                    continue
                kept[key] = walk(value)
            return kept
        if isinstance(node, list) and all(isinstance(item, str) for item in node):
            budget[0] -= 1
            return node
        if isinstance(node, list):
            return [walk(item) for item in node]
        budget[0] -= 1
        return node

    def count(node):
        if isinstance(node, dict):
            return sum(count(v) for v in node.values())
        return 1

    result = walk(errors)
    if dropped[0]:
        result["_truncated"] = [f"{dropped[0]} more errors not shown."]
    return result


INTEGRITY_PATTERNS = (
    re.compile(r"UNIQUE constraint failed: (?P<columns>[\w., ]+)"),
    re.compile(r"Key \((?P<columns>[\w, ]+)\)=\((?P<values>.*)\) already exists"),
)


def integrity_columns(error):
    """(table, columns, values) a unique constraint names, from SQLite's or PostgreSQL's
    text; values only where the database says them (PostgreSQL)."""
    # peewee keeps the driver's exception as the context; psycopg2's names the table.
    original = getattr(error, "orig", None) or error.__context__
    diag_table = getattr(getattr(original, "diag", None), "table_name", None)
    for pattern in INTEGRITY_PATTERNS:
        match = pattern.search(str(error))
        if match:
            parts = [p.strip() for p in match["columns"].split(",")]
            table = parts[0].split(".")[0] if "." in parts[0] else diag_table or "record"
            values = match.groupdict().get("values")
            values = values.split(", ", len(parts) - 1) if values else None
            return table, [p.split(".")[-1] for p in parts], values
    return "record", [], None


def regulator_id_taken(values):
    """A regulator id that two racing writes both claimed: said as the rules say it."""
    if values:
        return f"external_ids.{values[0]} {values[1]!r} already belongs to another person."
    return "external_ids: one of these regulator ids already belongs to another person."


# Unique constraints whose columns alone would say it badly.
INTEGRITY_MESSAGES = {
    ("person_external_id", ("scheme", "value")): ("external_ids", regulator_id_taken)
}


PAGINATION_HEADER = {
    "description": "Pagination metadata, as JSON text: an object with total, total_pages, "
    "first_page, last_page, page, and previous_page and next_page where there are such "
    'pages, e.g. {"total": 120, "total_pages": 3, "first_page": 1, "last_page": 3, '
    '"page": 1, "next_page": 2}.',
    "schema": {"type": "string"},
}


def within_batch(rows):
    """The rows of a batch (a body that is a list), refused (422) past limits.MAX_BATCH."""
    if len(rows) > limits.MAX_BATCH:
        abort(422, message=f"A batch holds at most {limits.MAX_BATCH} rows; send several.")
    return rows


class _BatchesInSpec(BasePlugin):
    """A body that is a list states the rows it may hold (maxItems), as within_batch
    enforces them; registered after the marshmallow plugin, so it sees schemas resolved."""

    def operation_helper(self, path=None, operations=None, **kwargs):
        for operation in operations.values():
            for content in operation.get("requestBody", {}).get("content", {}).values():
                if content["schema"].get("type") == "array":
                    content["schema"]["maxItems"] = limits.MAX_BATCH


def _limits_in_spec(self, field, ret, **kwargs):
    """A map's Length is maxProperties in the OpenAPI document, not maxLength."""
    if isinstance(field, ma.fields.Mapping):
        return {
            name.replace("Length", "Properties"): ret.pop(name)
            for name in ("minLength", "maxLength")
            if name in ret
        }
    return {}


def _error_body(code, message, errors=None):
    body = {"code": code, "status": http.HTTPStatus(code).phrase, "message": message}
    if errors:
        body["errors"] = errors
    return body


class Api(flask_smorest.Api):
    """The API: bearer-token security in the spec, and one place mapping errors to JSON."""

    def init_app(self, app, *, spec_kwargs=None):
        # Before any blueprint is registered, so every `<int:...>` in a route is an id.
        app.url_map.converters["int"] = IdConverter
        spec_kwargs = dict(spec_kwargs or {})
        spec_kwargs["extra_plugins"] = [*spec_kwargs.get("extra_plugins", ()), _BatchesInSpec()]
        super().init_app(app, spec_kwargs=spec_kwargs)
        self.ma_plugin.converter.add_attribute_function(_limits_in_spec)
        self.spec.components.security_scheme("bearer", {"type": "http", "scheme": "bearer"})
        self.spec.options["security"] = [{"bearer": []}]
        # Every Decimal is dumped as a string ("7.50"); without this the spec says number.
        self.register_field(ma.fields.Decimal, "string", "decimal")
        app.register_error_handler(IntegrityError, self._handle_integrity_error)
        app.register_error_handler(ma.ValidationError, self._handle_validation_error)
        app.register_error_handler(RuleViolation, self._handle_rule_violation)
        app.register_error_handler(Conflict, self._handle_conflict)
        app.register_error_handler(DataError, self._handle_out_of_range)
        app.register_error_handler(OverflowError, self._handle_out_of_range)
        app.register_error_handler(Busy, self._handle_busy)

    def _register_pagination_header(self):
        # Sent as JSON text in a header, so documented as the string it is.
        self.spec.components.header("PAGINATION", PAGINATION_HEADER, lazy=True)

    def _register_etag_headers(self):
        # flask-smorest's, but If-Match states that it is a real ETag (never *).
        components = self.spec.components
        components.parameter(
            "IF_NONE_MATCH", "header", smorest_etag.IF_NONE_MATCH_HEADER, lazy=True
        )
        components.parameter("IF_MATCH", "header", IF_MATCH_HEADER, lazy=True)
        components.header("ETAG", smorest_etag.ETAG_HEADER, lazy=True)

    def handle_http_exception(self, error):
        """flask-smorest's JSON body, with a message always (naming the invalid fields);
        a 405 says which methods are allowed (Allow)."""
        payload, code, headers = super().handle_http_exception(error)
        if isinstance(error, MethodNotAllowed) and error.valid_methods:
            headers = {**dict(headers or {}), "Allow": ", ".join(sorted(error.valid_methods))}
        if "errors" in payload:
            payload["errors"] = capped(payload["errors"])
        if "message" not in payload:
            fields = [
                f"{location}.{name}"
                for location, names in payload.get("errors", {}).items()
                if isinstance(names, dict)
                for name in names
            ]
            payload["message"] = (
                f"Invalid input: {', '.join(fields)}." if fields else error.description
            )
        return payload, code, headers

    @staticmethod
    def _handle_integrity_error(error):
        # The database's own text names tables and values: say it in words instead.
        table, columns, values = integrity_columns(error)
        if (table, tuple(columns)) in INTEGRITY_MESSAGES:
            field, describe = INTEGRITY_MESSAGES[table, tuple(columns)]
            message = describe(values)
            return jsonify(_error_body(409, message, {"json": {field: [message]}})), 409
        fields = [
            c.removesuffix("_id") if c.endswith("_id") and c != "employee_id" else c
            for c in columns
        ]
        if not columns:
            return jsonify(_error_body(409, "Conflicts with an existing record.")), 409
        named = [c for c in columns if c not in ("agency_id", "offering_id", "user_id")]
        message = (
            f"Another {table.replace('_', ' ')} already has this "
            f"{' and '.join(f.replace('_', ' ') for f in fields)}."
        )
        return jsonify(
            _error_body(409, message, {"json": {c: [message] for c in (named or columns)}})
        ), 409

    @staticmethod
    def _handle_out_of_range(error):
        # The database refused a value the schemas let through (a huge id, say).
        return jsonify(
            _error_body(
                422, "A value is out of range for the database: " + str(error).splitlines()[0]
            )
        ), 422

    @staticmethod
    def _handle_rule_violation(error):
        return jsonify(_error_body(422, error.message, capped({"json": error.errors}))), 422

    @staticmethod
    def _handle_busy(error):
        response = jsonify(_error_body(503, str(error)))
        response.headers["Retry-After"] = "1"
        return response, 503

    @staticmethod
    def _handle_conflict(error):
        return jsonify(_error_body(409, error.message)), 409

    @staticmethod
    def _handle_validation_error(error):
        return jsonify(_error_body(422, "Invalid input.", capped({"json": error.messages}))), 422
