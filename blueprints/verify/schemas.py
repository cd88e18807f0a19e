"""Verification schema: only what a certificate shows, nothing more about the person."""

import marshmallow as ma

from blueprints.fields import Hours, Schema

SOURCES = ("host", "self_reported", "recorded")


class VerificationSchema(Schema):
    status = ma.fields.String(metadata={"description": "valid, expired or revoked"})
    kind = ma.fields.String(metadata={"description": "completion or award"})
    source = ma.fields.String(
        metadata={
            "enum": list(SOURCES),
            "description": "host: issued by the host agency from attendance at its class; "
            "self_reported: outside training the person reported and their home agency "
            "approved (see provider and approved_by); recorded: an earlier award recorded "
            "by the agency keeping the certification.",
        }
    )
    person_name = ma.fields.String()
    title = ma.fields.String()
    number = ma.fields.String(allow_none=True)
    issued_on = ma.fields.Date()
    expires_on = ma.fields.Date(allow_none=True)
    hours = Hours(allow_none=True)
    issuer = ma.fields.String(allow_none=True)
    provider = ma.fields.String(
        allow_none=True, metadata={"description": "self_reported: who gave the training."}
    )
    approved_by = ma.fields.String(
        allow_none=True,
        metadata={"description": "self_reported: the home agency that approved it."},
    )
