"""Sync under load: a real `hallway serve` on SQLite and on PostgreSQL, against a bare baseline
and against the peer, PouchDB Server, all in the same run.

Run: python -m bench.load [--quick] [--seconds 30]  (writes a section of BENCHMARKS.md and prints it)
Budgets (issue 13): zero 5xx on SQLite and PostgreSQL; the 100-change batch within 3x of the
baseline; Hallway at least as fast as the peer.

- Batches: 50 clients, each its own account and API token, post `POST /api/v1/sync` batches of 100
  changes (half new contacts, half edits of contacts that client made earlier, with the version the
  server last answered as base_version), back to back, for the duration.
- Realistic mix: 500 attendees, each syncing 1 to 5 changes every 2 to 6 seconds.
- Baseline: bench/bare_sync.py, a bare Flask app on the same waitress settings writing the same 100
  rows with one executemany in one transaction, on the same kind of database.
- Peer: PouchDB Server (npm pouchdb-server, installed into bench/.peer when absent; in memory),
  30 clients, each with its own database, posting the same documents to `_bulk_docs` in batches of
  50 (half new, half edits with their `_rev`); Hallway takes the same load for the comparison.

Every client sends `Accept-Encoding: gzip, br` as a browser does; answer sizes are wire bytes. A
request answered 503 busy, another 5xx or not at all is sent again (the same batch_id, as the app
does) until it is answered; every try is counted. After each Hallway run the database is read
back: every change a client was told is applied must be there, at the version it was told.
PostgreSQL: HALLWAY_TEST_DATABASE_URL's server or postgresql+psycopg://postgres@127.0.0.1:5432;
each run gets a fresh database of its own (bench_load_<random>), dropped after.
"""

import argparse
import asyncio
import gzip
import hashlib
import json
import os
import random
import secrets
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
import uuid
from collections import Counter
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

import aiohttp
import brotli
from sqlalchemy import create_engine, insert, select, text
from sqlalchemy.engine import make_url
from sqlalchemy.exc import OperationalError

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, report  # noqa: E402
from pwa.auth.models import ApiToken, User  # noqa: E402
from pwa.contacts.models import Contact  # noqa: E402
from tests.harness import LiveServer, free_port  # noqa: E402
from tests.reverse_proxy import deploy_proxy, env_file_settings, nginx_binary  # noqa: E402

POSTGRES = "postgresql+psycopg://postgres@127.0.0.1:5432/bench_load"
PEER_DIR = ROOT / "bench" / ".peer"
PEER_BIN = PEER_DIR / "node_modules" / ".bin" / "pouchdb-server"
CLIENTS, BATCH = 50, 100
ATTENDEES, MIX_CHANGES, MIX_PAUSE = 500, (1, 5), (2.0, 6.0)
PEER_CLIENTS, PEER_BATCH = 30, 50
#: Seconds a client keeps retrying its last batch after the clock stops, so the run ends settled.
SETTLE = 30


# What the clients send ----------------------------------------------------------------------


def contact_fields(rng, serial, edit=0):
    """A contact as people capture them (about 300 bytes of JSON); an edit changes the notes."""
    first = rng.choice(["Ada", "Grace", "Katherine", "Margaret", "Alan", "Edsger", "Barbara"])
    last = rng.choice(["Lovelace", "Hopper", "Johnson", "Hamilton", "Turing", "Liskov"])
    return {
        "name": f"{first} {last} {serial}",
        "company": rng.choice(["NASA", "MIT", "Bletchley Park", "Harvard", "Bell Labs"]),
        "title": rng.choice(["Engineer", "Director of Research", "Mathematician", "CTO"]),
        "email": f"{first.lower()}.{serial}@example.com",
        "phone": f"+44 20 7946 {serial % 10000:04d}",
        "notes": f"Met at the coffee stand; talked about compilers and the hallway track. Edit {edit}.",
        "tags": ["conference", rng.choice(["speaker", "sponsor", "attendee"])],
    }


