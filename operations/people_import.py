"""Loading a personnel file: read it, match its rows to the agency's people in a few
queries, and write every change in one transaction under one import audit entry."""

import csv
import datetime
import hashlib
import io
import zipfile
from dataclasses import dataclass

import openpyxl

from database import in_write_transaction
from models import AuditEntry, Person, PersonExternalId, utcnow
from rules.people_import import (
    FIELDS,
    OnFile,
    SeenInFile,
    changes_for,
    file_error,
    is_blank,
    match,
    new_person,
    read_header,
    read_row,
    row_errors,
)

from . import audit
from .bulk import insert_rows
from .ids import reserve_ids
from .walk_ins import serialise

MAX_BYTES = 10 * 1024 * 1024
MAX_ROWS = 20_000
CHUNK = 500  # rows per INSERT: well under SQLite's limit of bound values
XLSX_MAGIC = b"PK\x03\x04"
VOIDED = "Belongs to a record voided as created by mistake; ask an admin."
ELSEWHERE = "Belongs to a person of another agency."


@dataclass
class Table:
    """A personnel file read into text cells: its format, digest, header and data rows
    (each (row number, cells)), blank rows left out."""

    name: str
    format: str
    sha256: str
    size: int
    header: list
    rows: list


def read_table(content, name="people.csv"):
    """The file's header and rows; a 422 naming `file` if it cannot be read."""
    digest = hashlib.sha256(content).hexdigest()
    if content.startswith(XLSX_MAGIC) or name.lower().endswith((".xlsx", ".xlsm")):
        kind, lines = "xlsx", _xlsx_lines(content)
    elif name.lower().endswith(".xls"):
        raise file_error("Old .xls workbooks are not read: save the sheet as .xlsx or CSV.")
    else:
        kind, lines = "csv", _csv_lines(content)
    header, rows = None, []
    try:
        for number, cells in enumerate(lines, start=1):
            if header is None:
                header = list(cells)
                continue
            if is_blank(cells):
                continue
            if len(rows) == MAX_ROWS:
                raise file_error(
                    f"The file has more than {MAX_ROWS:,} rows of people; split it into "
                    "smaller files and import each."
                )
            rows.append((number, list(cells)))
    except csv.Error as error:
        raise file_error(f"The CSV file cannot be read: {error}.") from None
    if header is None:
        raise file_error("The file is empty: its first row names the columns.")
    return Table(name, kind, digest, len(content), header, rows)


def _csv_lines(content):
    try:
        text = content.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        raise file_error(
            f"The file is not UTF-8 text (byte {error.start + 1}): save it as "
            "CSV UTF-8, or upload the .xlsx workbook."
        ) from None
    first_line = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first_line.count)
    return csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)


def _xlsx_lines(content):
    try:
        workbook = openpyxl.load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, ValueError, OSError) as error:
        raise file_error(f"The file is not a readable .xlsx workbook ({error}).") from None
    try:
        for cells in workbook.worksheets[0].iter_rows(values_only=True):
            yield [_cell_text(cell) for cell in cells]
    finally:
        workbook.close()


