"""Completion exports in the formats home agencies import, behind one registry."""

from lms import csv_format, open_badges, presets, xapi, xlsx_format
from lms.registry import SERVER_SET, Format, Registry
from lms.rows import Credit, Instructor, RecordRow

REGISTRY = Registry()
REGISTRY.add(
    Format(
        name="csv",
        title="Mapped CSV",
        media_type="text/csv; charset=utf-8",
        extension="csv",
        options_schema=csv_format.CsvOptions,
        writer=csv_format.write,
        presets=tuple(presets.for_format("csv")),
    )
)
REGISTRY.add(
    Format(
        name="xlsx",
        title="Mapped Excel workbook",
        media_type="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
        extension="xlsx",
        options_schema=xlsx_format.XlsxOptions,
        writer=xlsx_format.write,
        presets=tuple(presets.for_format("xlsx")),
    )
)
REGISTRY.add(
    Format(
        name="xapi",
        title="xAPI 1.0.3 statements",
        media_type="application/json",
        extension="json",
        options_schema=xapi.XapiOptions,
        writer=xapi.write,
    )
)
REGISTRY.add(
    Format(
        name="open-badges",
        title="Open Badges 3.0 credentials, signed",
        media_type="application/json",
        extension="json",
        options_schema=open_badges.OpenBadgesOptions,
        writer=open_badges.write,
    )
)


def formats() -> list[Format]:
    """Every format the server can write, for `GET /export-formats`."""
    return REGISTRY.all()


ALIASES = {"open_badges": "open-badges", "ob3": "open-badges"}


def get(name: str) -> Format:
    """The format called `name` (or an alias); a ValidationError naming `format` if none."""
    return REGISTRY.get(ALIASES.get(name, name))


def validate_options(name: str, options: dict | None = None, preset: str | None = None) -> dict:
    """Validated options for a profile or a request; ValidationError messages name the option."""
    return get(name).options(options, preset)


def write(name: str, records, options=None, preset=None, context=None):
    """Stream `records` in format `name` as bytes; see Format.write."""
    return get(name).write(records, options, preset, context)
