"""What the OpenAPI document says of values the server checks beyond their JSON type:
decimal strings, dates and times in range, timezones. Each is a metadata dict for a field,
a subset of what the server accepts, so a request the document calls valid is accepted."""

import zoneinfo

# Two decimal places at most, ASCII digits, no sign or exponent.
HOURS = {"pattern": r"^[0-9]{1,4}(\.[0-9]{1,2})?$"}  # 0 to 9999.99
POSITIVE_HOURS = {"pattern": r"^([1-9][0-9]{0,3}(\.[0-9]{1,2})?|0?\.(0[1-9]|[1-9][0-9]?))$"}
POSITIVE_HOURS_UNDER_1000 = {
    "pattern": r"^([1-9][0-9]{0,2}(\.[0-9]{1,2})?|0?\.(0[1-9]|[1-9][0-9]?))$"
}
PERCENT = {"pattern": r"^([0-9]{1,2}(\.[0-9]{1,2})?|100(\.00?)?)$"}  # 0 to 100
SCORE = {"pattern": r"^[0-9]{1,3}(\.[0-9]{1,2})?$"}  # 0 to 999.99

# Dates and times on records run from 1950 to 2200 (date arithmetic never overflows).
RECORD_YEARS = r"^(19[5-9][0-9]|2[01][0-9]{2})-"
RECORD_DATE = {"pattern": RECORD_YEARS}
RECORD_TIME = {"pattern": RECORD_YEARS}

TIMEZONE = {"enum": sorted(zoneinfo.available_timezones())}

# Lower-case names of regulator ids and credit categories, stated in words: OpenAPI 3.0
# has no keyword for the keys of a map.
SNAKE_KEYS = "Keys are lower_snake_case: a-z first, then a-z, 0-9 or _, 60 characters at most."
