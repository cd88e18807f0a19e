"""People from any agency, with their regulator ids."""

from peewee import BooleanField, CharField, DateTimeField, ForeignKeyField, JSONField

from .agency import Agency
from .base import BaseModel, TimestampedModel


class Person(TimestampedModel):
    agency = ForeignKeyField(Agency, backref="people")
    first_name = CharField()
    last_name = CharField()
    email = CharField(null=True, index=True)
    employee_id = CharField(null=True, index=True)  # an admin's filter spans agencies
    external_ids = JSONField(default=dict)
    # Not indexed: nothing looks people up by their survivor, and on SQLite an index here
    # makes every "merged_into IS NULL" list read nearly the whole table through it.
    merged_into = ForeignKeyField("self", null=True, backref="merged_people", index=False)
    # rules.identity.name_only_key of the name, kept in step by the operations that write it
    name_key = CharField(default="")
    # set when a person created by mistake (at another agency's door) is voided: kept, never
    # deleted, but matched by nothing and listed only with include_merged
    voided_at = DateTimeField(null=True)
    # false once the person has left the agency (a personnel import's active=false): kept,
    # records intact, never deleted
    active = BooleanField(default=True)
    # the person agrees to be congratulated by partner agencies (recognition feed)
    share_achievements = BooleanField(default=True)

    class Meta:
        indexes = (
            (("agency", "employee_id"), True),
            # the lists' order (name, then id), with the columns every list filters on, so a
            # page, its count and an agency's filter read the index alone
            (("last_name", "first_name", "id", "merged_into", "voided_at"), False),
            (("agency", "last_name", "first_name", "id", "merged_into", "voided_at"), False),
            (("agency", "name_key"), False),
        )

    @property
    def full_name(self):
        return f"{self.first_name} {self.last_name}"


# The few people the lists hide (merged or voided), indexed on their own: a list of everyone
# is counted as every person less these, since a count of the listed reads an entry per
# person (~80 ms at a million on SQLite) where a whole table's count does not.
HIDDEN = Person.merged_into.is_null(False) | Person.voided_at.is_null(False)
Person.add_index(Person.index(Person.id, name="person_hidden", where=HIDDEN))


class PersonExternalId(BaseModel):
    """One regulator id of a person; unique per scheme so it can match walk-ins."""

    person = ForeignKeyField(Person, backref="external_id_rows")
    scheme = CharField()
    value = CharField()

    class Meta:
        indexes = ((("scheme", "value"), True),)


def set_external_ids(person, external_ids):
    """Store a person's regulator ids, both as a JSON column and as unique lookup rows."""
    person.external_ids = dict(external_ids)
    person.save()
    PersonExternalId.delete().where(PersonExternalId.person == person).execute()
    if external_ids:
        PersonExternalId.insert_many(
            [
                {"person": person.id, "scheme": scheme, "value": value}
                for scheme, value in external_ids.items()
            ]
        ).execute()
