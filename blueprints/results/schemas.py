"""Result schemas."""

import marshmallow as ma

from blueprints import contract
from blueprints.fields import Schema, UtcDateTime


class ResultSchema(Schema):
    person_id = ma.fields.Integer(required=True)
    passed = ma.fields.Boolean(required=True)
    score = ma.fields.Decimal(
        places=2,
        as_string=True,
        allow_none=True,
        load_default=None,
        validate=ma.validate.Range(min=0, max=1000),
        metadata=contract.SCORE,
    )
    updated_at = UtcDateTime(dump_only=True)
