"""Command-line tasks: init-db, create-admin, demo-data."""

import click

import audit
import demo
from auth import issue_token
from database import db, migrate, schema_version
from models import User


def init_app(app):
    app.cli.add_command(init_db)
    app.cli.add_command(create_admin)
    app.cli.add_command(demo_data)


@click.command("init-db")
def init_db():
    """Create or upgrade the schema (idempotent) and print its version."""
    applied = migrate()
    for name in applied:
        click.echo(f"applied {name}")
    click.echo(f"schema version {schema_version()}")


@click.command("create-admin")
@click.argument("email")
def create_admin(email):
    """Create an admin and print its token as the last line."""
    migrate()
    with db.atomic():
        user = User.get_or_none(User.email == email.strip().lower())
        if user is None:
            user = User.create(email=email.strip().lower(), role="admin")
            audit.record("create", "user", user.id, after=audit.snapshot(user))
        elif user.role != "admin":
            raise click.ClickException(f"{email} exists with role {user.role}.")
        token = issue_token(user)
    click.echo(f"admin {user.email} (user {user.id}); token:")
    click.echo(token)


@click.command("demo-data")
def demo_data():
    """Load demo agencies, people, a joint course and users; print a token per role."""
    migrate()
    for line in demo.load():
        click.echo(line)
