"""The limits of what one request may send: sizes, nesting, lengths and number ranges.

The field limits are defaults: a field that states its own limit keeps it. They are both
enforced and stated in the OpenAPI document (blueprints/fields.py applies them to every
schema a route loads its arguments with). Body sizes per route are configuration
(config.py: MAX_JSON_BODY, MAX_BULK_JSON_BODY, MAX_CONTENT_LENGTH).
"""

MAX_DEPTH = 32  # levels of arrays and objects inside one another in a JSON body
MAX_TEXT = 2000  # characters in a string (a reason, a note, a description)
MAX_ITEMS = 1000  # items in a list inside a body
MAX_BATCH = 10_000  # rows of a body that is itself a list (attendance, results)
MAX_ENTRIES = 20  # entries in a map (external_ids, category_hours, options)
MAX_DECIMAL_TEXT = 40  # characters in a decimal number written as a string ("7.50")
# Whole numbers fit PostgreSQL's integer, the type ids and counts are stored in.
MIN_INT, MAX_INT = -(2**31), 2**31 - 1

# Routes that take batches (thousands of rows) and may send MAX_BULK_JSON_BODY bytes;
# every other route's JSON body may be MAX_JSON_BODY bytes.
BULK_ROUTES = (
    "attendance.OfferingAttendance",
    "attendance.CloseOpenStays",
    "results.Results",
)
# Routes that take a file: up to MAX_CONTENT_LENGTH bytes reach them, and each checks the
# file against its own, smaller limit (people import 10 MB, evidence 10 MB, logo 512 KB)
# so its answer says which.
UPLOAD_ROUTES = (
    "people_import.PeopleImport",
    "submissions.SubmissionEvidence",
    "agency_logos.AgencyLogoItem",
)


def body_limit(config, endpoint):
    """The most bytes a request to this endpoint may send."""
    if endpoint in UPLOAD_ROUTES:
        return config["MAX_CONTENT_LENGTH"]
    if endpoint in BULK_ROUTES:
        return config["MAX_BULK_JSON_BODY"]
    return config["MAX_JSON_BODY"]
