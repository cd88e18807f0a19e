"""Personnel import schemas: the upload, the dry-run switch and the report."""

import marshmallow as ma
from flask_smorest.fields import Upload

from blueprints.fields import Schema

STATUSES = ("created", "updated", "unchanged", "refused")


class ImportFileSchema(Schema):
    file = Upload(
        required=True,
        metadata={
            "description": "A CSV (UTF-8, with or without BOM; comma, semicolon or tab) or "
            "XLSX file (first sheet). The first row names the columns, in any case: "
            "first_name, last_name, employee_id, email, active (true/false) and "
            "external_ids.<scheme> (e.g. external_ids.state_post). At most 10 MB and "
            "20,000 rows."
        },
    )


class ImportQuerySchema(Schema):
    dry_run = ma.fields.Boolean(
        load_default=False,
        metadata={"description": "Report what the file would do and write nothing."},
    )


class CellErrorSchema(Schema):
    column = ma.fields.String()
    message = ma.fields.String()


class ReportRowSchema(Schema):
    row = ma.fields.Integer(metadata={"description": "Row number in the file; the header is 1."})
    status = ma.fields.String(validate=ma.validate.OneOf(STATUSES))
    person_id = ma.fields.Integer(
        allow_none=True,
        metadata={
            "description": "The person matched or created (null for a new person in "
            "a dry run, and for refused rows)."
        },
    )
    matched_by = ma.fields.String(
        allow_none=True,
        metadata={"description": "employee_id, external_ids.<scheme> or email."},
    )
    changes = ma.fields.List(ma.fields.String(), metadata={"description": "Fields set."})
    errors = ma.fields.List(ma.fields.Nested(CellErrorSchema))


class ImportedFileSchema(Schema):
    name = ma.fields.String()
    format = ma.fields.String()
    sha256 = ma.fields.String()
    bytes = ma.fields.Integer()
    rows = ma.fields.Integer()


class ImportReportSchema(Schema):
    dry_run = ma.fields.Boolean()
    imported = ma.fields.Boolean(metadata={"description": "Whether anything was written."})
    file = ma.fields.Nested(ImportedFileSchema)
    created = ma.fields.Integer()
    updated = ma.fields.Integer()
    unchanged = ma.fields.Integer()
    refused = ma.fields.Integer()
    rows = ma.fields.List(ma.fields.Nested(ReportRowSchema))
    # present when a real run is refused (422): the usual error body beside the report
    code = ma.fields.Integer()
    status = ma.fields.String()
    message = ma.fields.String()
    errors = ma.fields.Dict()
