"""The e-mail channel: who hears what, rendered from templates, sent by SMTP or to a file
outbox a developer can read when no SMTP server is configured."""

import datetime
import logging
import os
import smtplib
import ssl
import uuid
import zoneinfo
from email.message import EmailMessage
from email.utils import format_datetime, make_msgid

from flask import current_app
from itsdangerous import BadSignature, URLSafeSerializer
from jinja2 import Environment, FileSystemLoader, select_autoescape

from models import NotificationSetting, OfferingInstructor, Registration, RosterEntry, User

from .channels import DeliveryFailed, register

log = logging.getLogger("muster.email")

TEMPLATES = os.path.join(os.path.dirname(os.path.abspath(__file__)), "templates")
DIGEST_HOUR = 7  # local time of the recipient's agency at which the daily digest leaves
UNSUBSCRIBE_SALT = "muster.notifications.unsubscribe"

# What each audience hears about: the person's own users, their home coordinators, the
# host's coordinators and the class's instructors.
OWN = {
    "award.issued",
    "award.revoked",
    "completion.issued",
    "completion.revoked",
    "registration.confirmed",
    "registration.waitlisted",
    "registration.promoted",
    "registration.declined",
    "registration.cancelled",
    "submission.approved",
    "submission.rejected",
    "certification.expiring",
}
HOME = OWN | {"registration.pending"}
CLASS = {
    "registration.confirmed",
    "registration.waitlisted",
    "registration.promoted",
    "registration.cancelled",
    "offering.changed",
    "offering.cancelled",
}
ATTENDEES = {"offering.changed", "offering.cancelled"}  # people registered or on the roster
AGENCY = {"export.push_failed", "webhook.disabled"}  # the agencies' coordinators
KINDS = sorted(OWN | HOME | CLASS | AGENCY)

environment = Environment(
    loader=FileSystemLoader(TEMPLATES),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


# --- settings --------------------------------------------------------------------------


def default_mode(user):
    """Coordinators hear of their people in a daily digest; everyone else at once."""
    return "digest" if user.role == "coordinator" else "immediate"


def settings_of(user):
    """(e-mail on, mode, muted kinds) of a user, the defaults where they set nothing."""
    row = NotificationSetting.get_or_none(NotificationSetting.user == user.id)
    if row is None:
        return True, default_mode(user), set()
    return row.email, row.mode or default_mode(user), set(row.muted_kinds)


def hears(user, kind, settings=None):
    """Whether `user` gets `kind` notices by e-mail (`settings`: theirs, if already read)."""
    email_on, _, muted = settings or settings_of(user)
    return bool(user.active and user.email and email_on and kind not in muted)


# --- who hears what --------------------------------------------------------------------


def _users(query):
    return list(query.where(User.active == True))


def audience(event):
    """The active users this event concerns, as the design says who hears what."""
    kind, users = event.kind, {}
    person = event.person
    if person is not None and kind in OWN:
        for user in _users(User.select().where(User.person == person.id)):
            users[user.id] = user
    if person is not None and kind in HOME:
        home = User.select().where(User.role == "coordinator", User.agency == person.agency_id)
        for user in _users(home):
            users[user.id] = user
    offering = event.offering
    if offering is not None and kind in CLASS:
        host = User.select().where(
            User.role == "coordinator", User.agency == offering.host_agency_id
        )
        teaching = User.select().where(
            User.person.in_(
                OfferingInstructor.select(OfferingInstructor.person).where(
                    OfferingInstructor.offering == offering.id
                )
            )
        )
        for user in _users(host) + _users(teaching):
            users[user.id] = user
    if offering is not None and kind in ATTENDEES:
        registered = Registration.select(Registration.person).where(
            Registration.offering == offering.id,
            Registration.status.in_(("pending", "confirmed", "waitlisted")),
        )
        rostered = RosterEntry.select(RosterEntry.person).where(
            RosterEntry.offering == offering.id, RosterEntry.status == "enrolled"
        )
        query = User.select().where(User.person.in_(registered) | User.person.in_(rostered))
        for user in _users(query):
            users[user.id] = user
    if kind in AGENCY:
        query = User.select().where(User.role == "coordinator", User.agency.in_(event.agency_ids))
        for user in _users(query):
            users[user.id] = user
    return [users[key] for key in sorted(users)]


# --- rendering -------------------------------------------------------------------------


def _zone(user):
    agency = user.agency or (user.person.agency if user.person_id else None)
    return (agency.timezone if agency else None) or "UTC"


def local_time(value, zone):
    """An ISO UTC instant (naive or Z) shown in `zone`, with the zone's abbreviation."""
    if not value:
        return ""
    moment = datetime.datetime.fromisoformat(str(value).replace("Z", "+00:00"))
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=datetime.UTC)
    return moment.astimezone(zoneinfo.ZoneInfo(zone)).strftime("%a %d %b %Y %H:%M %Z")


