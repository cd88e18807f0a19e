"""What a user hears by e-mail, an agency's expiry alert days, and one-click unsubscribes."""

from database import in_write_transaction
from models import AgencyNotificationSetting, NotificationSetting, utcnow

from . import audit


def _user_row(user):
    row = NotificationSetting.get_or_none(NotificationSetting.user == user.id)
    return row or NotificationSetting(user=user.id, email=True, mode=None, muted_kinds=[])


def _facts(row):
    return {"email": row.email, "mode": row.mode, "muted_kinds": sorted(row.muted_kinds)}


def _save_user_row(row, before, actor, action, reason=None):
    row.updated_at = utcnow()
    row.save()
    user = row.user
    audit.record(
        actor,
        action,
        "notification_settings",
        user.id,
        before=before,
        after=_facts(row),
        reason=reason,
        agency_id=user.agency_id,
    )
    return row


@in_write_transaction
def update_notification_settings(user, data, actor):
    """Set a user's e-mail on/off, immediate or digest, and the kinds they hear
    (`kinds`: every kind not listed is muted)."""
    from notifications.email import KINDS  # the kinds e-mail tells of

    row = _user_row(user)
    before = _facts(row) if row.id else None
    if "email" in data:
        row.email = data["email"]
    if "mode" in data:
        row.mode = data["mode"]
    if "kinds" in data:
        row.muted_kinds = sorted(set(KINDS) - set(data["kinds"]))
    return _save_user_row(row, before, actor, "update")


@in_write_transaction
def unsubscribe(user, kind):
    """The user followed the unsubscribe link of a `kind` notice: mute that kind (the
    signed link stands for the user, who is recorded as the actor)."""
    row = _user_row(user)
    if row.id and kind in row.muted_kinds:
        return row
    before = _facts(row) if row.id else None
    row.muted_kinds = sorted({*row.muted_kinds, kind})
    return _save_user_row(row, before, user, "unsubscribe", reason=f"Unsubscribe link: {kind}.")


@in_write_transaction
def update_agency_notification_settings(agency, data, actor):
    """Set the days before a certification lapses on which the agency's people are told
    (0: on the last valid day); None restores the default."""
    row = AgencyNotificationSetting.get_or_none(AgencyNotificationSetting.agency == agency.id)
    before = {"expiry_offsets": row.expiry_offsets} if row else None
    row = row or AgencyNotificationSetting(agency=agency.id)
    offsets = data.get("expiry_offsets")
    row.expiry_offsets = sorted(set(offsets), reverse=True) if offsets is not None else None
    row.updated_at = utcnow()
    row.save()
    audit.record(
        actor,
        "update",
        "agency_notification_settings",
        agency.id,
        before=before,
        after={"expiry_offsets": row.expiry_offsets},
        agency_id=agency.id,
    )
    return row
