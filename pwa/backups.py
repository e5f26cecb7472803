"""A backup of the embedded database with everything needed to bring it back on a new machine
(the uploads, the secret key and the VAPID key), and the restore that checks it first.

A backup holds secrets: whoever has it can sign sessions and send pushes as this server. It is
written owner-only (folders 0700, files 0600); keep it like a password."""

import os
import shutil
import sqlite3
from pathlib import Path

from .config import DATABASE_FILE, SECRET_FILE, UPLOADS, VAPID_FILE

KEYS = (SECRET_FILE, VAPID_FILE)


class BackupError(Exception):
    """A backup or restore that cannot go ahead, in one sentence."""


def back_up(database, data_dir, target):
    """Copy a live SQLite database (its online backup API: a consistent snapshot), the uploads
    and the keys into the new or empty folder target."""
    target = Path(target)
    if target.exists() and any(target.iterdir()):
        raise BackupError(f"{target} is not empty; choose a new folder.")
    target.mkdir(mode=0o700, parents=True, exist_ok=True)
    target.chmod(0o700)
    _copy_sqlite(database, target / DATABASE_FILE)
    _copy_tree(Path(data_dir) / UPLOADS, target / UPLOADS)
    for name in KEYS:
        if (Path(data_dir) / name).exists():
            _copy_file(Path(data_dir) / name, target / name)


def restore(source, database, data_dir, force=False):
    """Bring a backup back into data_dir: refuse a damaged copy, and refuse to replace a database
    that holds data unless force is given."""
    source, data_dir = Path(source), Path(data_dir)
    copy = source / DATABASE_FILE
    if not copy.is_file():
        raise BackupError(f"{source} holds no {DATABASE_FILE}: not a Hallway backup.")
    problem = _integrity_problem(copy)
    if problem:
        raise BackupError(f"The backup's database is damaged ({problem}); nothing was restored.")
    if _holds_data(database) and not force:
        raise BackupError(
            f"{database} already holds data; stop Hallway and add --force to replace it."
        )
    _copy_sqlite(copy, database)
    uploads = data_dir / UPLOADS
    shutil.rmtree(uploads, ignore_errors=True)
    _copy_tree(source / UPLOADS, uploads)
    for name in KEYS:
        if (source / name).exists():
            (data_dir / name).unlink(missing_ok=True)
            _copy_file(source / name, data_dir / name)


def _integrity_problem(path):
    try:
        with sqlite3.connect(f"file:{path}?mode=ro", uri=True) as db:
            answer = db.execute("PRAGMA integrity_check").fetchone()[0]
            db.execute("SELECT count(*) FROM users").fetchone()
    except sqlite3.DatabaseError as e:
        return str(e)
    return None if answer == "ok" else answer


def _holds_data(database):
    if not Path(database).exists() or not Path(database).stat().st_size:
        return False
    try:
        with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
            return bool(db.execute("SELECT count(*) FROM users").fetchone()[0])
    except sqlite3.DatabaseError:
        return True  # something is there that we do not understand: do not replace it silently


def _copy_sqlite(source, destination):
    os.close(os.open(destination, os.O_WRONLY | os.O_CREAT, 0o600))
    src = sqlite3.connect(f"file:{source}?mode=ro", uri=True)
    dst = sqlite3.connect(destination)
    try:
        with dst:
            src.backup(dst)
    finally:
        src.close()
        dst.close()


def _copy_file(source, destination):
    fd = os.open(destination, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    with os.fdopen(fd, "wb") as out, open(source, "rb") as original:
        shutil.copyfileobj(original, out)


def _copy_tree(source, destination):
    destination.mkdir(mode=0o700, parents=True, exist_ok=True)
    if not source.is_dir():
        return
    for path in source.iterdir():
        if path.is_dir():
            _copy_tree(path, destination / path.name)
        else:
            _copy_file(path, destination / path.name)
