"""Initial schema: every table of Muster v1, as frozen models."""

from peewee import *


def up(migrator, db):
    class Agency(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        name = CharField()
        code = CharField(unique=True)
        kind = CharField()
        state = CharField(null=True)
        timezone = CharField(default="UTC")
        verified = BooleanField(default=True)
        merged_into = ForeignKeyField("self", null=True)
        export_profile = JSONField(null=True)
        paper_size = CharField(default="letter")

        class Meta:
            database = db
            table_name = "agency"

    db.create_tables([Agency])

    class AgencyLogo(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        agency = ForeignKeyField(Agency)
        media_type = CharField()
        content = BlobField()
        sha256 = CharField()
        width = IntegerField()
        height = IntegerField()
        replaced_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "agency_logo"
            indexes = ((("agency", "replaced_at"), False),)

    db.create_tables([AgencyLogo])

    class AgencyNotificationSetting(Model):
        agency = ForeignKeyField(Agency, unique=True)
        expiry_offsets = JSONField(null=True)
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "agency_notification_setting"

    db.create_tables([AgencyNotificationSetting])

    class AgencyPartner(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        agency = ForeignKeyField(Agency)
        partner = ForeignKeyField(Agency)
        removed_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "agency_partner"
            indexes = ((("agency", "partner"), True),)

    db.create_tables([AgencyPartner])

    class Person(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        agency = ForeignKeyField(Agency)
        first_name = CharField()
        last_name = CharField()
        email = CharField(index=True, null=True)
        employee_id = CharField(index=True, null=True)
        external_ids = JSONField(default=dict)
        merged_into = ForeignKeyField("self", null=True, index=False)
        name_key = CharField(default="")
        voided_at = DateTimeField(null=True)
        active = BooleanField(default=True)
        share_achievements = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "person"
            indexes = (
                (("agency", "employee_id"), True),
                (("last_name", "first_name", "id", "merged_into", "voided_at"), False),
                (("agency", "last_name", "first_name", "id", "merged_into", "voided_at"), False),
                (("agency", "name_key"), False),
            )

    Person.add_index(
        Person.index(
            Person.id,
            name="person_hidden",
            where=SQL('(("merged_into_id" IS NOT NULL) OR ("voided_at" IS NOT NULL))'),
        )
    )
    db.create_tables([Person])

    class User(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        email = CharField(unique=True)
        role = CharField()
        agency = ForeignKeyField(Agency, null=True)
        person = ForeignKeyField(Person, null=True)
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "user"

    db.create_tables([User])

    class ApiToken(Model):
        user = ForeignKeyField(User)
        token_hash = CharField(unique=True)
        prefix = CharField()
        created_at = DateTimeField()
        expires_at = DateTimeField(null=True)
        revoked_at = DateTimeField(null=True)
        label = CharField(null=True)

        class Meta:
            database = db
            table_name = "api_token"

    db.create_tables([ApiToken])

    class Course(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        host_agency = ForeignKeyField(Agency)
        code = CharField()
        title = CharField()
        description = TextField(default="")
        kind = CharField(default="class")
        hours = DecimalField(max_digits=8, decimal_places=2)
        external_ids = JSONField(default=dict)
        min_attendance_pct = DecimalField(max_digits=5, decimal_places=2, default=100)
        requires_pass = BooleanField(default=False)
        allows_partial = BooleanField(default=False)

        class Meta:
            database = db
            table_name = "course"
            indexes = ((("host_agency", "code"), True),)

    db.create_tables([Course])

    class Offering(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        course = ForeignKeyField(Course)
        host_agency = ForeignKeyField(Agency)
        location = CharField(default="")
        status = CharField(index=True, default="scheduled")
        closed_at = DateTimeField(null=True)
        visibility = CharField(default="host")
        capacity = IntegerField(null=True)
        reservations_release_at = DateTimeField(null=True)
        registration_closes_at = DateTimeField(null=True)
        waitlist = BooleanField(default=True)
        sequence = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "offering"

    db.create_tables([Offering])

    class Completion(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        person = ForeignKeyField(Person, index=False)
        offering = ForeignKeyField(Offering, null=True)
        course = ForeignKeyField(Course, null=True)
        issuer = ForeignKeyField(Agency, null=True)
        title = CharField()
        provider = CharField(null=True)
        hours = DecimalField(max_digits=8, decimal_places=2)
        credits = JSONField(default=list)
        completed_on = DateField()
        partial = BooleanField(default=False)
        external = BooleanField(default=False)
        passed = BooleanField(null=True)
        score = DecimalField(null=True, max_digits=6, decimal_places=2)
        verify_code = CharField(unique=True)
        revoked_at = DateTimeField(null=True)
        revoked_reason = TextField(null=True)
        revoked_on_close = BooleanField(default=False)

        class Meta:
            database = db
            table_name = "completion"
            indexes = ((("person", "completed_on", "id", "revoked_at", "hours"), False),)

    db.create_tables([Completion])

    class Attempt(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        person = ForeignKeyField(Person)
        offering = ForeignKeyField(Offering)
        course = ForeignKeyField(Course)
        issuer = ForeignKeyField(Agency)
        outcome = CharField()
        hours_attended = DecimalField(max_digits=8, decimal_places=2)
        hours_required = DecimalField(max_digits=8, decimal_places=2)
        reasons = JSONField(default=list)
        completion = ForeignKeyField(Completion, null=True)

        class Meta:
            database = db
            table_name = "attempt"
            indexes = ((("offering", "person"), True),)

    db.create_tables([Attempt])

    class Session(Model):
        offering = ForeignKeyField(Offering)
        starts_at = DateTimeField()
        ends_at = DateTimeField()

        class Meta:
            database = db
            table_name = "session"

    db.create_tables([Session])

    class Attendance(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        offering = ForeignKeyField(Offering)
        session = ForeignKeyField(Session, index=False)
        person = ForeignKeyField(Person)
        minutes = IntegerField()
        check_in = DateTimeField(null=True)
        check_out = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "attendance"
            indexes = ((("session", "person"), True),)

    db.create_tables([Attendance])

    class AuditEntry(Model):
        at = DateTimeField(index=True)
        user_id = IntegerField(null=True)
        user_email = CharField(null=True)
        action = CharField()
        entity = CharField()
        entity_id = CharField()
        agency_id = IntegerField(index=True, null=True)
        person_agency_id = IntegerField(index=True, null=True)
        before = JSONField(null=True)
        after = JSONField(null=True)
        reason = TextField(null=True)

        class Meta:
            database = db
            table_name = "audit_entry"
            indexes = ((("entity", "entity_id"), False),)

    db.create_tables([AuditEntry])

    class Certification(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        name = CharField()
        issuing_body = CharField()
        validity_months = IntegerField(null=True)
        code = CharField(null=True)
        agency = ForeignKeyField(Agency, null=True)

        class Meta:
            database = db
            table_name = "certification"

    db.create_tables([Certification])

    class Award(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        person = ForeignKeyField(Person)
        certification = ForeignKeyField(Certification)
        offering = ForeignKeyField(Offering, null=True)
        completion = ForeignKeyField(Completion, null=True)
        renews = ForeignKeyField("self", null=True)
        number = CharField(unique=True)
        issued_on = DateField()
        expires_on = DateField(null=True)
        verify_code = CharField(unique=True)
        revoked_at = DateTimeField(null=True)
        revoked_reason = TextField(null=True)
        revoked_on_close = BooleanField(default=False)

        class Meta:
            database = db
            table_name = "award"

    db.create_tables([Award])

    class CalendarFeed(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        user = ForeignKeyField(User)
        kind = CharField()
        agency = ForeignKeyField(Agency, null=True)
        secret_hash = CharField(unique=True)
        revoked_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "calendar_feed"

    db.create_tables([CalendarFeed])

    class CheckIn(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        offering = ForeignKeyField(Offering)
        session = ForeignKeyField(Session)
        person = ForeignKeyField(Person)
        user = ForeignKeyField(User)
        status = CharField(index=True, default="pending")
        checked_in_at = DateTimeField()
        checked_out_at = DateTimeField(null=True)
        decided_by = ForeignKeyField(User, null=True)
        decided_at = DateTimeField(null=True)
        reason = TextField(null=True)

        class Meta:
            database = db
            table_name = "check_in"
            indexes = ((("session", "person"), True),)

    db.create_tables([CheckIn])

    class CheckInCode(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        offering = ForeignKeyField(Offering, unique=True)
        code = CharField()

        class Meta:
            database = db
            table_name = "check_in_code"

    db.create_tables([CheckInCode])

    class CourseAward(Model):
        course = ForeignKeyField(Course)
        certification = ForeignKeyField(Certification)
        min_hours = DecimalField(null=True, max_digits=8, decimal_places=2)
        requires_pass = BooleanField(default=False)

        class Meta:
            database = db
            table_name = "course_award"
            indexes = ((("course", "certification"), True),)

    db.create_tables([CourseAward])

    class CourseCredit(Model):
        course = ForeignKeyField(Course)
        category = CharField()
        hours = DecimalField(max_digits=8, decimal_places=2)

        class Meta:
            database = db
            table_name = "course_credit"
            indexes = ((("course", "category"), True),)

    db.create_tables([CourseCredit])

    class Event(Model):
        kind = CharField(index=True)
        payload = JSONField(default=dict)
        agency_ids = JSONField(default=list)
        person = ForeignKeyField(Person, null=True)
        offering = ForeignKeyField(Offering, null=True)
        key = CharField(unique=True, null=True)
        created_at = DateTimeField()
        fanned_out_at = DateTimeField(index=True, null=True)

        class Meta:
            database = db
            table_name = "event"

    db.create_tables([Event])

    class Delivery(Model):
        event = ForeignKeyField(Event)
        channel = CharField()
        recipient = CharField()
        status = CharField(default="pending")
        digest = BooleanField(default=False)
        attempts = IntegerField(default=0)
        next_attempt_at = DateTimeField()
        claimed_until = DateTimeField(null=True)
        claimed_by = CharField(null=True)
        last_error = TextField(null=True)
        sent_at = DateTimeField(null=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "delivery"
            indexes = (
                (("event", "channel", "recipient"), True),
                (("status", "next_attempt_at"), False),
            )

    db.create_tables([Delivery])

    class ExportProfile(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        agency = ForeignKeyField(Agency, unique=True)
        format = CharField()
        preset = CharField(null=True)
        options = JSONField(default=dict)
        sealed_secrets = TextField(null=True)

        class Meta:
            database = db
            table_name = "export_profile"

    db.create_tables([ExportProfile])

    class ExportPush(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        agency = ForeignKeyField(Agency, unique=True)
        cursor = DateTimeField(null=True)
        claimed_at = DateTimeField(null=True)
        claim = CharField(null=True)
        pushes = IntegerField(default=0)
        last_result = JSONField(null=True)

        class Meta:
            database = db
            table_name = "export_push"

    db.create_tables([ExportPush])

    class IdempotencyRecord(Model):
        user_id = IntegerField()
        key = CharField()
        method = CharField()
        path = CharField()
        fingerprint = CharField()
        status_code = IntegerField(null=True)
        body = TextField(null=True)
        created_at = DateTimeField()

        class Meta:
            database = db
            table_name = "idempotency_record"
            indexes = ((("user_id", "key"), True),)

    db.create_tables([IdempotencyRecord])

    class NotificationSetting(Model):
        user = ForeignKeyField(User, unique=True)
        email = BooleanField(default=True)
        mode = CharField(null=True)
        muted_kinds = JSONField(default=list)
        updated_at = DateTimeField()

        class Meta:
            database = db
            table_name = "notification_setting"

    db.create_tables([NotificationSetting])

    class OfferingInstructor(Model):
        offering = ForeignKeyField(Offering)
        person = ForeignKeyField(Person)

        class Meta:
            database = db
            table_name = "offering_instructor"
            indexes = ((("offering", "person"), True),)

    db.create_tables([OfferingInstructor])

    class PersonExternalId(Model):
        person = ForeignKeyField(Person)
        scheme = CharField()
        value = CharField()

        class Meta:
            database = db
            table_name = "person_external_id"
            indexes = ((("scheme", "value"), True),)

    db.create_tables([PersonExternalId])

    class RateCount(Model):
        scope = CharField()
        address = CharField()
        window_start = IntegerField(index=True)
        hits = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "rate_count"
            indexes = ((("scope", "address", "window_start"), True),)

    db.create_tables([RateCount])

    class Registration(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        offering = ForeignKeyField(Offering)
        person = ForeignKeyField(Person)
        agency = ForeignKeyField(Agency)
        status = CharField(index=True)
        seat = CharField(null=True)
        requested_by = ForeignKeyField(User, null=True)
        decided_by = ForeignKeyField(User, null=True)
        decided_at = DateTimeField(null=True)
        comment = TextField(null=True)
        waitlisted_at = DateTimeField(null=True)
        confirmed_at = DateTimeField(null=True)
        cancelled_at = DateTimeField(null=True)
        cancelled_by = ForeignKeyField(User, null=True)
        reason = TextField(null=True)
        sequence = IntegerField(default=0)

        class Meta:
            database = db
            table_name = "registration"
            indexes = ((("offering", "status"), False), (("offering", "person"), False))

    db.create_tables([Registration])

    class Requirement(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        agency = ForeignKeyField(Agency)
        name = CharField()
        kind = CharField()
        hours = DecimalField(null=True, max_digits=8, decimal_places=2)
        period_months = IntegerField(null=True)
        cycle_start = DateField(null=True)
        category = CharField(null=True)
        category_hours = JSONField(default=dict)
        certification = ForeignKeyField(Certification, null=True)
        active = BooleanField(default=True)

        class Meta:
            database = db
            table_name = "requirement"

    db.create_tables([Requirement])

    class Result(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        offering = ForeignKeyField(Offering)
        person = ForeignKeyField(Person)
        passed = BooleanField()
        score = DecimalField(null=True, max_digits=6, decimal_places=2)

        class Meta:
            database = db
            table_name = "result"
            indexes = ((("offering", "person"), True),)

    db.create_tables([Result])

    class RosterEntry(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        offering = ForeignKeyField(Offering)
        person = ForeignKeyField(Person)
        walk_in = BooleanField(default=False)
        status = CharField(default="enrolled")
        reason = TextField(null=True)
        matched_by = CharField(null=True)
        created_person = BooleanField(default=False)
        matched_by_user = ForeignKeyField(User, null=True)
        matched_at = DateTimeField(null=True)
        corrected_at = DateTimeField(null=True)

        class Meta:
            database = db
            table_name = "roster_entry"
            indexes = ((("offering", "person"), True),)

    db.create_tables([RosterEntry])

    class SeatReservation(Model):
        offering = ForeignKeyField(Offering)
        agency = ForeignKeyField(Agency)
        seats = IntegerField()

        class Meta:
            database = db
            table_name = "seat_reservation"
            indexes = ((("offering", "agency"), True),)

    db.create_tables([SeatReservation])

    class SigningKey(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        agency = ForeignKeyField(Agency, unique=True)
        did = CharField()
        sealed_seed = TextField()

        class Meta:
            database = db
            table_name = "signing_key"

    db.create_tables([SigningKey])

    class Submission(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        person = ForeignKeyField(Person)
        title = CharField()
        provider = CharField()
        completed_on = DateField()
        hours = DecimalField(max_digits=8, decimal_places=2)
        credits = JSONField(default=list)
        evidence = BlobField(null=True)
        evidence_name = CharField(null=True)
        evidence_type = CharField(null=True)
        status = CharField(index=True, default="pending")
        comment = TextField(null=True)
        reviewed_by = ForeignKeyField(User, null=True)
        reviewed_at = DateTimeField(null=True)
        completion = ForeignKeyField(Completion, null=True)

        class Meta:
            database = db
            table_name = "submission"

    db.create_tables([Submission])

    class WebhookEndpoint(Model):
        created_at = DateTimeField()
        updated_at = DateTimeField(index=True)
        agency = ForeignKeyField(Agency)
        url = TextField()
        description = CharField(null=True)
        events = JSONField(default=list)
        active = BooleanField(default=True)
        sealed_secret = TextField()
        secret_rotated_at = DateTimeField(null=True)
        consecutive_failures = IntegerField(default=0)
        disabled_at = DateTimeField(null=True)
        disabled_reason = TextField(null=True)
        last_success_at = DateTimeField(null=True)
        created_by = ForeignKeyField(User, null=True)

        class Meta:
            database = db
            table_name = "webhook_endpoint"

    db.create_tables([WebhookEndpoint])

    class WebhookAttempt(Model):
        delivery = ForeignKeyField(Delivery)
        endpoint = ForeignKeyField(WebhookEndpoint)
        attempted_at = DateTimeField()
        succeeded = BooleanField(default=False)
        response_code = IntegerField(null=True)
        error = TextField(null=True)
        duration_ms = IntegerField(null=True)

        class Meta:
            database = db
            table_name = "webhook_attempt"
            indexes = ((("delivery", "attempted_at"), False),)

    db.create_tables([WebhookAttempt])


def down(migrator, db):
    migrator.migrate(migrator.drop_table("webhook_attempt"))
    migrator.migrate(migrator.drop_table("webhook_endpoint"))
    migrator.migrate(migrator.drop_table("submission"))
    migrator.migrate(migrator.drop_table("signing_key"))
    migrator.migrate(migrator.drop_table("seat_reservation"))
    migrator.migrate(migrator.drop_table("roster_entry"))
    migrator.migrate(migrator.drop_table("result"))
    migrator.migrate(migrator.drop_table("requirement"))
    migrator.migrate(migrator.drop_table("registration"))
    migrator.migrate(migrator.drop_table("rate_count"))
    migrator.migrate(migrator.drop_table("person_external_id"))
    migrator.migrate(migrator.drop_table("offering_instructor"))
    migrator.migrate(migrator.drop_table("notification_setting"))
    migrator.migrate(migrator.drop_table("idempotency_record"))
    migrator.migrate(migrator.drop_table("export_push"))
    migrator.migrate(migrator.drop_table("export_profile"))
    migrator.migrate(migrator.drop_table("delivery"))
    migrator.migrate(migrator.drop_table("event"))
    migrator.migrate(migrator.drop_table("course_credit"))
    migrator.migrate(migrator.drop_table("course_award"))
    migrator.migrate(migrator.drop_table("check_in_code"))
    migrator.migrate(migrator.drop_table("check_in"))
    migrator.migrate(migrator.drop_table("calendar_feed"))
    migrator.migrate(migrator.drop_table("award"))
    migrator.migrate(migrator.drop_table("certification"))
    migrator.migrate(migrator.drop_table("audit_entry"))
    migrator.migrate(migrator.drop_table("attendance"))
    migrator.migrate(migrator.drop_table("session"))
    migrator.migrate(migrator.drop_table("attempt"))
    migrator.migrate(migrator.drop_table("completion"))
    migrator.migrate(migrator.drop_table("offering"))
    migrator.migrate(migrator.drop_table("course"))
    migrator.migrate(migrator.drop_table("api_token"))
    migrator.migrate(migrator.drop_table("user"))
    migrator.migrate(migrator.drop_table("person"))
    migrator.migrate(migrator.drop_table("agency_partner"))
    migrator.migrate(migrator.drop_table("agency_notification_setting"))
    migrator.migrate(migrator.drop_table("agency_logo"))
    migrator.migrate(migrator.drop_table("agency"))
