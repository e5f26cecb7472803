"""The `hallway` command: serve, worker, send-due, db upgrade, backup, restore."""

import logging
import signal
import threading
from pathlib import Path

import click
from flask_migrate import upgrade
from sqlalchemy import inspect, text

from . import create_app, serving
from .backups import BackupError, back_up, restore
from .config import DataDirError, SettingError
from .db import db
from .followups import worker as dispatcher

#: Any constant: several processes starting at once take turns migrating a PostgreSQL database.
MIGRATION_LOCK = 4815162342

data_dir_option = click.option(
    "--data-dir",
    envvar="HALLWAY_DATA_DIR",
    type=click.Path(file_okay=False),
    help="Where the database, secrets and uploads live (default ./instance).",
)


def _app(data_dir):
    try:
        return create_app({"DATA_DIR": data_dir} if data_dir else None)
    except (DataDirError, SettingError) as e:
        raise click.ClickException(str(e)) from None


def upgrade_database(app):
    """Apply every migration not yet applied (one process at a time on PostgreSQL)."""
    with app.app_context():
        if db.engine.dialect.name != "postgresql":
            upgrade()
            return
        with db.engine.connect() as lock:
            lock.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            try:
                upgrade()
            finally:
                lock.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})


def require_schema(app):
    """Stop with a clear message when the database has no tables yet (serve creates them)."""
    with app.app_context():
        if not inspect(db.engine).has_table("followups"):
            raise click.ClickException(
                "The database has no tables yet: run `hallway db upgrade` first (or start "
                "`hallway serve`, which does it)."
            )


@click.group()
def main():
    """Hallway: conference networking that works on bad Wi-Fi."""


@main.command()
@click.option("--host", default="127.0.0.1", show_default=True)
@click.option("--port", default=8000, show_default=True, type=int)
@data_dir_option
@click.option(
    "--no-worker", is_flag=True, help="Do not run the reminder dispatcher in this process."
)
@click.option("--threads", default=serving.SETTINGS["threads"], show_default=True, type=int)
@click.option(
    "--connection-limit",
    default=serving.SETTINGS["connection_limit"],
    show_default=True,
    type=int,
    help="Open connections at most (slow clients hold a connection, never a thread).",
)
@click.option(
    "--channel-timeout",
    default=serving.SETTINGS["channel_timeout"],
    show_default=True,
    type=int,
    help="Seconds of silence after which a connection is closed.",
)
def serve(host, port, data_dir, no_worker, threads, connection_limit, channel_timeout):
    """Apply migrations and serve Hallway with a production WSGI server (waitress)."""
    app = _app(data_dir)
    upgrade_database(app)
    if not no_worker:
        dispatcher.start_in_background(app)
    click.echo(f"Hallway on http://{host}:{port} (data in {app.config['DATA_DIR']})")
    server = serving.create_server(
        app,
        host,
        port,
        threads=threads,
        connection_limit=connection_limit,
        channel_timeout=channel_timeout,
    )
    server.run()


@main.command()
@data_dir_option
@click.option(
    "--interval", type=float, help="Seconds between sweeps (default: WORKER_INTERVAL, 30)."
)
def worker(data_dir, interval):
    """Run the reminder dispatcher alone (as many as you like, against one PostgreSQL)."""
    _log_to_stderr()
    app = _app(data_dir)
    require_schema(app)
    stop = threading.Event()
    for name in ("SIGINT", "SIGTERM"):
        signal.signal(getattr(signal, name), lambda *_: stop.set())
    click.echo(f"Reminder dispatcher running (data in {app.config['DATA_DIR']}); Ctrl-C stops it.")
    dispatcher.run(app, stop, interval)


@main.command("send-due")
@data_dir_option
def send_due(data_dir):
    """Send every reminder that is due now, once, then exit (for cron)."""
    _log_to_stderr()
    app = _app(data_dir)
    require_schema(app)
    tally = dispatcher.send_due(app)
    click.echo(
        f"{tally.notifications} notifications sent for {tally.reminded} follow-ups; "
        f"{tally.deferred} wait (quiet hours, daily cap), {tally.retrying} to retry, "
        f"{tally.failed} failed, {tally.no_device} without a device."
    )


def _log_to_stderr():
    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")


@main.group("db")
def db_group():
    """Database schema commands."""


@db_group.command("upgrade")
@data_dir_option
def db_upgrade(data_dir):
    """Apply the schema migrations."""
    upgrade_database(_app(data_dir))
    click.echo("Database is up to date.")


@main.command()
@click.argument("path", type=click.Path(file_okay=False))
@data_dir_option
def backup(path, data_dir):
    """Copy the embedded database (consistently, while running), the uploads and the keys into
    PATH. The backup is secret: it holds the keys that sign sessions and pushes."""
    database, app = _embedded_database(data_dir)
    try:
        back_up(database, app.config["DATA_DIR"], path)
    except BackupError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"Backed up to {path} (with the keys: keep it as secret as a password).")


@main.command("restore")
@click.argument("path", type=click.Path(exists=True, file_okay=False))
@click.option("--force", is_flag=True, help="Replace a database that already holds data.")
@data_dir_option
def restore_command(path, force, data_dir):
    """Bring back a backup made by `hallway backup` (checked first) into the data directory.
    Stop Hallway first; a database with data is replaced only with --force."""
    database, app = _embedded_database(data_dir)
    with app.app_context():
        db.engine.dispose()
    try:
        restore(path, database, app.config["DATA_DIR"], force=force)
    except BackupError as e:
        raise click.ClickException(str(e)) from None
    click.echo(f"Restored {path} into {app.config['DATA_DIR']}.")


def _embedded_database(data_dir):
    app = _app(data_dir)
    with app.app_context():
        url = db.engine.url
    if url.get_backend_name() != "sqlite":
        raise click.ClickException(
            "The database is PostgreSQL: back it up with pg_dump (and pg_restore); uploads and "
            f"keys are in {Path(app.config['DATA_DIR'])}."
        )
    return url.database, app
