"""A personnel file's rows: the columns it may have, each row's checks, who it matches and
what it changes. Pure: the people on file arrive as plain dicts."""

import re
from dataclasses import dataclass, field

from .errors import RuleViolation
from .identity import name_only_key

PLAIN_COLUMNS = ("first_name", "last_name", "employee_id", "email", "active")
IDENTIFIER_COLUMNS = ("employee_id", "email")
SCHEME = re.compile(r"^[a-z][a-z0-9_]{0,39}$")
EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
LIMITS = {"first_name": 100, "last_name": 100, "employee_id": 60, "email": 254}
REGULATOR_ID_LIMIT = 100
MAX_COLUMNS = 60
TRUE_WORDS = {"true", "yes", "y", "1"}
FALSE_WORDS = {"false", "no", "n", "0"}
# the fields of a person an import may set, in the order reports name them
FIELDS = ("first_name", "last_name", "employee_id", "email", "external_ids", "active")


def file_error(message):
    return RuleViolation(message, {"file": [message]})


def read_header(cells):
    """The canonical column name of each header cell ('External_IDs.STATE_POST' ->
    'external_ids.state_post'; blank cells None). Unknown or repeated columns, or no column
    that identifies a person, refuse the whole file."""
    if len(cells) > MAX_COLUMNS:
        raise file_error(f"The file has {len(cells)} columns; at most {MAX_COLUMNS} are read.")
    columns, problems = [], []
    for position, cell in enumerate(cells, start=1):
        name = (cell or "").strip().lower()
        if not name:
            columns.append(None)
            continue
        if name.startswith("external_ids."):
            scheme = name.removeprefix("external_ids.")
            if not SCHEME.match(scheme):
                problems.append(
                    f"Column {position} ({cell!s}): a regulator id column is external_ids. "
                    "and a lower_snake_case name, e.g. external_ids.state_post."
                )
        elif name not in PLAIN_COLUMNS:
            problems.append(
                f"Column {position} ({cell!s}) is not a column of a personnel file; the "
                f"columns are {', '.join(PLAIN_COLUMNS)} and external_ids.<scheme>."
            )
        if name in columns:
            problems.append(f"Column {name} appears twice.")
        columns.append(name)
    if not problems and not any(
        c in IDENTIFIER_COLUMNS or (c or "").startswith("external_ids.") for c in columns
    ):
        problems.append(
            "The file has no column that identifies a person: give employee_id, an "
            "external_ids.<scheme> column or email."
        )
    if problems:
        raise RuleViolation(" ".join(problems), {"file": problems})
    return columns


@dataclass
class Row:
    """One data row: its number in the file (the header is row 1), the values given (blank
    cells left out) and the problems found, each (column, reason)."""

    number: int
    values: dict
    errors: list = field(default_factory=list)

    def refuse(self, column, reason):
        self.errors.append((column, reason))

    @property
    def identifiers(self):
        """(column, key) of each identifier given, in matching order."""
        values = self.values
        keys = []
        if values.get("employee_id"):
            keys.append(("employee_id", values["employee_id"]))
        for scheme, value in sorted(values.get("external_ids", {}).items()):
            keys.append((f"external_ids.{scheme}", (scheme, value)))
        if values.get("email"):
            keys.append(("email", values["email"]))
        return keys


def read_row(number, columns, cells):
    """The row's values, cleaned (names trimmed, e-mail lower-cased, active a bool), with a
    reason for each cell that cannot be used. Blank cells leave the value on file alone."""
    row = Row(number, {})
    for column, cell in zip(columns, cells, strict=False):
        if column is None:
            continue
        text = "" if cell is None else str(cell).strip()
        if not text:
            continue
        if "\x00" in text:
            row.refuse(column, "Contains a NUL character.")
            continue
        if column.startswith("external_ids."):
            if len(text) > REGULATOR_ID_LIMIT:
                row.refuse(column, f"Longer than {REGULATOR_ID_LIMIT} characters.")
                continue
            row.values.setdefault("external_ids", {})[column.split(".", 1)[1]] = text
        elif column == "active":
            word = text.lower()
            if word not in TRUE_WORDS | FALSE_WORDS:
                row.refuse(column, f"{text!r} is not true or false.")
                continue
            row.values["active"] = word in TRUE_WORDS
        else:
            if len(text) > LIMITS[column]:
                row.refuse(column, f"Longer than {LIMITS[column]} characters.")
                continue
            if column == "email":
                text = text.lower()
                if not EMAIL.match(text):
                    row.refuse(column, f"{text!r} is not an e-mail address.")
                    continue
            if column in ("first_name", "last_name"):
                text = " ".join(text.split())
            row.values[column] = text
    return row


