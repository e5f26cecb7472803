"""Attendee import budgets (issue 4), measured against a real `hallway serve` (SQLite).

Run: python bench/imports.py  (writes a section of BENCHMARKS.md and prints it)
Budget: a 10,000-row attendee list imports in a few seconds (here: <= 3 s each for a first
import, a re-import of the same file, a re-import with every row changed, and a preview).
The baseline, measured in the same run on the same machine, is the naive way: the ORM adding
(or finding and changing) one attendee at a time, flushing each, fed the already parsed rows.
"""

import csv
import io
import json
import statistics
import sys
import tempfile
import time
import urllib.request
import uuid
from pathlib import Path

from sqlalchemy import select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import report  # noqa: E402
from tests.harness import LiveServer  # noqa: E402

ROWS = 10_000
RUNS = 3
PASSWORD = "correct horse battery"
FIRST = ["Ada", "Zoë", "José", "Siân", "小龙", "Kwame", "Åsa", "Grace", "Jürgen", "Nkechi"]
LAST = ["Lovelace", "Ångström", "Núñez", "Llewellyn-Jones", "李", "Mensah", "Hopper", "Okafor"]


def eventbrite_report(rows, company="Acme"):
    """An Eventbrite attendee report with rows attendees (a few refunded, custom questions)."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(
        [
            "Order #",
            "Order Date",
            "First Name",
            "Last Name",
            "Email",
            "Ticket Type",
            "Attendee #",
            "Attendee Status",
            "Job Title",
            "Company",
            "What would you like to talk about?",
            "Barcode #",
        ]
    )
    for n in range(rows):
        status = "Refunded" if n % 500 == 499 else "Attending"
        first, last = FIRST[n % len(FIRST)], LAST[n % len(LAST)]
        writer.writerow(
            [
                800_000 + n // 2,
                "2026-09-01 10:12:00",
                first,
                f"{last} {n}",
                f"person{n}@example.com",
                "General Admission",
                2_000_000 + n,
                status,
                "Engineer",
                f"{company} {n % 97}",
                "Compilers, and\nwhy they matter",
                f"{2_000_000 + n}001",
            ]
        )
    return ("\ufeff" + out.getvalue()).encode()


class Api:
    """Just enough of a client: a bearer token and multipart uploads over urllib."""

    def __init__(self, url):
        self.url = url
        account = {"email": "b@example.com", "password": PASSWORD}
        self.call("POST", "/auth/register", {**account, "name": "Bench"})
        self.token = self.call("POST", "/auth/tokens", {**account, "label": "bench"})["token"]

    def call(self, method, path, body=None, data=None, content_type="application/json"):
        if body is not None:
            data = json.dumps(body).encode()
        request = urllib.request.Request(f"{self.url}/api/v1{path}", data=data, method=method)
        request.add_header("Content-Type", content_type)
        if getattr(self, "token", None):
            request.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read())

    def upload(self, path, filename, content):
        boundary = uuid.uuid4().hex
        head = (
            f'--{boundary}\r\nContent-Disposition: form-data; name="file"; '
            f'filename="{filename}"\r\nContent-Type: text/csv\r\n\r\n'
        )
        data = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
        start = time.perf_counter()
        answer = self.call(
            "POST", path, data=data, content_type=f"multipart/form-data; boundary={boundary}"
        )
        return (time.perf_counter() - start) * 1000, answer


def measure_server(url, first, changed):
    """Median milliseconds of each kind of import over RUNS fresh events."""
    api = Api(url)
    timings, answers = {"import": [], "again": [], "changed": [], "preview": []}, {}
    for run in range(RUNS):
        event = api.call("POST", "/events", {"name": f"Bench {run}"})["id"]
        path = f"/events/{event}/attendees/import"
        for kind, suffix, content in (
            ("preview", "?preview=1", first),
            ("import", "", first),
            ("again", "", first),
            ("changed", "", changed),
        ):
            took, answers[kind] = api.upload(path + suffix, "attendees.csv", content)
            timings[kind].append(took)
        kept = answers["import"]["imported"]
        assert answers["preview"]["imported"] == kept and answers["changed"]["updated"] == kept
        assert api.call("GET", f"/events/{event}/attendees?q=Acme")["items"] == []
    return {kind: statistics.median(values) for kind, values in timings.items()}


def measure_naive(data_dir, first, changed):
    """The baseline: one ORM insert (then one find and one update) per attendee."""
    from pwa import create_app, records
    from pwa.auth import service as accounts
    from pwa.db import db, utcnow
    from pwa.events.attendee_files import parse_file
    from pwa.events.kinds import EVENT
    from pwa.events.models import Attendee

    app = create_app({"DATA_DIR": str(data_dir), "PASSWORD_HASH_METHOD": "scrypt:1024:8:1"})
    rows, new_rows = parse_file(first).rows, parse_file(changed).rows
    fields = ("name", "company", "title", "email", "badge_id", "bio", "links", "source_key")
    with app.app_context():
        db.create_all()
        user = accounts.register("naive@example.com", PASSWORD, "Naive", "scrypt:1024:8:1")
        event, _ = records.create(EVENT, user, {"name": "Naive"}, utcnow())
        db.session.commit()
        start = time.perf_counter()
        for row in rows:
            now = utcnow()
            values = {name: row[name] for name in fields}
            db.session.add(Attendee(event_id=event.id, created_at=now, updated_at=now, **values))
            db.session.flush()
        db.session.commit()
        inserted = (time.perf_counter() - start) * 1000
        start = time.perf_counter()
        for row in new_rows:
            query = select(Attendee).where(
                Attendee.event_id == event.id, Attendee.source_key == row["source_key"]
            )
            attendee = db.session.scalars(query).one()
            for name in fields:
                setattr(attendee, name, row[name])
            db.session.flush()
        db.session.commit()
        updated = (time.perf_counter() - start) * 1000
    return inserted, updated, len(rows)


def main():
    first = eventbrite_report(ROWS)
    changed = eventbrite_report(ROWS, company="Initech")
    with tempfile.TemporaryDirectory() as tmp:
        with LiveServer(Path(tmp) / "data") as server:
            t = measure_server(server.url, first, changed)
        naive_insert, naive_update, kept = measure_naive(Path(tmp) / "naive", first, changed)
    size = f"{len(first) / 1024 / 1024:.1f} MB"
    rows = [
        (
            f"First import of a {ROWS:,}-row Eventbrite CSV ({size}, {kept:,} kept), over HTTP: "
            "parse, match, bulk insert (median of 3)",
            f"{t['import']:.0f} ms (row-at-a-time ORM inserts alone: {naive_insert:.0f} ms, "
            f"{naive_insert / t['import']:.1f}x slower)",
            "≤ 3 s",
        ),
        (
            "Re-import of the same file (every row matched, nothing to write)",
            f"{t['again']:.0f} ms",
            "≤ 3 s",
        ),
        (
            "Re-import with every row changed (bulk update)",
            f"{t['changed']:.0f} ms (a find and an ORM update per row: {naive_update:.0f} ms, "
            f"{naive_update / t['changed']:.1f}x slower)",
            "≤ 3 s",
        ),
        ("Preview of the same file (nothing written)", f"{t['preview']:.0f} ms", "≤ 3 s"),
    ]
    report("Attendee imports (issue 4)", rows)


if __name__ == "__main__":
    main()
