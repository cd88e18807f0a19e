"""Formats described as JSON: their options as a JSON Schema, for `GET /export-formats`."""

from marshmallow import Schema, fields, validate

from lms.registry import SERVER_SET, Format

TYPES = (
    (fields.Boolean, "boolean"),
    (fields.Integer, "integer"),
    (fields.Float, "number"),
    (fields.Decimal, "number"),
    (fields.Url, "string"),
    (fields.String, "string"),
    (fields.List, "array"),
    (fields.Dict, "object"),
    (fields.Nested, "object"),
)


def _type(field: fields.Field) -> str:
    return next((name for kind, name in TYPES if isinstance(field, kind)), "string")


def _default(field: fields.Field):
    default = field.load_default
    if callable(default):
        default = default()
    return None if default is fields.missing_ else default


def field_schema(field: fields.Field, name: str = "") -> dict:
    out = {"type": _type(field)}
    if isinstance(field, fields.Url):
        out["format"] = "uri"
    if description := field.metadata.get("description"):
        out["description"] = description
    if name in SERVER_SET:
        out["readOnly"] = True
    if field.metadata.get("secret"):
        out["writeOnly"] = True  # stored sealed, never shown back
    default = _default(field)
    if default is not None or field.allow_none:
        out["default"] = default
    for rule in field.validators:
        if isinstance(rule, validate.OneOf):
            out["enum"] = list(rule.choices)
        elif isinstance(rule, validate.Range):
            out |= {
                k: v for k, v in (("minimum", rule.min), ("maximum", rule.max)) if v is not None
            }
        elif isinstance(rule, validate.Length):
            low, high = (
                ("minItems", "maxItems") if out["type"] == "array" else ("minLength", "maxLength")
            )
            out |= {k: v for k, v in ((low, rule.min), (high, rule.max)) if v is not None}
        elif isinstance(rule, validate.Regexp):
            out["pattern"] = rule.regex.pattern
    if isinstance(field, fields.List):
        out["items"] = field_schema(field.inner)
    if isinstance(field, fields.Nested):
        out |= schema_of(field.nested if isinstance(field.nested, type) else type(field.nested))
    if isinstance(field, fields.Dict) and field.value_field is not None:
        out["additionalProperties"] = field_schema(field.value_field)
    return out


def schema_of(schema: type[Schema]) -> dict:
    """A marshmallow schema as a JSON Schema object: properties, required, no other keys."""
    instance = schema()
    properties = {
        name: field_schema(f, name) for name, f in instance.fields.items() if not f.dump_only
    }
    required = [name for name, f in instance.fields.items() if f.required]
    out = {"type": "object", "properties": properties, "additionalProperties": False}
    if required:
        out["required"] = required
    return out


def describe(fmt: Format) -> dict:
    """The format as `GET /export-formats` lists it."""
    return {**fmt.describe(), "options_schema": schema_of(fmt.options_schema)}
