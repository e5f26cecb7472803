"""Hallway: conference networking that works on bad Wi-Fi.

Layers import one way: models <- kinds <- services <- routes.

- models (`<feature>/models.py`, pwa/db.py, pwa/fields.py): tables and field types.
- kinds (`<feature>/kinds.py`, listed in pwa/kinds.py): each synced record type, declared once
  with its fields schema, hooks and reference checks, registered with pwa.records.
- services (pwa/records.py, sync/service.py, auth/service.py, ...): the work, knowing record
  types only through the registry and what each declares (such as what hangs on what).
- routes (`<feature>/routes.py` and the other modules that add views): HTTP in and out.

A module imports only from its own layer or those before it; nothing imports a routes module
but pwa/routes.py, and no import hides in a function to dodge a cycle (tests/test_layers.py
builds the import graph and fails on any cycle).
"""

import json
from pathlib import Path

from flask import Flask, has_request_context, request
from sqlalchemy import event
from werkzeug.middleware.proxy_fix import ProxyFix

from .auth import sessions
from .config import load_config, prepare_data_dir
from .db import db, migrate, reading, writing

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
        PERMANENT_SESSION_LIFETIME=sessions.LIFETIME,  # the cookie lasts as long as its row
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
            timeout = int(app.config["DATABASE_BUSY_TIMEOUT"] * 1000)
            event.listen(engine, "connect", lambda conn, _record: _sqlite_pragmas(conn, timeout))
            event.listen(engine, "begin", _sqlite_begin)


def _sqlite_pragmas(connection, busy_timeout_ms):
    """Enforce foreign keys (cascading deletes), let readers work beside a writer, and wait this
    long for the write lock before answering 503 busy."""
    # Let SQLAlchemy, not the sqlite3 module, begin transactions, so savepoints nest inside
    # one transaction instead of each committing on its own (SQLAlchemy's pysqlite recipe).
    connection.isolation_level = None
    cursor = connection.cursor()
    cursor.execute("PRAGMA foreign_keys = ON")
    cursor.execute("PRAGMA journal_mode = WAL")
    cursor.execute(f"PRAGMA busy_timeout = {busy_timeout_ms}")
    cursor.close()


def _sqlite_begin(connection):
    """Begin. What may write (every request but GET, the dispatcher) takes the write lock at once,
    so concurrent writers queue (busy_timeout) instead of failing when a read lock cannot be
    upgraded; reading requests, and the stretches of writing ones that only read (pwa.db.read_only:
    who is asking, the answer's pull), defer and never block a writer (WAL)."""
    if writing.get():
        may_write = True
    elif reading.get():
        may_write = False
    else:
        may_write = has_request_context() and request.method not in ("GET", "HEAD", "OPTIONS")
    connection.exec_driver_sql("BEGIN IMMEDIATE" if may_write else "BEGIN")


def _register(app):
    # Here, not at the top: importing one module of the package (pwa.db in a migration, say)
    # should not load every view.
    from . import kinds, models, routes  # noqa: F401  (every table, record type and route)
    from .api import api
    from .auth.security import SessionInterface, load_caller
    from .compression import compress_response
    from .errors import register_error_handlers
    from .web import add_security_headers

    app.session_interface = SessionInterface()
    # Every API view needs a caller (or is marked public): the blueprint's own before_request,
    # added per app here, so the blueprint module needs nothing from auth.
    app.before_request_funcs.setdefault(api.name, []).append(load_caller)
    for blueprint in routes.BLUEPRINTS:
        app.register_blueprint(blueprint)
    # after_request runs the last added first: headers, then compression of the finished answer.
    app.after_request(compress_response)
    app.after_request(add_security_headers)
    app.teardown_request(lambda _error: db.session.remove())
    register_error_handlers(app)
