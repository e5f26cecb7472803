"""One user's contacts growing to 1,000, 10,000 and 100,000: a new device's first sync, server
search and the server's memory, against a real `hallway serve` on SQLite and on PostgreSQL.

Run: python -m bench.growth [SIZE ...]  (default 1000 10000 100000; writes a section of
BENCHMARKS.md and prints it). The People screen and local search at the same sizes are
bench/people.py's.
Budget (issue 13): server search median <= 20 ms at 100,000.

- Seeding: the contacts go straight into the server's database with bulk inserts (SQLAlchemy Core,
  5,000 rows a statement; the search index follows through its triggers on SQLite, its GIN index
  on PostgreSQL), numbered in the user's change order as if captured one after the other.
- First sync: a new device pulls everything as the app does, `POST /api/v1/sync` with an empty
  outbox and the cursor of the answer before, until `more` is false; it says what Chromium says it
  takes (`Accept-Encoding: gzip, deflate, br, zstd`), so the bytes are the wire's. Baseline in the
  same run: GET /api/v1/export/all.json, the same records in one streamed answer.
- Server search: GET /api/v1/contacts?q= for a few words (some find many, some few, one none),
  the median of each word's median; baseline: the unfiltered first page (the same page size).
- Memory: the server process's resident set (VmRSS, /proc) after it started and the seeding was
  done, and its peak (VmHWM) after the first sync and the searches.
PostgreSQL: HALLWAY_TEST_DATABASE_URL's server or postgresql+psycopg://postgres@127.0.0.1:5432;
each size gets a fresh database of its own, dropped after.
"""

import argparse
import json
import os
import random
import statistics
import sys
import tempfile
import time
import urllib.parse
import urllib.request
import uuid
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import create_engine, insert, select, text, update

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import report  # noqa: E402
from bench.load import accounts as new_accounts  # noqa: E402
from bench.load import contact_fields, decoded, postgres_base, scratch_database  # noqa: E402
from bench.offline import WIRE_ENCODINGS  # noqa: E402
from pwa.auth.models import User  # noqa: E402
from pwa.contacts.models import Contact, search_text_of  # noqa: E402
from tests.harness import LiveServer  # noqa: E402

SIZES = (1_000, 10_000, 100_000)
#: Words a search asks for: about 1 in 7 people, 1 in 5, a handful, nobody, everyone (a tag),
#: and the slowest kind: a common word with a piece too short for the index that nobody has.
QUERIES = ("grace", "bell labs", "hopper 42", "zzz", "conference", "hopper zq")
RUNS = 15  # requests per query
CHUNK = 5_000
#: Person 0 met this long before the newest, one minute apart.
EPOCH = datetime(2026, 1, 1, tzinfo=UTC)


def seed(database_url, count):
    """One account with `count` contacts; its API token."""
    (device,) = new_accounts(database_url, 1, seed=count)
    engine = create_engine(database_url)
    rng = random.Random(count)
    with engine.begin() as connection:
        user_id = connection.execute(select(User.id)).scalar_one()
        for start in range(0, count, CHUNK):
            rows = []
            for n in range(start, min(start + CHUNK, count)):
                fields = contact_fields(rng, n)
                met = EPOCH + timedelta(minutes=n)
                rows.append(
                    {
                        "id": uuid.UUID(int=rng.getrandbits(128), version=4),
                        "user_id": user_id,
                        "version": 1,
                        "created_at": met,
                        "updated_at": met,
                        "change_seq": n + 1,
                        "field_versions": {},
                        "met_at": met,
                        "source": "capture",
                        "search_text": search_text_of(fields),
                        **fields,
                    }
                )
            connection.execute(insert(Contact.__table__), rows)
        connection.execute(update(User.__table__).values(change_seq=count))
    if engine.dialect.name == "postgresql":
        with engine.begin() as connection:
            connection.execute(text("ANALYZE"))  # as autovacuum would, soon after a load
    engine.dispose()
    return device.token


def memory(pid):
    """{"VmRSS": bytes, "VmHWM": bytes, ...} of a process, from /proc."""
    sizes = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        name, _, value = line.partition(":")
        if value.strip().endswith("kB"):
            sizes[name] = int(value.split()[0]) * 1024
    return sizes


@dataclass
class Wire:
    """One or more answers: seconds, requests, bytes as sent and decoded, records."""

    seconds: float = 0.0
    requests: int = 0
    wire: int = 0
    raw: int = 0
    records: int = 0


def call(url, token, body=None):
    """(wire bytes, decoded bytes) of one request that must answer 200."""
    data = None if body is None else json.dumps(body).encode()
    headers = {"Authorization": f"Bearer {token}", "Accept-Encoding": WIRE_ENCODINGS}
    if data is not None:
        headers["Content-Type"] = "application/json"
    request = urllib.request.Request(url, data=data, headers=headers)
    with urllib.request.urlopen(request, timeout=300) as response:
        sent = response.read()
        return sent, decoded(sent, response.headers.get("Content-Encoding"))


def first_sync(url, token):
    """A new device's whole first pull, page after page, as static/js/sync.js does it."""
    result, cursor = Wire(), None
    start = time.perf_counter()
    while True:
        body = {"cursor": cursor, "batch_id": None, "changes": []}
        sent, raw = call(f"{url}/api/v1/sync", token, body)
        answer = json.loads(raw)
        result.requests += 1
        result.wire += len(sent)
        result.raw += len(raw)
        result.records += len(answer["changes"])
        cursor = answer["cursor"]
        if not answer["more"]:
            break
    result.seconds = time.perf_counter() - start
    return result


