"""Export format schemas."""

import marshmallow as ma

from blueprints.fields import Schema


class PresetSchema(Schema):
    name = ma.fields.String()
    title = ma.fields.String()
    description = ma.fields.String()
    options = ma.fields.Dict()


class ExportFormatSchema(Schema):
    name = ma.fields.String(metadata={"description": "What ?format= and a profile call it."})
    title = ma.fields.String()
    media_type = ma.fields.String()
    extension = ma.fields.String()
    options_schema = ma.fields.Dict(
        metadata={"description": "The format's options as a JSON Schema object."}
    )
    presets = ma.fields.List(ma.fields.Nested(PresetSchema))