@dataclass
class Device:
    """One client: its token (or database, for the peer) and what it knows it wrote."""

    token: str
    rng: random.Random
    #: record id -> the version (Hallway, the baseline) or _rev (the peer) last answered
    known: dict = field(default_factory=dict)
    cursor: str | None = None
    serial: int = 0

    def changes(self, count, edits):
        """`count` changes: `edits` of them edits of distinct records this device wrote before."""
        edited = self.rng.sample(sorted(self.known), min(edits, len(self.known)))
        made = []
        for record_id in edited:
            self.serial += 1
            made.append((record_id, self.known[record_id], self.serial))
        for _ in range(count - len(edited)):
            self.serial += 1
            made.append((str(uuid.uuid4()), None, self.serial))
        self.rng.shuffle(made)
        return [
            (i, base, contact_fields(self.rng, serial, serial) | ({} if base else captured()))
            for i, base, serial in made
        ]


def captured():
    """What the app's capture form adds to a new contact: when we met, and how it was made."""
    return {"met_at": datetime.now(UTC).isoformat(), "source": "capture"}


class Hallway:
    """POST /api/v1/sync with a bearer token."""

    name = "Hallway"

    def __init__(self, url):
        self.url = url

    def request(self, device, changes, batch_id):
        body = {
            "cursor": device.cursor,
            "batch_id": batch_id,
            "changes": [
                {"kind": "contact", "id": i, "op": "upsert", "base_version": base, "fields": f}
                for i, base, f in changes
            ],
        }
        return f"{self.url}/api/v1/sync", body, {"Authorization": f"Bearer {device.token}"}

    def learn(self, device, changes, answer, tally):
        device.cursor = answer["cursor"]
        for result in answer["results"]:
            if result["status"] in ("applied", "duplicate"):
                device.known[result["id"]] = result["version"]
                tally.applied += 1
            else:
                tally.not_applied[result["status"]] += 1


class Bare(Hallway):
    """The baseline's POST /sync: the same body, no token, no pull."""

    name = "baseline"

    def request(self, device, changes, batch_id):
        url, body, _ = super().request(device, changes, batch_id)
        return f"{self.url}/sync", body, {}

    def learn(self, device, changes, answer, tally):
        for record_id, base, _ in changes:
            device.known[record_id] = (base or 0) + 1
        tally.applied += answer["written"]


class Peer:
    """PouchDB Server's POST /<database>/_bulk_docs: the same documents, edits with their _rev."""

    name = "PouchDB Server"

    def __init__(self, url):
        self.url = url

    def request(self, device, changes, batch_id):
        docs = [
            {"_id": i, **({"_rev": base} if base else {}), "type": "contact", **f}
            for i, base, f in changes
        ]
        return f"{self.url}/{device.token}/_bulk_docs", {"docs": docs}, {}

    def learn(self, device, changes, answer, tally):
        for result in answer:
            if result.get("ok"):
                device.known[result["id"]] = result["rev"]
                tally.applied += 1
            else:
                tally.not_applied[result.get("error", "unknown")] += 1


# Measuring ----------------------------------------------------------------------------------


