"""Person schemas."""

import marshmallow as ma

from blueprints.fields import Partial, Schema, UtcDateTime

ID_VALUE = ma.fields.String(validate=ma.validate.Length(min=1, max=100))
ID_NAME = ma.fields.String(
    validate=ma.validate.Regexp(
        r"^[a-z][a-z0-9_]{0,39}$", error="Regulator id names are lower_snake_case, e.g. state_post."
    )
)


class PersonSchema(Schema):
    id = ma.fields.Integer(dump_only=True)
    agency_id = ma.fields.Integer(required=True)
    first_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    last_name = ma.fields.String(required=True, validate=ma.validate.Length(min=1, max=100))
    email = ma.fields.Email(allow_none=True)
    employee_id = ma.fields.String(allow_none=True, validate=ma.validate.Length(min=1, max=60))
    external_ids = ma.fields.Dict(
        keys=ID_NAME,
        values=ID_VALUE,
        load_default=dict,
        metadata={
            "description": 'Regulator ids by scheme, e.g. {"state_post": "IL-55501"}. '
            "Scheme names are lower_snake_case: a-z first, then a-z, 0-9 or _, 40 characters "
            "at most."
        },
    )
    merged_into_id = ma.fields.Integer(dump_only=True, allow_none=True)
    active = ma.fields.Boolean(
        dump_only=True,
        metadata={
            "description": "False once the person left the agency (set by the personnel "
            "import's `active` column)."
        },
    )
    share_achievements = ma.fields.Boolean(
        dump_only=True,
        metadata={
            "description": "Whether partners' recognition feeds may show the person's awards "
            "(changed by PUT /people/{id}/sharing)."
        },
    )
    voided_at = UtcDateTime(
        dump_only=True,
        allow_none=True,
        metadata={"description": "Set when a record created by mistake was voided."},
    )
    created_at = UtcDateTime(dump_only=True)
    updated_at = UtcDateTime(dump_only=True)


class PersonUpdateSchema(Partial, PersonSchema):
    pass


class PersonQuerySchema(Schema):
    agency_id = ma.fields.Integer()
    employee_id = ma.fields.String()
    email = ma.fields.String()
    q = ma.fields.String(metadata={"description": "Part of the first or last name."})
    include_merged = ma.fields.Boolean(load_default=False)


class MergeSchema(Schema):
    duplicate_id = ma.fields.Integer(required=True)
    reason = ma.fields.String(load_default=None, validate=ma.validate.Length(max=2000))


class MergeResultSchema(Schema):
    person = ma.fields.Nested(PersonSchema)
    duplicate_id = ma.fields.Integer()
    records = ma.fields.Dict(
        keys=ma.fields.String(),
        values=ma.fields.Integer(),
        metadata={"description": "Rows per table now on the survivor."},
    )
