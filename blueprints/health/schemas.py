"""Health schema."""

import marshmallow as ma

from blueprints.fields import Schema


class HealthSchema(Schema):
    status = ma.fields.String()
    schema_version = ma.fields.String(allow_none=True)
