"""peewee models: data only, no HTTP."""

from .agency import AGENCY_KINDS, PAPER_SIZES, Agency, AgencyLogo
from .audit import AuditEntry, IdempotencyRecord
from .base import BaseModel, to_utc, utcnow
from .calendar_feed import FEED_KINDS, CalendarFeed
from .catalog import COURSE_KINDS, Certification, Course, CourseAward, CourseCredit
from .check_in import CHECK_IN_STATUSES, CheckIn, CheckInCode
from .compliance import Requirement, Submission
from .event import (
    DELIVERY_STATUSES,
    EVENT_KINDS,
    AgencyNotificationSetting,
    Delivery,
    Event,
    NotificationSetting,
)
from .export import ExportProfile, ExportPush, SigningKey
from .offering import (
    OFFERING_STATUSES,
    VISIBILITIES,
    Attendance,
    Offering,
    OfferingInstructor,
    Result,
    RosterEntry,
    Session,
)
from .partner import AgencyPartner
from .person import Person, PersonExternalId, set_external_ids
from .rate_limit import RateCount
from .record import ATTEMPT_OUTCOMES, Attempt, Award, Completion
from .registration import REGISTRATION_STATUSES, Registration, SeatReservation
from .user import ROLES, ApiToken, User
from .webhook import WebhookAttempt, WebhookEndpoint

MODELS = [
    Agency,
    AgencyLogo,
    Person,
    PersonExternalId,
    User,
    ApiToken,
    Certification,
    Course,
    CourseCredit,
    CourseAward,
    Offering,
    OfferingInstructor,
    Session,
    RosterEntry,
    Attendance,
    Result,
    Completion,
    Award,
    Attempt,
    Requirement,
    Submission,
    AuditEntry,
    IdempotencyRecord,
    ExportProfile,
    ExportPush,
    SigningKey,
    AgencyPartner,
    CheckInCode,
    CheckIn,
    RateCount,
    SeatReservation,
    Registration,
    CalendarFeed,
    Event,
    Delivery,
    NotificationSetting,
    AgencyNotificationSetting,
    WebhookEndpoint,
    WebhookAttempt,
]
