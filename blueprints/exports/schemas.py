"""Export request and push result schemas."""

import marshmallow as ma

from blueprints.fields import QueryDateTime, Schema


class ExportQuerySchema(Schema):
    format = ma.fields.String(
        validate=ma.validate.Length(min=1, max=40),
        metadata={"description": "Another format than the profile's (GET /export-formats)."},
    )
    preset = ma.fields.String(
        validate=ma.validate.Length(min=1, max=80),
        metadata={"description": "A preset of the format, its options instead of the profile's."},
    )
    since = QueryDateTime(
        metadata={
            "description": "Only records issued or changed at or after this time: give the "
            "X-Next-Since of the previous pull."
        }
    )
    until = QueryDateTime(
        metadata={
            "description": "Only records changed before this time (at most a few minutes "
            "ago: the newest changes come in the next pull); not before `since`."
        }
    )

    @ma.validates_schema
    def _order(self, data, **_):
        if data.get("since") and data.get("until") and data["until"] < data["since"]:
            raise ma.ValidationError("Must not be before since.", "until")


class PushResultSchema(Schema):
    records = ma.fields.Integer(metadata={"description": "Records changed since the last push."})
    revocations = ma.fields.Integer()
    replaced = ma.fields.Integer(
        metadata={"description": "Earlier versions of corrected records the LRS held, voided."}
    )
    statements = ma.fields.Integer(metadata={"description": "Statements sent, voidings included."})
    sent = ma.fields.Integer(metadata={"description": "Accepted by the LRS."})
    already_stored = ma.fields.Integer(
        metadata={"description": "The LRS had them already (a re-send after a failure)."}
    )
    conflicts = ma.fields.List(
        ma.fields.String(),
        metadata={"description": "Statement ids the LRS holds with other content; not doubled."},
    )
    batches = ma.fields.Integer()
    since = ma.fields.String(allow_none=True)
    next_since = ma.fields.String()
