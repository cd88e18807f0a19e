"""/agencies/{id}/exports: the agency's people's records, wherever they trained, streamed in
the format its system imports; /exports/push sends what is new to its LRS."""

import re
from urllib.parse import quote

from flask import Response, current_app, request, stream_with_context
from flask.views import MethodView
from marshmallow import ValidationError

import lms
from api import Blueprint, abort
from auth import current_user
from lms.lrs_client import LRSError
from operations.exports import push_to_lrs, signing_seeds
from policy import agency_exports_of
from queries.exports import (
    DEFAULT_WINDOW_SECONDS,
    aware,
    changed_records,
    host_agency_ids,
    profile_of,
    profile_options,
    pull_bound,
)

from .schemas import ExportQuerySchema, PushResultSchema

blp = Blueprint(
    "exports",
    __name__,
    url_prefix="/api/v1/agencies",
    description="A home agency's people's records in the format its own system imports.",
)

EXPORT_DOC = {
    "responses": {
        "200": {
            "description": "The records, streamed as a file (Content-Disposition: attachment).",
            "headers": {
                "X-Next-Since": {
                    "description": "Give it as `since` in the next pull to get only what "
                    "changed after this one (each change exactly once).",
                    "schema": {"type": "string", "format": "date-time"},
                }
            },
            "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
        }
    }
}


def public_base():
    return (current_app.config.get("PUBLIC_BASE_URL") or request.url_root).rstrip("/")


def window_seconds():
    return float(current_app.config.get("EXPORT_CURSOR_WINDOW_SECONDS", DEFAULT_WINDOW_SECONDS))


def stamp(moment):
    return moment.strftime("%Y%m%dT%H%M%SZ") if moment else "start"


def file_name(agency, fmt, preset, since, bound):
    """`RPD_csv-totara-course_20260301T000000Z_to_20260401T120000Z.csv`."""
    code = re.sub(r"[^A-Za-z0-9.-]+", "-", agency.code).strip("-") or f"agency-{agency.id}"
    what = f"{fmt.name}-{preset}" if preset else fmt.name
    return f"{code}_{what}_{stamp(since)}_to_{stamp(bound)}.{fmt.extension}"


def chosen_format(profile, args):
    """(format, options, preset): the request's format or preset, else the profile's."""
    try:
        if "format" in args:
            fmt = lms.get(args["format"])
        elif profile is not None:
            fmt = lms.get(profile.format)
        else:
            abort(
                422,
                message="This agency has no export profile: give ?format= (and ?preset=).",
                errors={"query": {"format": ["Required: the agency has no export profile."]}},
            )
        if "preset" in args:
            fmt.preset(args["preset"])
            return fmt, {}, args["preset"]
    except ValidationError as error:
        abort(422, message="Unknown format or preset.", errors={"query": error.messages})
    if profile is not None and profile.format == fmt.name:
        return fmt, profile_options(profile), profile.preset
    return fmt, {}, None


@blp.route("/<int:agency_id>/exports")
class Exports(MethodView):
    @blp.arguments(ExportQuerySchema, location="query")
    @blp.doc(**EXPORT_DOC)
    def get(self, args, agency_id):
        """Download the agency's people's records changed in a window, in its format."""
        user = current_user()
        agency = agency_exports_of(user, agency_id)
        fmt, options, preset = chosen_format(profile_of(agency.id), args)
        since = args.get("since")
        since = since.replace(tzinfo=None) if since else None
        bound = pull_bound(args.get("until"), window_seconds())
        next_since = max(bound, since) if since else bound
        base = public_base()
        options = {k: v for k, v in options.items() if k not in lms.SERVER_SET}
        takes = fmt.options_schema().fields
        if "base_url" in takes:
            options["base_url"] = base
        if "more" in takes:  # xAPI's StatementResult: the link to the next pull
            cursor = quote(aware(next_since).isoformat())
            options["more"] = (
                f"{base}/api/v1/agencies/{agency.id}/exports?format=xapi&since={cursor}"
            )
        context = {}
        if fmt.name == "open-badges":
            seeds = signing_seeds(
                host_agency_ids(agency.id, since, bound),
                user,
                secret_key=current_app.config["SECRET_KEY"],
            )
            context["signing_key"] = seeds.__getitem__
        try:
            body = fmt.write(
                changed_records(agency.id, since, bound, base), options, preset, context
            )
        except ValidationError as error:
            abort(
                422,
                message="The export options are incomplete or invalid: "
                + ", ".join(map(str, error.messages))
                + " (set them in the export profile or pick a ?preset=).",
                errors={"query": {"options": error.messages}},
            )
        response = Response(stream_with_context(body), content_type=fmt.media_type)
        name = file_name(agency, fmt, preset, since, next_since)
        response.headers["Content-Disposition"] = f'attachment; filename="{name}"'
        response.headers["X-Next-Since"] = aware(next_since).isoformat()
        response.headers["Cache-Control"] = "private, no-store"
        response.headers["X-Content-Type-Options"] = "nosniff"
        return response


@blp.route("/<int:agency_id>/exports/push")
class ExportPush(MethodView):
    @blp.response(200, PushResultSchema)
    @blp.alt_response(409, description="A push for this agency is running, or no LRS is set.")
    @blp.alt_response(502, description="The LRS refused or stayed unreachable; retry later.")
    def post(self, agency_id):
        """Send what changed since the last push to the profile's LRS as xAPI statements."""
        user = current_user()
        agency = agency_exports_of(user, agency_id)
        try:
            return push_to_lrs(
                agency,
                user,
                secret_key=current_app.config["SECRET_KEY"],
                base_url=public_base(),
                verify_base=public_base(),
                window_seconds=window_seconds(),
            )
        except LRSError as error:
            abort(502, message=f"The LRS did not take the statements: {error}")
