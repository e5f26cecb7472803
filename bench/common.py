"""What the benchmarks share: a live server, Chromium's flags, and writing BENCHMARKS.md."""

import os
import platform
import re
import socket
import subprocess
import sys
import time
import urllib.request
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
ChromiumArgs = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]


class LiveServer:
    """`hallway serve` on a free port for the duration of a `with` block."""

    def __init__(self, data_dir):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            self.port = s.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self.data_dir = data_dir

    def __enter__(self):
        env = {k: v for k, v in os.environ.items() if not k.startswith("HALLWAY_")}
        self.process = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "pwa",
                "serve",
                "--port",
                str(self.port),
                "--data-dir",
                str(self.data_dir),
            ],
            env=env,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        for _ in range(300):
            try:
                urllib.request.urlopen(f"{self.url}/healthz").close()
                return self
            except OSError:
                time.sleep(0.1)
        raise RuntimeError("hallway serve did not start")

    def __exit__(self, *exc):
        self.process.terminate()
        self.process.wait(timeout=10)


def machine():
    """One line naming this machine."""
    cpu = platform.processor() or "unknown CPU"
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.+)", info).group(1)
    except (OSError, AttributeError):
        pass
    return f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def report(title, rows):
    """Print a results table and put it in BENCHMARKS.md under its title (replacing an older run)."""
    lines = [
        f"## {title}",
        "",
        f"Measured {date.today().isoformat()} on {machine()}.",
        "",
        "| what | result (baseline in the same run) | budget |",
        "| --- | --- | --- |",
    ]
    lines += [f"| {what} | {result} | {budget} |" for what, result, budget in rows]
    section = "\n".join(lines) + "\n"
    print(section)
    path = ROOT / "BENCHMARKS.md"
    text = (
        path.read_text()
        if path.exists()
        else "# Benchmarks\n\nRun them all with `python -m bench`.\n\n"
    )
    pattern = re.compile(rf"^## {re.escape(title)}\n.*?(?=^## |\Z)", re.S | re.M)
    text = (
        pattern.sub(section + "\n", text)
        if pattern.search(text)
        else text.rstrip() + "\n\n" + section
    )
    path.write_text(text)
