"""Hallway: conference networking that works on bad Wi-Fi."""

import json
from pathlib import Path

from flask import Flask, has_request_context, request
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from .config import load_config, prepare_data_dir
from .db import db, migrate, writing

HERE = Path(__file__).parent


def asset_dir(name):
    """Find templates/, static/ or migrations/: inside the installed package, else the checkout."""
    packaged = HERE / name
    return packaged if packaged.is_dir() else HERE.parent / name


def create_app(test_config=None):
    """Build the Hallway application."""
    config = prepare_data_dir(load_config(test_config))
    app = Flask(
        __name__,
        template_folder=str(asset_dir("templates")),
        static_folder=str(asset_dir("static")),
    )
    app.config.from_mapping(
        SESSION_COOKIE_NAME="hallway_session",
        SESSION_COOKIE_HTTPONLY=True,
        SESSION_COOKIE_SAMESITE="Lax",
        PERMANENT_SESSION_LIFETIME=60 * 60 * 24 * 30,
        SQLALCHEMY_ENGINE_OPTIONS={
            "json_serializer": lambda value: json.dumps(value, ensure_ascii=False),
            "pool_pre_ping": True,
        },
    )
    app.config.update(config)
    app.config["SQLALCHEMY_DATABASE_URI"] = config["DATABASE_URL"]
    if app.config["PROXY_COUNT"]:
        count = app.config["PROXY_COUNT"]
        app.wsgi_app = ProxyFix(app.wsgi_app, x_for=count, x_proto=count, x_host=count)
    _init_database(app)
    _register(app)
    return app


def _init_database(app):
    db.init_app(app)
    migrate.init_app(app, db, directory=str(asset_dir("migrations")))
    with app.app_context():
        engine = db.engine
        if engine.dialect.name == "sqlite":
            event.listen(engine, "connect", _sqlite_pragmas)
            event.listen(engine, "begin", _sqlite_begin)


def _sqlite_pragmas(connection, _record):
    """Enforce foreign keys (cascading deletes) and let readers work beside a writer."""
    # Let SQLAlchemy, not the sqlite3 module, begin transactions, so savepoints nest inside
    # one transaction instead of each committing on its own (SQLAlchemy's pysqlite recipe).
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute("PRAGMA busy_timeout = 5000")
    cursor.close()


def _sqlite_begin(connection):
    """Begin. What may write (every request but GET, the dispatcher) takes the write lock at once,
    so concurrent writers queue (busy_timeout) instead of failing when a read lock cannot be
    upgraded; reading requests defer and never block a writer (WAL)."""
    if has_request_context():
        may_write = request.method not in ("GET", "HEAD", "OPTIONS")
    else:
        may_write = writing.get()
    connection.exec_driver_sql("BEGIN IMMEDIATE" if may_write else "BEGIN")


def _register(app):
    from . import models, routes  # noqa: F401  (every table and every route)
    from .api import api
    from .auth.security import SessionInterface
    from .errors import register_error_handlers
    from .exchange.public import cards
    from .shell import shell
    from .web import add_security_headers, web

    app.session_interface = SessionInterface()
    app.register_blueprint(api)
    app.register_blueprint(web)
    app.register_blueprint(shell)
    app.register_blueprint(cards)
    app.after_request(add_security_headers)
    app.teardown_request(lambda _error: db.session.remove())
    register_error_handlers(app)
