"""Sign-in sheet schemas."""

import marshmallow as ma

from blueprints.fields import Schema


class SignInSheetQuerySchema(Schema):
    id_scheme = ma.fields.String(
        validate=ma.validate.Regexp(
            r"^[a-z][a-z0-9_]{0,39}$",
            error="Regulator id names are lower_snake_case, e.g. state_post or nremt.",
        ),
        metadata={"description": "The regulator id printed for each person (state_post, nremt…)."},
    )
    blank_rows = ma.fields.Integer(
        load_default=5,
        validate=ma.validate.Range(min=0, max=200),
        metadata={"description": "Blank rows for walk-ins (0 to 200; 5 unless given)."},
    )