@dataclass
class Tally:
    """What one run saw."""

    seconds: float = 0.0
    batches: int = 0
    applied: int = 0
    latencies: list = field(default_factory=list)
    wire: list = field(default_factory=list)
    raw: list = field(default_factory=list)
    statuses: Counter = field(default_factory=Counter)
    not_applied: Counter = field(default_factory=Counter)
    #: How busy the machine's CPUs were over the run, 0 to 1 (everything on it: the servers, the
    #: database, the proxy, these clients); None where /proc/stat is not there to tell.
    cpu_busy: float | None = None

    def errors(self):
        """{"503 busy": n, "5xx": n, "4xx": n, "no answer": n}, only those seen."""
        kinds = Counter()
        for status, count in self.statuses.items():
            if status and 200 <= status < 300:
                continue
            kind = (
                "503 busy"
                if status == 503
                else "no answer"
                if status is None
                else f"{status // 100}xx"
            )
            kinds[kind] += count
        return kinds

    def fivexx(self):
        return sum(n for s, n in self.statuses.items() if s and s >= 500 and s != 503)

    def percentile(self, p):
        if len(self.latencies) < 2:
            return self.latencies[0] if self.latencies else float("nan")
        return statistics.quantiles(self.latencies, n=100, method="inclusive")[p - 1]

    def summary(self, unit="batches"):
        errors = ", ".join(f"{kind} {n}" for kind, n in sorted(self.errors().items())) or "none"
        lost = sum(self.not_applied.values())
        wire, raw = statistics.median(self.wire or [0]), statistics.median(self.raw or [0])
        return (
            f"{self.batches / self.seconds:,.1f} {unit}/s, {self.applied / self.seconds:,.0f} "
            f"changes/s, p50 {self.percentile(50) * 1000:,.0f} ms, p99 "
            f"{self.percentile(99) * 1000:,.0f} ms; errors: {errors}"
            + (f"; not applied: {dict(self.not_applied)}" if lost else "")
            + f"; answers {size(wire)} on the wire ({size(raw)} raw)"
        )


def size(count):
    return f"{count:.0f} B" if count < 1024 else f"{count / 1024:.1f} KB"


def decoded(raw, encoding):
    if encoding == "br":
        return brotli.decompress(raw)
    if encoding == "gzip":
        return gzip.decompress(raw)
    return raw


async def sync_once(session, target, device, changes, tally, deadline):
    """Send one batch until it is answered 200 (or the deadline passes); every try is counted."""
    url, body, headers = target.request(device, changes, str(uuid.uuid4()))
    data = json.dumps(body).encode()
    headers = {**headers, "Content-Type": "application/json", "Accept-Encoding": "gzip, br"}
    while True:
        start = time.perf_counter()
        try:
            async with session.post(url, data=data, headers=headers) as response:
                raw = await response.read()
                status, encoding = response.status, response.headers.get("Content-Encoding")
                retry = float(response.headers.get("Retry-After") or 0.2)
        except (TimeoutError, aiohttp.ClientError):
            status, retry = None, 0.2
        tally.latencies.append(time.perf_counter() - start)
        tally.statuses[status] += 1
        if status in (200, 201):
            body = decoded(raw, encoding)
            tally.wire.append(len(raw))
            tally.raw.append(len(body))
            tally.batches += 1
            target.learn(device, changes, json.loads(body), tally)
            return
        if status is not None and status < 500:
            raise RuntimeError(f"{target.name} answered {status}: {raw[:300]!r}")
        if time.monotonic() > deadline:
            return
        await asyncio.sleep(min(retry, 1.0))


