"""WSGI entry point for gunicorn and `flask --app wsgi`."""

from factory import create_app

app = create_app()
