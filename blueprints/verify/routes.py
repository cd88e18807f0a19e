"""GET /verify/{code}: anyone may check a certificate, by its code or its award number;
JSON for API clients, a small page for a phone that scanned the certificate's QR code."""

from flask import current_app, make_response, render_template, request
from flask.views import MethodView

from api import Blueprint, abort
from operations.rate_limits import count_request
from queries.verification import verification
from rules import clock

from .schemas import VerificationSchema

blp = Blueprint(
    "verify",
    __name__,
    url_prefix="/api/v1/verify",
    description="Public check of a certificate's verification code or award number.",
    template_folder="templates",
)

NOT_FOUND = "No certificate has this code or number."
TOO_MANY = "Too many verification requests from this address; try again later."

# The status in words as well as colour, so it reads without colour too.
STATUS_WORDS = {
    "valid": {"label": "Valid", "mark": "✓", "sentence": "This record is current."},
    "expired": {"label": "Expired", "mark": "!", "sentence": "This certification has expired."},
    "revoked": {
        "label": "Revoked",
        "mark": "✗",
        "sentence": "Its issuer has revoked this record; it is no longer valid.",
    },
}
SOURCE_NOTES = {
    "host": "Issued by the host agency from attendance at its class.",
    "recorded": "An earlier award recorded by the agency that keeps the certification.",
    "self_reported": "Outside training the person reported and their home agency approved.",
}
# A page that loads nothing from anywhere: its one stylesheet is inline, allowed by its
# hash in the Content-Security-Policy security.py gives every HTML page.
PAGE_HEADERS = {
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-cache",
    "Vary": "Accept",
}
HTML_DOC = {
    "responses": {
        "200": {
            "description": "The certificate's public facts; a page for a browser.",
            "content": {
                "application/json": {"schema": VerificationSchema},
                "text/html": {"schema": {"type": "string"}},
            },
        },
        "404": {"description": NOT_FOUND},
        "429": {"description": TOO_MANY + " Retry-After gives the seconds to wait."},
    }
}


@blp.app_template_filter("long_date")
def long_date(day):
    return f"{day:%B} {day.day}, {day.year}"


@blp.app_template_filter("hours")
def hours(value):
    return f"{value:.2f} hours"


def wants_html():
    """A browser: one that prefers HTML to JSON (no Accept header, or */*, is JSON)."""
    return request.accept_mimetypes.best_match(["application/json", "text/html"]) == "text/html"


def page(template, status, headers=None, **values):
    response = make_response(render_template(template, **values), status)
    response.headers.update({**PAGE_HEADERS, **(headers or {})})
    response.mimetype = "text/html"
    return response


@blp.route("/<string:code>")
class Verify(MethodView):
    @blp.doc(security=[], **HTML_DOC)
    @blp.response(200, VerificationSchema)
    def get(self, code):
        """Check a certificate by its verification code (any case, spaces or dashes) or its
        award number: status, holder's name, title, dates, hours and where it came from.

        A browser (Accept preferring text/html) gets the same as a page for a phone.
        Requests are limited per client address (429 with Retry-After)."""
        html = wants_html()
        config = current_app.config
        wait = count_request(
            "verify",
            request.remote_addr or "unknown",
            config["VERIFY_RATE_LIMIT"],
            config["VERIFY_RATE_WINDOW"],
        )
        if wait is not None:
            headers = {"Retry-After": str(wait), "Vary": "Accept"}
            if html:
                return page("verify/too_many.html", 429, headers, minutes=-(-wait // 60))
            abort(429, message=TOO_MANY, headers=headers)
        found = verification(code)
        if found is None:
            if html:
                return page("verify/not_found.html", 404)
            abort(404, message=NOT_FOUND, headers={"Vary": "Accept"})
        if html:
            return page(
                "verify/certificate.html",
                200,
                v=found,
                words=STATUS_WORDS[found["status"]],
                source_note=SOURCE_NOTES[found["source"]],
                checked_on=clock.today(),
            )
        return found, 200, {"Vary": "Accept"}
