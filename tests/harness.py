"""What the browser tests and the benchmarks share: a real `hallway serve`, and Chromium's flags."""

import json
import os
import random
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


def free_port():
    """A TCP port on loopback that nobody uses now, below the range the system hands out to
    outgoing connections: a port from that range (what binding port 0 gives) can be taken as a
    connection's own end between being chosen and the server binding it ("Address already in
    use", seen under CI's load). Not one this process handed out before."""
    while True:
        port = _PICK.choice(_PORTS)
        if port in _handed_out:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", port))
            except OSError:
                continue
        _handed_out.add(port)
        return port


def _listening_ports():
    """Ports for servers: below the system's ephemeral range (or above it, if it starts low)."""
    try:
        text = Path("/proc/sys/net/ipv4/ip_local_port_range").read_text()
        low, high = (int(part) for part in text.split())
    except (OSError, ValueError):
        low, high = 32768, 60999  # Linux's default
    return range(low - 12000, low) if low - 12000 >= 1024 else range(high + 1, 65536)


_PORTS = _listening_ports()
_PICK = random.SystemRandom()  # not the random module's state, which tests may seed
_handed_out = set()


def hallway_environment(settings=None):
    """This process's environment without its HALLWAY_* settings (a developer's own must not leak
    into a test), plus `settings` ({"HALLWAY_DATABASE_URL": ..., ...})."""
    env = {k: v for k, v in os.environ.items() if not k.startswith("HALLWAY_")}
    return {**env, **(settings or {})}


class LiveServer:
    """`hallway serve` in a subprocess on a free port, its data and log in folder. Start and stop
    it (again: a lost network, as far as a browser can tell), or use it as `with LiveServer(...)`.

    What it runs with is said here, never taken from the caller's HALLWAY_* variables: `env` holds
    HALLWAY_* variables, as an operator's environment file sets them (HALLWAY_DATA_DIR, when given,
    replaces folder/data, so two servers can share one directory and one SQLite file); `settings`
    (any setting, by its name) go into the data directory's config.toml, as an operator would write
    it; `args` go after `serve` (e.g. ["--no-worker"])."""

    def __init__(self, folder, env=None, args=(), settings=None):
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        self.env = dict(env or {})
        self.args = list(args)
        self.data_dir = Path(self.env.get("HALLWAY_DATA_DIR") or Path(folder) / "data")
        self.log_path = Path(folder) / "server.log"
        self.settings = dict(settings or {})
        self.process = None

    def start(self, seconds=90):  # a loaded two-core machine takes its time importing
        env = hallway_environment(self.env)
        command = [sys.executable, "-m", "pwa", "serve", "--port", str(self.port)]
        command += ["--data-dir", str(self.data_dir), *self.args]
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
