"""The `hallway` command: serve (a real server), db upgrade, backup."""

import os
import shutil
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.request

from pwa.cli import main
from pwa.config import load_config, prepare_data_dir
from tests.harness import free_port


def test_db_upgrade_creates_the_schema(runner, tmp_path):
    result = runner.invoke(main, ["db", "upgrade", "--data-dir", str(tmp_path)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "hallway.db") as db:
        tables = {row[0] for row in db.execute("SELECT name FROM sqlite_master WHERE type='table'")}
    assert {"users", "contacts", "followups", "events", "alembic_version"} <= tables


def test_worker_and_send_due_on_a_database_without_tables_say_what_to_run(runner, tmp_path):
    for command in (["send-due"], ["worker", "--interval", "1"]):
        result = runner.invoke(main, [*command, "--data-dir", str(tmp_path)])
        assert result.exit_code == 1
        assert "run `hallway db upgrade` first" in result.output
        assert "Traceback" not in result.output


def _with_a_user(runner, data):
    """A data directory upgraded, with one user (id u1) in its database."""
    assert runner.invoke(main, ["db", "upgrade", "--data-dir", str(data)]).exit_code == 0
    with sqlite3.connect(data / "hallway.db") as db:
        db.execute(
            "INSERT INTO users (id, email, name, password_hash, timezone, quiet_start, quiet_end,"
            " change_seq, created_at)"
            " VALUES ('u1', 'a@example.com', 'A', 'x', 'UTC', '21:00', '08:00', 0,"
            " '2026-01-01 00:00:00')"
        )


def test_backup_copies_database_and_uploads(runner, tmp_path):
    data = tmp_path / "data"
    _with_a_user(runner, data)
    (data / "uploads" / "u1").mkdir(parents=True)
    (data / "uploads" / "u1" / "photo.jpg").write_bytes(b"jpeg")
    open_reader = sqlite3.connect(data / "hallway.db")  # the server keeps connections open
    try:
        result = runner.invoke(main, ["backup", str(tmp_path / "copy"), "--data-dir", str(data)])
    finally:
        open_reader.close()
    assert result.exit_code == 0, result.output
    with sqlite3.connect(tmp_path / "copy" / "hallway.db") as copy:
        assert copy.execute("SELECT email FROM users").fetchall() == [("a@example.com",)]
    assert (tmp_path / "copy" / "uploads" / "u1" / "photo.jpg").read_bytes() == b"jpeg"


def test_backup_refuses_a_folder_with_files(runner, tmp_path):
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "keep.txt").write_text("mine")
    result = runner.invoke(main, ["backup", str(tmp_path / "copy"), "--data-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "not empty" in result.output
    assert (tmp_path / "copy" / "keep.txt").read_text() == "mine"


def test_serve_runs_a_real_server_on_the_embedded_default(tmp_path):
    port = free_port()
    env = {k: v for k, v in os.environ.items() if not k.startswith("HALLWAY_")}
    server = subprocess.Popen(
        [sys.executable, "-m", "pwa", "serve", "--port", str(port), "--data-dir", str(tmp_path)],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
    )
    try:
        body = _wait_for(f"http://127.0.0.1:{port}/healthz")
        assert body == b'{"status":"ok"}\n'
        with urllib.request.urlopen(f"http://127.0.0.1:{port}/") as response:
            assert response.headers["Server"] == "Hallway"
    finally:
        server.terminate()
        server.wait(timeout=10)
        server.stdout.close()
    assert (tmp_path / "hallway.db").exists()
    assert oct((tmp_path / "secret_key").stat().st_mode & 0o777) == "0o600"


def _wait_for(url, seconds=20):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url) as response:
                return response.read()
        except OSError:
            if time.monotonic() > deadline:
                raise
            time.sleep(0.1)


def _mode(path):
    return path.stat().st_mode & 0o777


def test_the_data_directory_and_backups_are_for_the_owner_only(runner, tmp_path):
    data = tmp_path / "data"
    _with_a_user(runner, data)
    assert _mode(data) == 0o700 and _mode(data / "uploads") == 0o700
    for name in ("hallway.db", "secret_key", "vapid_private_key.pem"):
        assert _mode(data / name) == 0o600, name
    result = runner.invoke(main, ["backup", str(tmp_path / "copy"), "--data-dir", str(data)])
    assert result.exit_code == 0, result.output
    assert "keep it as secret as a password" in result.output
    assert _mode(tmp_path / "copy") == 0o700
    for name in ("hallway.db", "secret_key", "vapid_private_key.pem"):
        assert _mode(tmp_path / "copy" / name) == 0o600, name


def test_a_database_made_world_readable_before_is_tightened(runner, tmp_path):
    data = tmp_path / "data"
    _with_a_user(runner, data)
    (data / "hallway.db").chmod(0o644)
    assert runner.invoke(main, ["db", "upgrade", "--data-dir", str(data)]).exit_code == 0
    assert _mode(data / "hallway.db") == 0o600


def test_restore_on_a_new_machine_brings_back_data_and_keys(runner, tmp_path):
    data = tmp_path / "data"
    _with_a_user(runner, data)
    (data / "uploads" / "u1").mkdir()
    (data / "uploads" / "u1" / "photo.jpg").write_bytes(b"jpeg")
    assert (
        runner.invoke(main, ["backup", str(tmp_path / "copy"), "--data-dir", str(data)]).exit_code
        == 0
    )

    fresh = tmp_path / "new-machine"
    result = runner.invoke(main, ["restore", str(tmp_path / "copy"), "--data-dir", str(fresh)])
    assert result.exit_code == 0, result.output
    with sqlite3.connect(fresh / "hallway.db") as db:
        assert db.execute("SELECT email FROM users").fetchall() == [("a@example.com",)]
    for name in ("secret_key", "vapid_private_key.pem"):  # sessions and push keep working
        assert (fresh / name).read_bytes() == (data / name).read_bytes()
        assert _mode(fresh / name) == 0o600
    assert (fresh / "uploads" / "u1" / "photo.jpg").read_bytes() == b"jpeg"


def test_restore_refuses_to_replace_data_without_force(runner, tmp_path):
    data = tmp_path / "data"
    _with_a_user(runner, data)
    assert (
        runner.invoke(main, ["backup", str(tmp_path / "copy"), "--data-dir", str(data)]).exit_code
        == 0
    )
    with sqlite3.connect(data / "hallway.db") as db:
        db.execute("UPDATE users SET name = 'Changed since'")
    result = runner.invoke(main, ["restore", str(tmp_path / "copy"), "--data-dir", str(data)])
    assert result.exit_code == 1 and "--force" in result.output
    with sqlite3.connect(data / "hallway.db") as db:
        assert db.execute("SELECT name FROM users").fetchall() == [("Changed since",)]
    forced = runner.invoke(
        main, ["restore", str(tmp_path / "copy"), "--force", "--data-dir", str(data)]
    )
    assert forced.exit_code == 0, forced.output
    with sqlite3.connect(data / "hallway.db") as db:
        assert db.execute("SELECT name FROM users").fetchall() == [("A",)]


def test_restore_refuses_a_damaged_backup(runner, tmp_path):
    (tmp_path / "copy").mkdir()
    (tmp_path / "copy" / "hallway.db").write_bytes(b"SQLite format 3\x00" + b"\x07" * 4000)
    result = runner.invoke(
        main, ["restore", str(tmp_path / "copy"), "--data-dir", str(tmp_path / "d")]
    )
    assert result.exit_code == 1
    assert "damaged" in result.output and "nothing was restored" in result.output
    assert "Traceback" not in result.output


def test_a_data_directory_that_cannot_be_made_stops_with_one_sentence(runner, tmp_path):
    blocker = tmp_path / "a-file"
    blocker.write_text("not a folder")
    result = runner.invoke(main, ["db", "upgrade", "--data-dir", str(blocker / "data")])
    assert result.exit_code == 1
    assert f"cannot write to its data directory {blocker / 'data'}" in result.output
    assert "Traceback" not in result.output


def test_a_sign_up_mode_hallway_does_not_have_stops_start_up_in_one_sentence(
    runner, tmp_path, monkeypatch
):
    monkeypatch.setenv("HALLWAY_SIGNUP", "invites")
    result = runner.invoke(main, ["db", "upgrade", "--data-dir", str(tmp_path)])
    assert result.exit_code != 0
    assert "HALLWAY_SIGNUP is 'invites': it can be open, invite or closed." in result.output
    assert "Traceback" not in result.output


def test_processes_starting_at_once_on_a_fresh_data_directory_share_one_set_of_keys(tmp_path):
    # systemctl start hallway.target starts every web process and worker at the same moment.
    data = tmp_path / "data"
    start = threading.Barrier(8)
    keys = []

    def first_start():
        start.wait()
        config = prepare_data_dir(load_config({"DATA_DIR": str(data)}))
        keys.append((config["SECRET_KEY"], config["VAPID_PRIVATE_KEY"]))

    for _ in range(20):
        shutil.rmtree(data, ignore_errors=True)
        (data / "uploads").mkdir(parents=True)  # as systemd's StateDirectory= leaves it
        keys.clear()
        starts = [threading.Thread(target=first_start) for _ in range(8)]
        for thread in starts:
            thread.start()
        for thread in starts:
            thread.join()
        assert len(keys) == 8, "a process failed to start"
        assert len(set(keys)) == 1 and all(keys[0])
