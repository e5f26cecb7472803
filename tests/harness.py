"""What the browser tests and the benchmarks share: a real `hallway serve`, and Chromium's flags."""

import json
import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

#: Keep Chromium off the (closed) network; see ../shared/TESTING.md.
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveServer:
    """`hallway serve` in a subprocess on a free port, its data and log in folder. Start and stop
    it (again: a lost network, as far as a browser can tell), or use it as `with LiveServer(...)`.

    The server never sees the caller's HALLWAY_* variables; what it should run with is said here:
    `settings` (any setting, DATABASE_URL and SIGNUP included) goes into its data directory's
    config.toml, as an operator would write it; `data_dir` lets two servers share one directory
    (one SQLite file); `worker=False` serves without the reminder dispatcher (--no-worker)."""

    def __init__(self, folder, settings=None, data_dir=None, worker=True):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = Path(data_dir or Path(folder) / "data")
        self.log_path = Path(folder) / "server.log"
        self.settings = dict(settings or {})
        self.worker = worker
        self.process = None

    def start(self, seconds=90):  # a loaded two-core machine takes its time importing
        env = {k: v for k, v in os.environ.items() if not k.startswith("HALLWAY_")}
        command = [sys.executable, "-m", "pwa", "serve", "--port", str(self.port)]
        command += ["--data-dir", str(self.data_dir)]
        if not self.worker:
            command.append("--no-worker")
        if self.settings:
            self.data_dir.mkdir(mode=0o700, parents=True, exist_ok=True)
            (self.data_dir / "config.toml").write_text(toml(self.settings))
        self.log_path.parent.mkdir(parents=True, exist_ok=True)
        with self.log_path.open("ab") as log:
            self.process = subprocess.Popen(command, env=env, stdout=log, stderr=subprocess.STDOUT)
        deadline = time.monotonic() + seconds
        while True:
            try:
                with urllib.request.urlopen(f"{self.url}/healthz"):
                    return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(
                        f"hallway serve did not start; see {self.log_path}"
                    ) from None
                time.sleep(0.1)

    def stop(self):
        self.process.terminate()
        self.process.wait(timeout=10)

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()


def toml(settings):
    """Settings (strings and numbers) as a config.toml: a JSON string is a TOML basic string."""
    return "".join(f"{name.lower()} = {json.dumps(value)}\n" for name, value in settings.items())
