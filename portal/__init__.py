"""The portal: one Flask app with a public site and a staff area."""
from __future__ import annotations

from flask import Flask
from werkzeug.middleware.proxy_fix import ProxyFix

from portal import config


def create_app(test_config: dict | None = None) -> Flask:
    """Defaults, then PORTAL_* environment variables, then ``test_config``."""
    app = Flask(__name__, instance_relative_config=True)
    app.config.from_object(config.Defaults)
    app.config.update(config.from_environment())
    if test_config:
        app.config.update(test_config)
    config.finish(app)

    register_extensions(app)
    register_i18n(app)
    register_security(app)
    register_blueprints(app)
    register_errors(app)
    register_commands(app)
    if app.config["PROXY_FIX"]:
        n = app.config["PROXY_FIX"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)
    return app


def register_extensions(app: Flask) -> None:
    from portal import cache, models, ratelimit  # noqa: F401  (models: the whole schema, for Alembic)
    from portal.extensions import csrf, db, htmx, migrate

    db.init_app(app)
    migrate.init_app(app, db, directory=str(app.root_path + "/../migrations"))
    csrf.init_app(app)
    htmx.init_app(app)
    ratelimit.init_app(app)
    cache.init_app(app)


def register_i18n(app: Flask) -> None:
    from portal import i18n, labels

    i18n.init_app(app)
    labels.init_app(app)


def register_security(app: Flask) -> None:
    from portal import security, sessions

    security.init_app(app)
    sessions.init_app(app)


def register_blueprints(app: Flask) -> None:
    from portal import assets

    app.register_blueprint(assets.bp)
    if "public" in app.config["SITES"]:
        from portal.public import bp as public_bp

        app.register_blueprint(public_bp)
    if "internal" in app.config["SITES"]:
        from portal.internal import bp as internal_bp

        app.register_blueprint(internal_bp)


def register_errors(app: Flask) -> None:
    from portal import errors

    errors.init_app(app)


def register_commands(app: Flask) -> None:
    from portal import cli

    cli.init_app(app)