def _cell_text(value):
    """A spreadsheet cell as the text a person would read: 1234.0 -> '1234', TRUE -> 'true'."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


# --- reading the agency's people ----------------------------------------------------------


def _chunks(items, size=CHUNK):
    items = list(items)
    for start in range(0, len(items), size):
        yield items[start : start + size]


def load_on_file(agency_id, regulator_keys):
    """The agency's people and the regulator ids the file names, in a few queries: one for
    the agency's people, one per CHUNK regulator ids. Merged records lead to their survivor;
    voided ones match nothing."""
    rows = list(Person.select().where(Person.agency == agency_id).order_by(Person.id).dicts())
    live = {r["id"]: r for r in rows if r["merged_into"] is None and r["voided_at"] is None}
    merged = {r["id"]: r["merged_into"] for r in rows if r["merged_into"] is not None}

    def survivor(person_id):
        seen = set()
        while person_id in merged and person_id not in seen:
            seen.add(person_id)
            person_id = merged[person_id]
        return person_id if person_id in live else None

    by_employee_id, unusable, by_email = {}, {}, {}
    for r in rows:
        target = survivor(r["id"]) if r["voided_at"] is None else None
        if r["employee_id"]:
            if r["voided_at"] is not None:
                unusable[r["employee_id"]] = VOIDED
            elif target is not None:
                by_employee_id.setdefault(r["employee_id"], target)
        if r["email"] and target is not None:
            by_email.setdefault(r["email"], target)
    regulator_ids = {}
    wanted = set(regulator_keys)
    schemes = sorted({scheme for scheme, _ in wanted})
    for values in _chunks(sorted({value for _, value in wanted})):
        held = (
            PersonExternalId.select(
                PersonExternalId.scheme,
                PersonExternalId.value,
                Person.id,
                Person.agency,
                Person.voided_at,
            )
            .join(Person)
            .where(PersonExternalId.scheme.in_(schemes), PersonExternalId.value.in_(values))
            .tuples()
        )
        for scheme, value, person_id, holder_agency, voided_at in held:
            if (scheme, value) not in wanted:
                continue
            if voided_at is not None:
                regulator_ids[scheme, value] = (None, VOIDED)
            elif holder_agency != agency_id:
                regulator_ids[scheme, value] = (None, ELSEWHERE)
            else:
                target = survivor(person_id)
                regulator_ids[scheme, value] = (target, None if target else ELSEWHERE)
    return OnFile(live, by_employee_id, by_email, regulator_ids, unusable)


# --- planning and writing -----------------------------------------------------------------


@dataclass
class Plan:
    """What the file does: the report's rows and the writes they need."""

    table: Table
    report_rows: list
    creates: list  # (report row, columns of the new person)
    updates: list  # (row number, person on file as a dict, changes)

    def count(self, status):
        return sum(1 for row in self.report_rows if row["status"] == status)

    @property
    def refused(self):
        return self.count("refused")


def plan_import(agency, table, progress=None):
    """Check and match every row, deciding created / updated / unchanged / refused, without
    writing anything."""
    columns = read_header(table.header)
    rows = [read_row(number, columns, cells) for number, cells in table.rows]
    keys = {
        key for row in rows for column, key in row.identifiers if column.startswith("external_")
    }
    on_file = load_on_file(agency.id, keys)
    seen = SeenInFile()
    report, creates, updates = [], [], []
    for index, row in enumerate(rows, start=1):
        seen.claim_identifiers(row)
        person_id, matched_by = match(row, on_file) if not row.errors else (None, None)
        entry = {"row": row.number, "person_id": person_id, "matched_by": matched_by}
        if person_id is not None:
            seen.claim_person(row, person_id)
        if row.errors:
            entry.update(status="refused", changes=[])
        elif person_id is None:
            columns_new = new_person(row)
            if columns_new is None:
                entry.update(status="refused", changes=[])
            else:
                creates.append((entry, columns_new))
                given = [k for k in FIELDS if k in row.values]
                entry.update(status="created", changes=given)
        else:
            stored = on_file.people[person_id]
            changes = changes_for(stored, row.values)
            if changes:
                updates.append((row.number, stored, changes))
                entry.update(status="updated", changes=[k for k in changes if k != "name_key"])
            else:
                entry.update(status="unchanged", changes=[])
        entry["errors"] = row_errors(row)
        report.append(entry)
        if progress and index % CHUNK == 0:
            progress(CHUNK)
    if progress:
        progress(len(rows) % CHUNK)
    return Plan(table, report, creates, updates)


def report_of(plan, dry_run, imported):
    return {
        "dry_run": dry_run,
        "imported": imported,
        "file": {
            "name": plan.table.name,
            "format": plan.table.format,
            "sha256": plan.table.sha256,
            "bytes": plan.table.size,
            "rows": len(plan.table.rows),
        },
        **{status: plan.count(status) for status in ("created", "updated", "unchanged")},
        "refused": plan.refused,
        "rows": plan.report_rows,
    }


