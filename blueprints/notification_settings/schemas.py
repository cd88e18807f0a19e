"""Notification settings schemas."""

import marshmallow as ma

from blueprints.fields import Schema
from models import EVENT_KINDS
from models.event import DELIVERY_MODES


class NotificationSettingsSchema(Schema):
    user_id = ma.fields.Integer(dump_only=True)
    email = ma.fields.Boolean(metadata={"description": "E-mail notices on or off."})
    mode = ma.fields.String(
        validate=ma.validate.OneOf(DELIVERY_MODES),
        metadata={
            "description": "`immediate`: one e-mail per notice; `digest`: one e-mail a day "
            "(07:00 where the user's agency is). Coordinators default to `digest`."
        },
    )
    kinds = ma.fields.List(
        ma.fields.String(validate=ma.validate.OneOf(EVENT_KINDS)),
        metadata={"description": "The kinds of notice the user hears; the rest are muted."},
    )
    available_kinds = ma.fields.List(ma.fields.String(), dump_only=True)


class AgencyNotificationSettingsSchema(Schema):
    agency_id = ma.fields.Integer(dump_only=True)
    expiry_offsets = ma.fields.List(
        ma.fields.Integer(validate=ma.validate.Range(min=0, max=730)),
        required=True,
        allow_none=True,
        validate=ma.validate.Length(min=1, max=10),
        metadata={
            "description": "Days before a certification's last valid day on which its holder "
            "and coordinators are told (0: on that day). null: the default, 90, 30, 7, 0."
        },
    )


class UnsubscribedSchema(Schema):
    user_id = ma.fields.Integer()
    kind = ma.fields.String()
    message = ma.fields.String()