def is_blank(cells):
    return all(cell is None or not str(cell).strip() for cell in cells)


@dataclass
class OnFile:
    """The agency's people as the matcher needs them, loaded in a few queries.

    people: {id: {column: value}} of the agency's live people; by_employee_id and by_email:
    {value: person id} (the lowest id for a shared e-mail); regulator_ids: {(scheme, value):
    (person id or None, why it cannot be used or None)} for the ids the file names."""

    people: dict
    by_employee_id: dict
    by_email: dict
    regulator_ids: dict
    unusable_employee_ids: dict = field(default_factory=dict)

    def lookup(self, column, key):
        """(person id, reason it cannot be matched) for one identifier, or (None, None)."""
        if column == "employee_id":
            if key in self.unusable_employee_ids:
                return None, self.unusable_employee_ids[key]
            return self.by_employee_id.get(key), None
        if column == "email":
            return self.by_email.get(key), None
        return self.regulator_ids.get(key, (None, None))


def match(row, on_file):
    """(person id, column matched by) for the row, first by employee id, then by a regulator
    id, then by e-mail, as walk-ins are matched; (None, None) for a new person. Identifiers
    leading to different people, or to records that cannot be used, refuse the row."""
    found = []
    for column, key in row.identifiers:
        person_id, unusable = on_file.lookup(column, key)
        if unusable:
            row.refuse(column, unusable)
        elif person_id is not None:
            found.append((person_id, column))
    if len({person_id for person_id, _ in found}) > 1:
        first = found[0][1]
        for person_id, column in found[1:]:
            if person_id != found[0][0]:
                row.refuse(column, f"Belongs to a different person on file than the {first}.")
        return None, None
    if row.errors or not found:
        return None, None
    person_id, column = found[0]
    stored = on_file.people[person_id]
    given = row.values.get("employee_id")
    if given and stored["employee_id"] and stored["employee_id"] != given:
        row.refuse(
            "employee_id",
            f"The person matched by {column} has employee id {stored['employee_id']!r} on "
            "file; an import does not renumber people.",
        )
        return None, None
    return person_id, column


def changes_for(stored, values):
    """{field: new value} of what the row changes on the person on file."""
    changes = {}
    for name in ("first_name", "last_name", "employee_id", "email", "active"):
        if name in values and values[name] != stored[name]:
            changes[name] = values[name]
    if values.get("external_ids"):
        merged = {**(stored["external_ids"] or {}), **values["external_ids"]}
        if merged != (stored["external_ids"] or {}):
            changes["external_ids"] = merged
    if "first_name" in changes or "last_name" in changes:
        first = changes.get("first_name", stored["first_name"])
        last = changes.get("last_name", stored["last_name"])
        changes["name_key"] = name_only_key(first, last)
    return changes


def new_person(row):
    """The columns of the person a row creates (names needed), or None if refused."""
    values = row.values
    for name in ("first_name", "last_name"):
        if not values.get(name):
            row.refuse(name, "Needed to add a new person (no one on file matches this row).")
    if row.errors:
        return None
    return {
        "first_name": values["first_name"],
        "last_name": values["last_name"],
        "employee_id": values.get("employee_id"),
        "email": values.get("email"),
        "external_ids": dict(values.get("external_ids", {})),
        "active": values.get("active", True),
        "name_key": name_only_key(values["first_name"], values["last_name"]),
    }


class SeenInFile:
    """Identifiers and people already claimed by an earlier row of the same file."""

    def __init__(self):
        self.identifiers = {}
        self.people = {}

    def claim_identifiers(self, row):
        """Ids are one person's; an e-mail address may be shared only by rows that each
        carry an id too (a row known by its address alone would match the other next time)."""
        ids_given = any(column != "email" for column, _ in row.identifiers)
        for column, key in row.identifiers:
            earlier, earlier_ids = self.identifiers.setdefault(
                (column, key), (row.number, ids_given)
            )
            if earlier == row.number:
                continue
            if column != "email":
                row.refuse(column, f"Also on row {earlier}: each id belongs to one person.")
            elif not (ids_given and earlier_ids):
                row.refuse(
                    column,
                    f"Also on row {earlier}: give each of these rows an employee_id or a "
                    "regulator id to tell the people apart.",
                )

    def claim_person(self, row, person_id):
        earlier = self.people.setdefault(person_id, row.number)
        if earlier != row.number:
            column = row.identifiers[0][0]
            row.refuse(column, f"Matches the same person on file as row {earlier}.")


def row_errors(row):
    """The row's problems as the report lists them."""
    return [{"column": column, "message": message} for column, message in row.errors]