def preview_import(agency, table, progress=None):
    """The dry run: the report of what importing the file would do; writes nothing."""
    return report_of(plan_import(agency, table, progress), dry_run=True, imported=False)


@in_write_transaction
def import_people(agency, table, actor, progress=None):
    """Import the file all-or-nothing: any refused row writes nothing and the report says
    why (imported false). Otherwise new people are inserted in chunks, changed ones
    updated, each person's change audited (before/after) and the whole import recorded as
    one `people_import` entry with its counts and the file's sha256. Returns the report."""
    serialise("people-import", agency.id)
    plan = plan_import(agency, table, progress)
    if plan.refused:
        return report_of(plan, dry_run=False, imported=False)
    now = utcnow()
    who = {"user_id": actor.id if actor else None, "user_email": actor.email if actor else None}
    reason = f"Personnel import of {table.name} (sha256 {table.sha256[:16]}), row "
    audit_rows, id_rows, replaced = [], [], []
    ids = reserve_ids(Person, len(plan.creates))
    created_people = []
    for person_id, (entry, columns) in zip(ids, plan.creates, strict=True):
        entry["person_id"] = person_id
        person = {
            "id": person_id,
            "created_at": now,
            "updated_at": now,
            "agency": agency.id,
            "merged_into": None,
            "voided_at": None,
            "share_achievements": True,
            **columns,
        }
        created_people.append(person)
        id_rows += [
            {"person": person_id, "scheme": scheme, "value": value}
            for scheme, value in columns["external_ids"].items()
        ]
        audit_rows.append(_audit_row(who, now, "create", person, None, reason, entry["row"]))
    for chunk in _chunks(created_people):
        insert_rows(Person, chunk)
        if progress:
            progress(len(chunk))
    for number, stored, changes in plan.updates:
        Person.update(**changes, updated_at=now).where(Person.id == stored["id"]).execute()
        after = {**stored, **changes, "updated_at": now}
        if "external_ids" in changes:
            replaced.append(stored["id"])
            id_rows += [
                {"person": stored["id"], "scheme": scheme, "value": value}
                for scheme, value in changes["external_ids"].items()
            ]
        audit_rows.append(_audit_row(who, now, "update", after, stored, reason, number))
    for chunk in _chunks(replaced):
        # the lookup rows of regulator ids, rewritten from the person's JSON column
        PersonExternalId.delete().where(PersonExternalId.person.in_(chunk)).execute()
    insert_rows(PersonExternalId, id_rows)
    insert_rows(AuditEntry, audit_rows)
    if progress:
        progress(len(plan.table.rows) - len(plan.creates))
    report = report_of(plan, dry_run=False, imported=True)
    if not (plan.creates or plan.updates):
        return report  # the same file again: nothing changed, nothing to record
    audit.record(
        actor,
        "import",
        "people_import",
        agency.id,
        after={
            "file": report["file"],
            **{k: report[k] for k in ("created", "updated", "unchanged", "refused")},
            # row -> person, so each person's own entry (entity person) is found from here
            "people": [
                [row["row"], row["person_id"], row["status"]]
                for row in plan.report_rows
                if row["status"] in ("created", "updated")
            ],
        },
        reason=f"Personnel import of {table.name}",
        agency_id=agency.id,
    )
    return report


def _audit_row(who, now, action, person, before, reason, number):
    """One person's audit entry of the import, as a row for insert_many."""
    return {
        **who,
        "at": now,
        "action": action,
        "entity": "person",
        "entity_id": str(person["id"]),
        "agency_id": person["agency"],
        "person_agency_id": person["agency"],
        "before": _snapshot(before) if before is not None else None,
        "after": _snapshot(person),
        "reason": f"{reason}{number}.",
    }


def _snapshot(person):
    """A person's columns as audit.snapshot keeps them (times in ISO 8601); the columns are
    flat, so this skips audit.plain's walk, which 10,000 rows would feel."""
    return {
        name: value.isoformat() if isinstance(value, datetime.datetime) else value
        for name, value in person.items()
    }
