"""Recognition feed and sharing schemas."""

import marshmallow as ma

from blueprints.fields import Schema


class RecognitionSchema(Schema):
    award_id = ma.fields.Integer()
    certification = ma.fields.Method("certification_of")
    person_name = ma.fields.Method("name_of", metadata={"description": "As written."})
    agency = ma.fields.Method("agency_of", metadata={"description": "The person's agency."})
    offering = ma.fields.Method("offering_of")
    issued_on = ma.fields.Date()
    expires_on = ma.fields.Date(allow_none=True)

    def certification_of(self, row):
        return {
            "id": row["certification_id"],
            "name": row["certification_name"],
            "issuing_body": row["issuing_body"],
        }

    def name_of(self, row):
        return f"{row['first_name']} {row['last_name']}"

    def agency_of(self, row):
        return {"id": row["agency_id"], "name": row["agency_name"], "code": row["agency_code"]}

    def offering_of(self, row):
        return {
            "id": row["offering_id"],
            "title": row["course_title"],
            "host_agency_id": row["host_agency_id"],
            "host_agency_name": row["host_agency_name"],
        }


class SharingSchema(Schema):
    share_achievements = ma.fields.Boolean(
        required=True,
        metadata={
            "description": "Whether partner agencies' recognition feeds show this person's "
            "awards (default true)."
        },
    )


class SharingResultSchema(SharingSchema):
    person_id = ma.fields.Integer(attribute="id")