async def batches(session, target, device, size, stop, tally):
    """Back to back batches of `size`, half new, half edits, until `stop`."""
    while time.monotonic() < stop:
        await sync_once(
            session, target, device, device.changes(size, size // 2), tally, stop + SETTLE
        )


async def attendee(session, target, device, stop, tally):
    """A phone at the conference: 1 to 5 changes every few seconds (none begun after `stop`)."""

    async def pause(low, high):
        await asyncio.sleep(max(0.0, min(device.rng.uniform(low, high), stop - time.monotonic())))

    await pause(0, MIX_PAUSE[1])
    while time.monotonic() < stop:
        count = device.rng.randint(*MIX_CHANGES)
        edits = sum(device.rng.random() < 0.5 for _ in range(count))
        await sync_once(session, target, device, device.changes(count, edits), tally, stop + SETTLE)
        await pause(*MIX_PAUSE)


def drive(target, devices, seconds, size=None):
    """Run every device for `seconds` (after one warm-up batch each, not counted, so every
    counted batch has something to edit); batches of `size`, or the realistic mix when None."""

    async def run():
        connector = aiohttp.TCPConnector(limit=0, ssl=False)  # the proxy's own certificate
        timeout = aiohttp.ClientTimeout(total=60)
        async with aiohttp.ClientSession(
            connector=connector, timeout=timeout, auto_decompress=False
        ) as session:
            warm = Tally()
            first = size or MIX_CHANGES[1]
            deadline = time.monotonic() + 60
            await asyncio.gather(
                *(
                    sync_once(session, target, d, d.changes(first, 0), warm, deadline)
                    for d in devices
                )
            )
            tally = Tally()
            start, cpu_start = time.monotonic(), cpu_times()
            stop = start + seconds
            if size:
                work = [batches(session, target, d, size, stop, tally) for d in devices]
            else:
                work = [attendee(session, target, d, stop, tally) for d in devices]
            await asyncio.gather(*work)
            tally.seconds = time.monotonic() - start
            tally.cpu_busy = cpu_busy(cpu_start, cpu_times())
            return tally

    return asyncio.run(run())


def cpu_times():
    """(busy, all) jiffies of every CPU of the machine so far, or None without /proc/stat."""
    try:
        first = Path("/proc/stat").read_text().split("\n", 1)[0].split()
    except OSError:
        return None
    jiffies = [int(value) for value in first[1:9]]  # user nice system idle iowait irq softirq steal
    return sum(jiffies) - jiffies[3] - jiffies[4], sum(jiffies)


def cpu_busy(before, after):
    if before is None or after is None or after[1] == before[1]:
        return None
    return (after[0] - before[0]) / (after[1] - before[1])


# Servers ------------------------------------------------------------------------------------


def wait_until_up(url, process, log, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(url):
                return
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"{url} did not come up; see {log}") from None
            time.sleep(0.1)


@contextmanager
def process(command, health, folder, env=None):
    """A server process started in folder (its log there), stopped after."""
    log_path = Path(folder) / "server.log"
    with log_path.open("ab") as log:
        child = subprocess.Popen(command, cwd=folder, env=env, stdout=log, stderr=subprocess.STDOUT)
    try:
        wait_until_up(health, child, log_path)
        yield
    finally:
        child.terminate()
        child.wait(timeout=10)


@contextmanager
def bare_server(folder, database_url, with_search=False):
    port = free_port()
    command = [sys.executable, "-m", "bench.bare_sync", "--port", str(port)]
    command += ["--database", database_url] + (["--search"] if with_search else [])
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    with process(command, f"http://127.0.0.1:{port}/healthz", folder, env):
        yield Bare(f"http://127.0.0.1:{port}")


@contextmanager
def hallway_server(folder, database_url):
    with LiveServer(folder, env={"HALLWAY_DATABASE_URL": database_url}) as server:
        yield Hallway(server.url)


@contextmanager
def behind_the_proxy(folder, database_url, processes):
    """deploy/'s setup on this machine: nginx on deploy/nginx/hallway.conf (TLS, a certificate
    made here; as many nginx workers as cores, Debian's default) in front of `processes` times
    `hallway serve --no-worker` with deploy/hallway.env's settings, on one database."""
    folder = Path(folder)
    settings = {**env_file_settings(), "HALLWAY_DATABASE_URL": database_url}
    web = [
        LiveServer(folder / f"web{n}", env=settings, args=["--no-worker"]) for n in range(processes)
    ]
    https_port, http_port = free_port(), free_port()
    ports = [server.port for server in web]
    proxy, _certificate = deploy_proxy(folder, ports, http_port, https_port, workers="auto")
    try:
        for server in web:
            server.start()
        proxy.start(https_port)
        yield Hallway(f"https://127.0.0.1:{https_port}")
    finally:
        proxy.stop()
        for server in web:
            server.stop()


def accounts(database_url, count, seed):
    """count accounts with an API token each, written straight into Hallway's database (signing
    up 580 people through the API would mostly measure scrypt and the sign-up rate limit)."""
    engine = create_engine(database_url)
    users, tokens, devices = [], [], []
    for n in range(count):
        user_id, secret = uuid.uuid4(), "hw_" + secrets.token_urlsafe(32)
        users.append({"id": user_id, "email": f"load{n}@example.com", "name": f"Load {n}",
                      "password_hash": "!", "timezone": "UTC", "quiet_start": "21:00",
                      "quiet_end": "08:00", "change_seq": 0})  # fmt: skip
        tokens.append({"user_id": user_id, "label": "load",
                       "token_hash": hashlib.sha256(secret.encode()).hexdigest()})  # fmt: skip
        devices.append(Device(secret, random.Random(seed * 100_000 + n)))
    with engine.begin() as connection:
        connection.execute(insert(User.__table__), users)
        connection.execute(insert(ApiToken.__table__), tokens)
    engine.dispose()
    return devices


def check_applied(database_url, devices):
    """Every change a device was told is applied is in the database at the version it was told."""
    engine = create_engine(database_url)
    with engine.connect() as connection:
        stored = {str(i): v for i, v in connection.execute(select(Contact.id, Contact.version))}
    engine.dispose()
    told = {i: v for device in devices for i, v in device.known.items()}
    wrong = {i: (v, stored.get(i)) for i, v in told.items() if stored.get(i) != v}
    if wrong or len(stored) != len(told):
        raise RuntimeError(
            f"{len(wrong)} changes not as answered (told, stored), e.g. {list(wrong.items())[:3]}; "
            f"{len(stored)} contacts stored, {len(told)} expected"
        )
    return len(told)


def postgres_base():
    """The PostgreSQL URL to make scratch databases next to, or (None, why not)."""
    url = os.environ.get("HALLWAY_TEST_DATABASE_URL") or POSTGRES
    for database in (make_url(url).database, "postgres"):
        engine = create_engine(make_url(url).set(database=database), isolation_level="AUTOCOMMIT")
        try:
            engine.connect().close()
            return make_url(url).set(database=database), None
        except OperationalError as e:
            reason = str(e.orig).strip().splitlines()[0]
        finally:
            engine.dispose()
    return None, f"PostgreSQL at {make_url(url).render_as_string()} is unreachable: {reason}"


@contextmanager
def scratch_database(kind, folder, admin_url):
    """A fresh, empty database of `kind` ("SQLite" or "PostgreSQL"); its URL."""
    if kind == "SQLite":
        yield f"sqlite:///{Path(folder) / f'{uuid.uuid4().hex}.db'}"
        return
    name = f"bench_load_{uuid.uuid4().hex[:8]}"
    admin = create_engine(admin_url, isolation_level="AUTOCOMMIT")
    with admin.connect() as connection:
        connection.execute(text(f'CREATE DATABASE "{name}"'))
    try:
        yield admin_url.set(database=name).render_as_string(hide_password=False)
    finally:
        with admin.connect() as connection:
            connection.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        admin.dispose()


def peer_installed():
    """The pouchdb-server command, installed into bench/.peer if absent; or (None, why not)."""
    if PEER_BIN.exists():
        return PEER_BIN, None
    if not shutil.which("npm"):
        return None, "npm is not installed"
    done = subprocess.run(
        ["npm", "install", "--prefix", str(PEER_DIR), "pouchdb-server"],
        capture_output=True,
        text=True,
        timeout=600,
    )
    if done.returncode or not PEER_BIN.exists():
        last = (done.stderr or done.stdout).strip().splitlines()[-1:] or ["no output"]
        return None, f"npm could not install pouchdb-server: {last[0]}"
    return PEER_BIN, None


@contextmanager
def peer_server(folder, command, databases):
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    args = [str(command), "--port", str(port), "--in-memory", "--no-color"]
    with process(args, url + "/", folder):
        for name in databases:
            request = urllib.request.Request(f"{url}/{name}", method="PUT")
            urllib.request.urlopen(request).close()
        yield Peer(url)


# The run ------------------------------------------------------------------------------------


@dataclass
class Measured:
    """A database's figures: Hallway's runs and the baseline's."""

    batches: Tally
    mix: Tally
    peer_load: Tally
    baseline: Tally
    #: The baseline writing the rows into a table with Hallway's search index (--search).
    indexed: Tally
    checked: int


def measure_hallway(
    folder, database_url, seconds, clients=CLIENTS, attendees=ATTENDEES, peer_clients=PEER_CLIENTS
):
    """Hallway's three runs on one database, one after the other: batches, the realistic mix, the
    peer's load (a run with no clients is None); then every change read back. The Tallies and
    how many changes were read back."""
    with hallway_server(folder, database_url) as hallway:
        devices = accounts(database_url, clients + attendees + peer_clients, seed=1)
        loaders = devices[:clients]
        mixers = devices[clients : clients + attendees]
        peers = devices[clients + attendees :]
        batched = drive(hallway, loaders, seconds, BATCH)
        mix = drive(hallway, mixers, seconds) if mixers else None
        peer_load = drive(hallway, peers, seconds, PEER_BATCH) if peers else None
    checked = check_applied(database_url, devices)
    return batched, mix, peer_load, checked


def measure(kind, folder, admin_url, seconds):
    with scratch_database(kind, folder, admin_url) as url:
        batched, mix, peer_load, checked = measure_hallway(Path(folder) / "hallway", url, seconds)
    baselines = []
    for with_search in (False, True):
        with (
            scratch_database(kind, folder, admin_url) as url,
            bare_server(folder, url, with_search) as bare,
        ):
            devices = [Device("", random.Random(n)) for n in range(CLIENTS)]
            baselines.append(drive(bare, devices, seconds, BATCH))
    return Measured(batched, mix, peer_load, *baselines, checked)


def measure_scaling(folder, admin_url, seconds):
    """The batches run through the proxy on PostgreSQL with one web process, then with two:
    {processes: Tally}."""
    tallies = {}
    for processes in (1, 2):
        with scratch_database("PostgreSQL", folder, admin_url) as url:
            with behind_the_proxy(Path(folder) / f"proxied{processes}", url, processes) as site:
                devices = accounts(url, CLIENTS, seed=2)
                tallies[processes] = drive(site, devices, seconds, BATCH)
            check_applied(url, devices)
    return tallies


def scaling_row(tallies, seconds):
    one, two = tallies[1], tallies[2]
    ratio = (two.batches / two.seconds) / (one.batches / one.seconds)
    busy = ""
    if one.cpu_busy is not None and two.cpu_busy is not None:
        cores = os.cpu_count()
        busy = (
            f"; the machine's {cores} cores {one.cpu_busy:.0%} busy with one web process "
            f"(the database, nginx and these clients share them), {two.cpu_busy:.0%} with two: "
            f"what is left would take two processes to {1 / one.cpu_busy:.2f}x at most"
        )
    return (
        f"Sync through the proxy (deploy/, TLS), PostgreSQL, {CLIENTS} clients x {BATCH}, "
        f"{seconds:.0f} s: two web processes",
        f"{two.summary()} (one web process: {one.summary()}; two give {ratio:.2f}x{busy})",
        "≥ 1.6x one process",
    )


def rows_for(kind, m, seconds):
    def rate(tally):
        return tally.batches / tally.seconds

    fivexx = m.batches.fivexx() + m.mix.fivexx()
    index = "FTS5 trigram" if kind == "SQLite" else "pg_trgm GIN"
    return [
        (
            f"Sync, {CLIENTS} clients x {BATCH} changes (half new, half edits), {kind}, {seconds:.0f} s",
            f"{m.batches.summary()} (bare Flask + executemany on the same waitress: "
            f"{m.baseline.summary()}; Hallway {rate(m.baseline) / rate(m.batches):.1f}x slower)",
            "0 5xx; ≤ 3x the baseline",
        ),
        (
            f"The baseline again, its table with Hallway's search index ({index}), {kind}",
            f"{m.indexed.summary()} (the index alone makes the baseline "
            f"{rate(m.baseline) / rate(m.indexed):.1f}x slower; Hallway is "
            f"{rate(m.indexed) / rate(m.batches):.1f}x slower than this)",
            "",
        ),
        (
            f"Realistic mix, {ATTENDEES} attendees, {MIX_CHANGES[0]} to {MIX_CHANGES[1]} changes "
            f"every {MIX_PAUSE[0]:.0f} to {MIX_PAUSE[1]:.0f} s, {kind}",
            m.mix.summary("syncs")
            + f"; {fivexx} 5xx over both runs; all {m.checked:,} changes read back as answered",
            "0 5xx",
        ),
    ]


def peer_row(kind, hallway, peer, why_not):
    what = f"Peer load, {PEER_CLIENTS} clients x {PEER_BATCH} (half new, half edits), {kind}"
    if peer is None:
        return (what, f"{hallway.summary()} (PouchDB Server not measured: {why_not})", "≥ the peer")
    ratio = (peer.batches / peer.seconds) / (hallway.batches / hallway.seconds)
    verdict = f"Hallway {ratio:.1f}x slower" if ratio >= 1 else f"Hallway {1 / ratio:.1f}x faster"
    return (
        what,
        f"{hallway.summary()} (PouchDB Server, in memory, `_bulk_docs`: {peer.summary()}; {verdict})",
        "≥ the peer",
    )


def main(argv=()):
    parser = argparse.ArgumentParser(
        prog="python -m bench.load", description=__doc__.split("\n")[0]
    )
    parser.add_argument("--quick", action="store_true", help="about 5 s a run instead of 30")
    parser.add_argument("--seconds", type=float, help="seconds a run (default 30, --quick 5)")
    options = parser.parse_args(list(argv))
    seconds = options.seconds or (5 if options.quick else 30)
    admin_url, why_no_postgres = postgres_base()
    load_before = os.getloadavg()[0]
    rows = []
    with tempfile.TemporaryDirectory(prefix="bench-load-") as tmp:
        command, why_no_peer = peer_installed()
        peer = None
        if command:
            with peer_server(tmp, command, [f"c{n}" for n in range(PEER_CLIENTS)]) as target:
                devices = [Device(f"c{n}", random.Random(n)) for n in range(PEER_CLIENTS)]
                peer = drive(target, devices, seconds, PEER_BATCH)
        else:
            print(f"Going on without the peer: {why_no_peer}")
        kinds = ["SQLite"] + (["PostgreSQL"] if admin_url else [])
        if why_no_postgres:
            print(f"Skipping PostgreSQL: {why_no_postgres}")
        for kind in kinds:
            folder = Path(tmp) / kind
            folder.mkdir()
            measured = measure(kind, folder, admin_url, seconds)
            rows += rows_for(kind, measured, seconds)
            rows.append(peer_row(kind, measured.peer_load, peer, why_no_peer))
        if admin_url and nginx_binary():
            rows.append(scaling_row(measure_scaling(tmp, admin_url, seconds), seconds))
        else:
            print("Skipping the proxy runs: they need PostgreSQL and nginx (apt-get install nginx)")
    if why_no_postgres:
        rows.append(("PostgreSQL", f"not measured: {why_no_postgres}", "0 5xx"))
    note = (
        f"Each run {seconds:.0f} s. Load average {load_before:.1f} at the start, "
        f"{os.getloadavg()[0]:.1f} at the end: this machine is shared with other work, so the "
        "figures are noisy; each ratio is to a baseline measured in the same run."
    )
    report("Sync under load (issue 13)", rows, note)


if __name__ == "__main__":
    main(sys.argv[1:])
