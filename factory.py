"""The application factory."""

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

import auth
import cli
import config
import guards
import idempotency
import security
from api import Api
from blueprints import all_blueprints
from database import ensure_connection, open_database


def create_app(config_override=None):
    """Build the app: config, database, API with every blueprint, hooks and CLI."""
    app = Flask(__name__)
    app.config.update(config.load(config_override))
    open_database(app.config["DATABASE_URL"], app.config["DATABASE_PREPARED_STATEMENTS"])
    proxies = app.config["PROXY_COUNT"]
    if proxies:
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=proxies, x_proto=proxies, x_host=proxies)
    api = Api(app)
    for blueprint in all_blueprints():
        api.register_blueprint(blueprint)
    security.init_app(app)  # first: a CORS preflight is answered before any token check
    app.before_request(ensure_connection)
    app.before_request(auth.load_caller)
    app.before_request(guards.check_request)
    app.before_request(idempotency.claim_or_replay)
    app.after_request(idempotency.remember)
    cli.init_app(app)
    return app
