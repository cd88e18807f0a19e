"""Command-line tasks: init-db, create-admin, demo-data, import-people, worker, backup,
restore, bench-data."""

import os
import sys

import click
from flask import current_app
from flask.cli import with_appcontext

import backup
import demo
import notifications
from database import db, in_write_transaction, migrate, schema_version
from models import Agency, User
from operations.people_import import MAX_BYTES, import_people, preview_import, read_table
from operations.users import create_user, issue_token
from rules.errors import RuleViolation


def init_app(app):
    app.cli.add_command(init_db)
    app.cli.add_command(create_admin)
    app.cli.add_command(demo_data)
    app.cli.add_command(import_people_command)
    app.cli.add_command(worker_command)
    app.cli.add_command(backup_command)
    app.cli.add_command(restore_command)
    from bench.data import command as bench_data  # the benchmarks' synthetic data

    app.cli.add_command(bench_data)
    notifications.email.announce(app)


@click.command("init-db")
def init_db():
    """Create or upgrade the schema (idempotent) and print its version."""
    applied = migrate()
    for name in applied:
        click.echo(f"applied {name}")
    click.echo(f"schema version {schema_version()}")


@click.command("create-admin")
@click.argument("email")
@with_appcontext
def create_admin(email):
    """Create an admin and print its token as the last line."""
    migrate()
    user, token = _admin_with_token(email.strip().lower(), current_app.config["TOKEN_DEFAULT_DAYS"])
    click.echo(f"admin {user.email} (user {user.id}); token:")
    click.echo(token)


@in_write_transaction
def _admin_with_token(email, token_days):
    """The admin with this e-mail (created by the system if new) and a new token for it."""
    user = User.get_or_none(User.email == email)
    if user is None:
        user, token, _ = create_user(
            {"email": email, "role": "admin"}, None, None, expires_in_days=token_days
        )
        return user, token
    if user.role != "admin":
        raise click.ClickException(f"{email} exists with role {user.role}.")
    token, _ = issue_token(user, None, expires_in_days=token_days)
    return user, token


@click.command("demo-data")
@with_appcontext
def demo_data():
    """Load demo agencies, people, a joint course and users; print a token per role."""
    migrate()
    for line in demo.load(token_days=current_app.config["TOKEN_DEFAULT_DAYS"]):
        click.echo(line)


@click.command("import-people")
@click.argument("agency_code")
@click.argument("file", type=click.Path(exists=True, dir_okay=False))
@click.option("--dry-run", is_flag=True, help="Report what the file would do; write nothing.")
@with_appcontext
def import_people_command(agency_code, file, dry_run):
    """Import an agency's people from a CSV or XLSX file, as POST /agencies/{id}/people/import
    does (all-or-nothing; the same file twice changes nothing), with a progress bar."""
    migrate()
    agency = Agency.get_or_none(Agency.code == agency_code)
    if agency is None:
        raise click.ClickException(f"No agency with code {agency_code}.")
    with open(file, "rb") as handle:
        content = handle.read(MAX_BYTES + 1)
    if len(content) > MAX_BYTES:
        raise click.ClickException(f"{file} is larger than {MAX_BYTES // (1024 * 1024)} MB.")
    try:
        table = read_table(content, os.path.basename(file))
        steps = len(table.rows) * (1 if dry_run else 2)  # checking, then writing
        with click.progressbar(length=steps, label="Importing", file=sys.stderr) as bar:
            if dry_run:
                report = preview_import(agency, table, progress=bar.update)
            else:
                report = import_people(agency, table, None, progress=bar.update)
    except RuleViolation as error:
        raise click.ClickException(error.message) from None
    for row in report["rows"]:
        for error in row["errors"]:
            click.echo(f"row {row['row']}, {error['column']}: {error['message']}")
    counts = ", ".join(f"{report[k]} {k}" for k in ("created", "updated", "unchanged", "refused"))
    if dry_run:
        click.echo(f"dry run, nothing written: {counts}")
    elif report["imported"]:
        click.echo(f"imported into {agency.code}: {counts}")
    else:
        click.echo(f"nothing imported: {counts}")
    if report["refused"]:
        sys.exit(1)


@click.command("worker")
@click.option("--once", is_flag=True, help="Run one round (scans, fan-out, deliveries) and stop.")
@click.option("--interval", default=30.0, show_default=True, help="Seconds between rounds.")
@with_appcontext
def worker_command(once, interval):
    """Deliver notices: record the daily expiry alerts, fan events out to e-mail and
    webhooks, send what is due with retries; several workers may run at once."""
    from notifications.email import describe_transport
    from notifications.worker import run_forever, run_once

    migrate()
    click.echo(describe_transport(current_app.config), err=True)
    if once:
        summary = run_once()
        click.echo(", ".join(f"{v} {k}" for k, v in summary.items()) or "nothing to do")
        return
    run_forever(interval)


@click.command("backup")
@click.argument("path", type=click.Path(dir_okay=False))
@with_appcontext
def backup_command(path):
    """Write a consistent copy of the whole database to PATH while the server keeps
    running (SQLite's online backup API; pg_dump's custom format for PostgreSQL)."""
    try:
        size = backup.backup(current_app.config["DATABASE_URL"], path)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    click.echo(f"backed up to {path} ({size:,} bytes)")


@click.command("restore")
@click.argument("path", type=click.Path(dir_okay=False))
@click.option("--force", is_flag=True, help="Overwrite a database that already holds records.")
@with_appcontext
def restore_command(path, force):
    """Replace the database with the backup at PATH; refused if the database already holds
    records, unless --force. Stop the server first; start it again after."""
    if not db.is_closed():
        db.close()
    try:
        backup.restore(current_app.config["DATABASE_URL"], path, force=force)
    except backup.BackupError as error:
        raise click.ClickException(str(error)) from None
    applied = migrate()  # a backup from an older release is brought up to date
    for name in applied:
        click.echo(f"applied {name}")
    click.echo(f"restored {path}; schema version {schema_version()}")
    db.close()