def export(url, token):
    """The baseline: every record in one streamed GET /api/v1/export/all.json."""
    start = time.perf_counter()
    sent, raw = call(f"{url}/api/v1/export/all.json", token)
    seconds = time.perf_counter() - start
    return Wire(seconds, 1, len(sent), len(raw), len(json.loads(raw)["contacts"]))


def median_ms(url, token, runs=RUNS):
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call(url, token)
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


def searches(url, token):
    """{query: (median ms, how many the first page found)}, and the unfiltered first page's
    median ms."""
    contacts = f"{url}/api/v1/contacts"
    median_ms(contacts, token, runs=3)  # warm up: the first answer loads code and caches
    timed = {}
    for query in QUERIES:
        asked = f"{contacts}?q={urllib.parse.quote(query)}"
        found = len(json.loads(call(asked, token)[1])["items"])
        timed[query] = (median_ms(asked, token), found)
    return timed, median_ms(contacts, token)


@dataclass
class Grown:
    """What one size on one database measured."""

    size: int
    seed_seconds: float
    sync: Wire
    export: Wire
    searches: dict
    page_ms: float
    idle_rss: int
    sync_rss: int
    peak_rss: int


def measure(folder, database_url, size):
    """Seed `size` contacts into an empty database, then measure a server on it."""
    with LiveServer(
        folder, env={"HALLWAY_DATABASE_URL": database_url}, args=["--no-worker"]
    ) as server:
        start = time.perf_counter()
        token = seed(database_url, size)
        seeded = time.perf_counter() - start
        pid = server.process.pid
        idle = memory(pid)["VmRSS"]
        sync = first_sync(server.url, token)
        synced = memory(pid)["VmHWM"]
        baseline = export(server.url, token)
        timed, page = searches(server.url, token)
        peak = memory(pid)["VmHWM"]
    if sync.records != size or baseline.records != size:
        raise RuntimeError(
            f"{size} contacts seeded, {sync.records} synced, {baseline.records} exported"
        )
    return Grown(size, seeded, sync, baseline, timed, page, idle, synced, peak)


def mb(count):
    return f"{count / 1024 / 1024:,.1f} MB" if count >= 1024 * 1024 else f"{count / 1024:,.0f} KB"


def rows_for(kind, g, budget):
    s, e = g.sync, g.export
    median = statistics.median(ms for ms, _ in g.searches.values())
    slowest = max(g.searches, key=lambda q: g.searches[q][0])
    each = ", ".join(f"“{q}” {ms:.1f} ms ({n} found)" for q, (ms, n) in g.searches.items())
    return [
        (
            f"First sync of a new device, {g.size:,} contacts, {kind}",
            f"{s.seconds * 1000:,.0f} ms, {s.requests} requests, {mb(s.wire)} on the wire "
            f"({mb(s.raw)} raw) (all.json in one streamed answer: {e.seconds * 1000:,.0f} ms, "
            f"{mb(e.wire)}, not compressed; ratio {s.seconds / e.seconds:.2f})",
            "",
        ),
        (
            f"Server search, {g.size:,} contacts, {kind} (median of {len(QUERIES)} words' "
            f"medians of {RUNS}; first page of 50)",
            f"{median:.1f} ms, slowest “{slowest}” {g.searches[slowest][0]:.1f} ms (first page "
            f"unfiltered: {g.page_ms:.1f} ms, ratio {median / g.page_ms:.2f}; {each})",
            "≤ 20 ms" if budget else "",
        ),
        (
            f"Server memory, {g.size:,} contacts, {kind}",
            f"peak {mb(g.sync_rss)} after the first sync, {mb(g.peak_rss)} after all.json and "
            f"the searches too (after start and seeding: {mb(g.idle_rss)})",
            "",
        ),
    ]


def main(argv=()):
    parser = argparse.ArgumentParser(
        prog="python -m bench.growth", description=__doc__.split("\n")[0]
    )
    parser.add_argument("sizes", nargs="*", type=int, default=SIZES)
    sizes = parser.parse_args(list(argv)).sizes
    admin_url, why_no_postgres = postgres_base()
    kinds = ["SQLite"] + (["PostgreSQL"] if admin_url else [])
    rows, load_before = [], os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="bench-growth-") as tmp:
        for kind in kinds:
            for size in sizes:
                folder = Path(tmp) / f"{kind}-{size}"
                with scratch_database(kind, tmp, admin_url) as database_url:
                    grown = measure(folder, database_url, size)
                print(f"{kind} {size:,}: seeded in {grown.seed_seconds:.1f} s", flush=True)
                rows += rows_for(kind, grown, size >= 100_000)
    if why_no_postgres:
        rows.append(("PostgreSQL", f"not measured: {why_no_postgres}", ""))
    note = (
        f"Load average {load_before:.1f} at the start, {os.getloadavg()[0]:.1f} at the end (the "
        "machine is shared). The contacts are made from a few lists of names, companies and "
        "titles (bench/load.py's), so they compress better than real ones would: read the wire "
        "bytes as a floor. Times are over HTTP on loopback, the client in Python (no IndexedDB)."
    )
    report("Growth of one user's contacts (issue 13)", rows, note)


if __name__ == "__main__":
    main(sys.argv[1:])