def local_date(value):
    """An ISO date, written out (dates carry no zone: a last valid day is the same day)."""
    if not value:
        return ""
    return datetime.date.fromisoformat(str(value)[:10]).strftime("%a %d %b %Y")


def serializer():
    return URLSafeSerializer(current_app.config["SECRET_KEY"], salt=UNSUBSCRIBE_SALT)


def unsubscribe_token(user_id, kind):
    return serializer().dumps({"u": user_id, "k": kind})


def read_unsubscribe_token(token):
    """(user id, kind) from a token, or None if it is not one of ours."""
    try:
        data = serializer().loads(token)
        return int(data["u"]), str(data["k"])
    except (BadSignature, KeyError, TypeError, ValueError):
        return None


def unsubscribe_page(kind, message=None):
    """The HTML page of an unsubscribe link: a form asking to confirm (its POST acts), or,
    with `message`, the confirmation that it was done. Self-contained: no external asset."""
    return _render("unsubscribe.html", kind=kind, done=message is not None, message=message)


def unsubscribe_url(user_id, kind):
    base = current_app.config["PUBLIC_BASE_URL"].rstrip("/")
    return f"{base}/api/v1/notifications/unsubscribe/{unsubscribe_token(user_id, kind)}"


def _notice(event, user, zone):
    return {
        "kind": event.kind,
        "facts": event.payload or {},
        "when": local_time(event.created_at.isoformat(), zone),
        "unsubscribe": unsubscribe_url(user.id, event.kind),
    }


def _render(name, **context):
    return environment.get_template(name).render(**context)


