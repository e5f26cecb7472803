"""What the benchmarks share: naming the machine and writing BENCHMARKS.md (the live server and
Chromium's flags come from tests/harness.py, which the browser tests use too)."""

import os
import platform
import re
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def machine():
    """One line naming this machine."""
    cpu = platform.processor() or "unknown CPU"
    try:
        info = Path("/proc/cpuinfo").read_text()
        cpu = re.search(r"model name\s*:\s*(.+)", info).group(1)
    except (OSError, AttributeError):
        pass
    return f"{platform.system()} {platform.machine()}, {cpu}, {os.cpu_count()} cores, Python {platform.python_version()}"


def report(title, rows, note=""):
    """Print a results table and put it in BENCHMARKS.md under its title (replacing an older run);
    `note`, when given, follows the line naming the date and the machine."""
    lines = [
        f"## {title}",
        "",
        f"Measured {date.today().isoformat()} on {machine()}." + (f" {note}" if note else ""),
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
