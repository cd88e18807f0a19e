"""Close and reopen schemas."""

import marshmallow as ma

from blueprints.fields import Hours, Schema
from blueprints.offerings.schemas import OfferingSchema


class OutcomeSchema(Schema):
    person_id = ma.fields.Integer()
    outcome = ma.fields.String(metadata={"description": "complete, partial or none"})
    hours = Hours()
    reasons = ma.fields.List(ma.fields.String())
    completion_id = ma.fields.Integer(allow_none=True)
    award_ids = ma.fields.List(ma.fields.Integer())


class CloseResultSchema(Schema):
    offering = ma.fields.Nested(OfferingSchema)
    outcomes = ma.fields.List(ma.fields.Nested(OutcomeSchema))