def compose(user, events, digest):
    """The message for `user` about `events` (one, or a digest of several)."""
    zone = _zone(user)
    notices = [_notice(event, user, zone) for event in events]
    helpers = {"local_time": lambda v: local_time(v, zone), "local_date": local_date}
    context = {"user": user, "notices": notices, "digest": digest, "zone": zone, **helpers}
    config = current_app.config
    message = EmailMessage()
    if digest:
        message["Subject"] = f"Muster: {len(notices)} notice(s) today"
    else:
        message["Subject"] = _render("subject.txt", notice=notices[0], **helpers).strip()
    message["From"] = config["MAIL_FROM"]
    message["To"] = user.email
    message["Date"] = format_datetime(datetime.datetime.now(datetime.UTC))
    message["Message-ID"] = make_msgid(domain="muster")
    if len(notices) == 1:
        message["List-Unsubscribe"] = f"<{notices[0]['unsubscribe']}>"
        message["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    message.set_content(_render("notice.txt", **context))
    message.add_alternative(_render("notice.html", **context), subtype="html")
    return message


# --- transport -------------------------------------------------------------------------


def outbox_dir(config):
    return config.get("MAIL_OUTBOX") or os.path.join(current_app.instance_path, "outbox")


def describe_transport(config):
    if config.get("SMTP_HOST"):
        return f"e-mail goes by SMTP to {config['SMTP_HOST']}:{config['SMTP_PORT']}"
    return (
        "SMTP_HOST is not set: e-mail is written to the file outbox "
        f"{outbox_dir(config)}/*.eml instead of being sent"
    )


def announce(app):
    """Say at start where e-mail goes (the file outbox when no SMTP server is set)."""
    with app.app_context():
        if not app.config.get("SMTP_HOST"):
            app.logger.warning(describe_transport(app.config))


def transmit(message):
    """Send one message by SMTP, or write it to the file outbox."""
    config = current_app.config
    if not config.get("SMTP_HOST"):
        folder = outbox_dir(config)
        os.makedirs(folder, exist_ok=True)
        stamp = datetime.datetime.now(datetime.UTC).strftime("%Y%m%dT%H%M%S")
        path = os.path.join(folder, f"{stamp}-{uuid.uuid4().hex[:12]}.eml")
        with open(path, "wb") as handle:
            handle.write(bytes(message))
        return
    host, port, tls = config["SMTP_HOST"], int(config["SMTP_PORT"]), config["SMTP_TLS"]
    try:
        if tls == "ssl":
            client = smtplib.SMTP_SSL(host, port, timeout=30, context=ssl.create_default_context())
        else:
            client = smtplib.SMTP(host, port, timeout=30)
        with client:
            if tls == "starttls":
                client.starttls(context=ssl.create_default_context())
            if config.get("SMTP_USER"):
                client.login(config["SMTP_USER"], config.get("SMTP_PASSWORD") or "")
            client.send_message(message)
    except smtplib.SMTPRecipientsRefused as error:
        message = f"The SMTP server refused the recipient: {error}"
        raise DeliveryFailed(message, retry=False) from error
    except (smtplib.SMTPException, OSError) as error:
        raise DeliveryFailed(f"SMTP {host}:{port}: {error}") from error


# --- the channel -----------------------------------------------------------------------


def _user_of(recipient):
    prefix, _, key = recipient.partition(":")
    if prefix != "user" or not key.isdigit():
        return None
    return User.get_or_none(User.id == int(key))


class EmailChannel:
    name = "email"

    def recipients(self, event):
        return [f"user:{user.id}" for user in audience(event) if hears(user, event.kind)]

    def schedule(self, event, recipient, now):
        """(digest, when): a digest recipient's notice waits for the next digest hour."""
        user = _user_of(recipient)
        if user is None or settings_of(user)[1] != "digest":
            return False, now
        return True, next_digest(now, _zone(user))

    def send(self, delivery, event):
        return self.send_batch([(delivery, event)])[delivery.id]

    def send_batch(self, items):
        """One recipient's due notices: each immediate one alone, the digest ones together;
        a notice the recipient has since switched off is skipped."""
        user = _user_of(items[0][0].recipient)
        settings = settings_of(user) if user is not None else None  # read once per batch
        results = {}
        wanted = []
        for delivery, event in items:
            if user is None or not hears(user, event.kind, settings):
                results[delivery.id] = "skipped"
            else:
                wanted.append((delivery, event))
        digest = [(d, e) for d, e in wanted if d.digest]
        for delivery, event in wanted:
            if not delivery.digest:
                results[delivery.id] = _attempt(lambda e=event: compose(user, [e], False))
        if digest:
            events = [event for _, event in digest]
            outcome = _attempt(lambda: compose(user, events, len(events) > 1))
            results.update({delivery.id: outcome for delivery, _ in digest})
        return results


def _attempt(build):
    try:
        transmit(build())
    except DeliveryFailed as failure:
        return failure
    return None


def next_digest(now, zone):
    """The next DIGEST_HOUR where the recipient is, after `now` (naive UTC), as naive UTC."""
    tz = zoneinfo.ZoneInfo(zone)
    local = now.replace(tzinfo=datetime.UTC).astimezone(tz)
    due = local.replace(hour=DIGEST_HOUR, minute=0, second=0, microsecond=0)
    if due <= local:
        due = (local + datetime.timedelta(days=1)).replace(
            hour=DIGEST_HOUR, minute=0, second=0, microsecond=0
        )
    return due.astimezone(datetime.UTC).replace(tzinfo=None)


register(EmailChannel())
