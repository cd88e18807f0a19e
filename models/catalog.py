"""What can be earned and taught: certifications and courses."""

from peewee import (
    BooleanField,
    CharField,
    DecimalField,
    ForeignKeyField,
    IntegerField,
    JSONField,
    TextField,
)

from .agency import Agency
from .base import BaseModel, TimestampedModel

COURSE_KINDS = ("class", "drill", "exercise", "ride_along", "job_shadowing", "conference")


class Certification(TimestampedModel):
    name = CharField()
    issuing_body = CharField()
    validity_months = IntegerField(null=True)
    code = CharField(null=True)
    agency = ForeignKeyField(Agency, null=True, backref="certifications")


class Course(TimestampedModel):
    host_agency = ForeignKeyField(Agency, backref="courses")
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
        indexes = ((("host_agency", "code"), True),)


class CourseCredit(BaseModel):
    """Hours of a course counted toward one credit category (state POST, NCCP, ISO...)."""

    course = ForeignKeyField(Course, backref="credit_rows")
    category = CharField()
    hours = DecimalField(max_digits=8, decimal_places=2)

    class Meta:
        indexes = ((("course", "category"), True),)


class CourseAward(BaseModel):
    """A certification a course awards, and on what conditions."""

    course = ForeignKeyField(Course, backref="award_rows")
    certification = ForeignKeyField(Certification, backref="course_rows")
    min_hours = DecimalField(max_digits=8, decimal_places=2, null=True)
    requires_pass = BooleanField(default=False)

    class Meta:
        indexes = ((("course", "certification"), True),)
