"""/agencies/{id}/people/import: load an agency's people from a personnel file."""

import http

from flask.views import MethodView

from api import Blueprint, abort, capped
from auth import current_user
from operations.people_import import MAX_BYTES, import_people, preview_import, read_table
from policy import agency_managed_by
from rules.errors import RuleViolation

from .schemas import ImportFileSchema, ImportQuerySchema, ImportReportSchema

blp = Blueprint(
    "people_import",
    __name__,
    url_prefix="/api/v1/agencies",
    description="Personnel import: people created, updated (matched by employee id, then "
    "regulator id, then e-mail) or deactivated (active=false; never deleted) from a file.",
)


def refused(report):
    """The 422 body of a refused real run: the error body and the whole report."""
    problems = {
        f"row {row['row']}": {e["column"]: [e["message"]] for e in row["errors"]}
        for row in report["rows"]
        if row["status"] == "refused"
    }
    message = (
        f"{report['refused']} of {report['file']['rows']} rows refused; nothing was imported. "
        "Correct the rows named and send the file again."
    )
    code = http.HTTPStatus.UNPROCESSABLE_ENTITY
    return {
        "code": code.value,
        "status": code.phrase,
        "message": message,
        "errors": {"files": capped({"file": problems})},
        **report,
    }


@blp.route("/<int:agency_id>/people/import")
class PeopleImport(MethodView):
    @blp.arguments(ImportQuerySchema, location="query")
    @blp.arguments(ImportFileSchema, location="files")
    @blp.response(200, ImportReportSchema)
    @blp.alt_response(422, schema=ImportReportSchema, description="A row refused: nothing written.")
    def post(self, args, files, agency_id):
        """Import the agency's people from a CSV or XLSX file (its coordinator, admin).

        With `dry_run=true` nothing is written: the report says, per row, whether the person
        would be created, updated, left unchanged or refused (with the column and reason).
        The real run is all-or-nothing in one transaction: any refused row answers 422 with
        the report and writes nothing. Sending the same file again changes nothing (every row
        unchanged). Blank cells leave the value on file; `active=false` deactivates a person
        who left, never deleting them.
        """
        user = current_user()
        agency = agency_managed_by(user, agency_id)
        upload = files["file"]
        content = upload.stream.read(MAX_BYTES + 1)
        if len(content) > MAX_BYTES:
            abort(
                413,
                message=f"The file is larger than {MAX_BYTES // (1024 * 1024)} MB; "
                "split it into smaller files.",
            )
        try:
            table = read_table(content, upload.filename or "people.csv")
            if args["dry_run"]:
                return preview_import(agency, table)
            report = import_people(agency, table, user)
        except RuleViolation as error:  # the file came as multipart, not as JSON
            abort(422, message=error.message, errors={"files": error.errors})
        if not report["imported"]:
            return refused(report), 422
        return report
