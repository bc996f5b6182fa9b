"""The application factory."""

import os
from pathlib import Path

from flask import Flask
from werkzeug.routing import IntegerConverter

from app import config as app_config
from app.assets import App
from app.extensions import csrf, db, login_manager, migrate


class DatabaseId(IntegerConverter):
    """<int:...> in URLs: an id that fits an INTEGER column; anything larger is a plain 404."""

    def __init__(self, url_map, *args, **kwargs):
        kwargs.setdefault("max", MAX_ID)
        super().__init__(url_map, *args, **kwargs)


MAX_ID = 2**31 - 1


class ConfigurationError(RuntimeError):
    """The app refuses to start with this configuration."""


def create_app(test_config: dict | None = None) -> Flask:
    """Build the app: config, extensions, blueprints, CLI, error handlers."""
    root = Path(__file__).resolve().parent.parent
    app = App(
        __name__,
        instance_path=str(root / "instance"),
        instance_relative_config=True,
        template_folder=str(root / "templates"),
        static_folder=str(root / "static"),
    )
    _load_config(app, test_config)
    app.url_map.converters["int"] = DatabaseId
    _init_extensions(app)
    _register_blueprints(app)
    _register_templating(app)

    from app import cli, errors

    errors.init_app(app)
    cli.init_app(app)
    return app


def _load_config(app: Flask, test_config: dict | None) -> None:
    env = (test_config or {}).get("APP_ENV") or os.environ.get("APP_ENV", "production")
    if env not in app_config.CONFIGS:
        raise ConfigurationError(f"APP_ENV={env!r}: expected one of {sorted(app_config.CONFIGS)}")
    app.config.from_object(app_config.CONFIGS[env])
    app.config.from_pyfile("config.py", silent=True)
    app.config.update(app_config.from_environment())
    # DATABASE_URL (environment or instance file) names the database; a test's own URI wins.
    if app.config.get("DATABASE_URL"):
        app.config["SQLALCHEMY_DATABASE_URI"] = app.config["DATABASE_URL"]
    if test_config:
        app.config.update(test_config)
    if not app.config["SQLALCHEMY_DATABASE_URI"]:
        Path(app.instance_path).mkdir(parents=True, exist_ok=True)
        db_file = Path(app.instance_path) / "hoagiai.sqlite3"
        app.config["SQLALCHEMY_DATABASE_URI"] = f"sqlite:///{db_file}"
    uri = app.config["SQLALCHEMY_DATABASE_URI"]
    if uri.startswith("postgresql://") or uri.startswith("postgres://"):
        # psycopg 3 is the driver we ship; SQLAlchemy's bare "postgresql" means psycopg2.
        app.config["SQLALCHEMY_DATABASE_URI"] = "postgresql+psycopg://" + uri.split("://", 1)[1]
    _check_secret_key(app)


def _check_secret_key(app: Flask) -> None:
    """In production the app refuses to start without a real secret key (QUALITY.md S11)."""
    if app.config["APP_ENV"] != "production":
        return
    key = app.config.get("SECRET_KEY")
    if not key or key == app_config.DEV_SECRET_KEY or len(key) < 32:
        raise ConfigurationError(
            "SECRET_KEY is missing, too short or the development key: set a random value of "
            "at least 32 characters in the environment or instance/config.py "
            "(python -c 'import secrets; print(secrets.token_hex(32))')."
        )


def _init_extensions(app: Flask) -> None:
    from app.audit import listener
    from app.database import configure_sqlite

    db.init_app(app)
    migrate.init_app(app, db, directory=str(Path(app.root_path).parent / "migrations"))
    csrf.init_app(app)
    login_manager.init_app(app)
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            configure_sqlite(db.engine, app.config["SQLITE_BUSY_TIMEOUT_MS"])
    listener.install()

    from app import security

    security.init_app(app)
    if app.config["TRUSTED_PROXIES"]:
        from werkzeug.middleware.proxy_fix import ProxyFix

        n = app.config["TRUSTED_PROXIES"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=n, x_proto=n, x_host=n)


def _register_blueprints(app: Flask) -> None:
    from app.audit import bp as audit_bp
    from app.commendations import bp as commendations_bp
    from app.contests import bp as contests_bp
    from app.files import models as file_models  # noqa: F401 - tables other areas refer to
    from app.logbook import bp as logbook_bp
    from app.main import bp as main_bp
    from app.pilots import bp as pilots_bp
    from app.registry import bp as registry_bp
    from app.reports import bp as reports_bp
    from app.security import bp as auth_bp
    from app.units import bp as units_bp
    from app.users import bp as users_bp

    for blueprint in (
        main_bp,
        auth_bp,
        units_bp,
        users_bp,
        audit_bp,
        registry_bp,
        logbook_bp,
        contests_bp,
        commendations_bp,
        pilots_bp,
        reports_bp,
    ):
        app.register_blueprint(blueprint)


def _register_templating(app: Flask) -> None:
    from app import templating

    templating.init_app(app)
