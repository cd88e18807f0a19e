"""Command-line tasks: init-db, create-admin, demo-data."""

import click
from flask import current_app
from flask.cli import with_appcontext

import demo
from database import in_write_transaction, migrate, schema_version
from models import User
from operations.users import create_user, issue_token


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
