"""Every rate limit holds when requests are spread over two web processes on one database: two
real `hallway serve --no-worker` on one PostgreSQL database (or one SQLite file), requests
alternating between them refused at the same count as with one process, and a burst at both at
once let through no more than the limit."""

import http.client
import itertools
import json
import threading

import pytest

from tests.conftest import FAST_HASH, PASSWORD, PG_URL, _scratch_postgres
from tests.harness import LiveServer

#: Small limits, so a test reaches each quickly.
LIMITS = {
    "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS": 3,
    "LOGIN_LIMIT_PER_ACCOUNT": 6,
    "LOGIN_LIMIT_PER_ADDRESS": 5,
    "SIGN_UP_LIMIT_PER_ADDRESS": 4,
    "JOIN_LIMIT_PER_ADDRESS": 4,
    "PASSWORD_HASH_METHOD": FAST_HASH,
}
#: Every 127.x.y.z is this machine: each test's requests come from addresses of their own.
_addresses = (f"127.{a}.{b}.{c}" for a in range(2, 250) for b in range(256) for c in (1, 2, 3))


def new_address():
    return next(_addresses)


@pytest.fixture(scope="module")
def servers(database, tmp_path_factory):
    """Two web processes without the reminder dispatcher, sharing one database: a fresh
    PostgreSQL database, or, on SQLite, one data directory and so one database file."""
    folder = tmp_path_factory.mktemp("two-processes")
    settings, scratch = dict(LIMITS), None
    if database:
        scratch = _scratch_postgres(PG_URL)
        settings["DATABASE_URL"] = next(scratch)["url"]
    pair = [
        LiveServer(
            folder / name,
            env={"HALLWAY_DATA_DIR": str(folder / "data")},
            args=["--no-worker"],
            settings=settings,
        )
        for name in ("a", "b")
    ]
    for server in pair:  # one after the other: the first creates the tables
        server.start()
    yield pair
    for server in pair:
        server.stop()
    if scratch:
        scratch.close()


class Answer:
    def __init__(self, response):
        self.status = response.status
        self.headers = response.headers
        self.body = json.loads(response.read() or b"null")


def call(server, method, path, body=None, address="127.0.0.1", token=None):
    """Send one request to server from a client address of this machine."""
    connection = http.client.HTTPConnection(
        "127.0.0.1", server.port, timeout=30, source_address=(address, 0)
    )
    headers = {"Content-Type": "application/json"}
    if token:
        headers["Authorization"] = f"Bearer {token}"
    try:
        connection.request(method, f"/api/v1{path}", json.dumps(body), headers)
        return Answer(connection.getresponse())
    finally:
        connection.close()


_people = itertools.count()


def new_account(server):
    """A fresh account, signed up from an address of its own; returns its email and a token."""
    email = f"person{next(_people)}@example.com"
    body = {"email": email, "password": PASSWORD, "name": "Someone"}
    assert call(server, "POST", "/auth/register", body, new_address()).status == 201
    token = call(server, "POST", "/auth/tokens", {"email": email, "password": PASSWORD})
    return email, token.body["token"]


def refused_at(attempts, servers, expected, longest=15 * 60):
    """Make the attempts in turn, going round the servers; return the number of the first one
    refused with 429 and a Retry-After (each one before it answered `expected`)."""
    for number, (attempt, server) in enumerate(zip(attempts, itertools.cycle(servers)), 1):
        answer = attempt(server)
        if answer.status == 429:
            assert answer.body["error"] == "rate_limited"
            assert 0 < int(answer.headers["Retry-After"]) <= longest
            return number
        assert answer.status == expected, answer.body
    return None


def wrong_sign_in(email, address):
    body = {"email": email, "password": "not the password"}
    return lambda server: call(server, "POST", "/auth/login", body, address)


def spreads(servers):
    """One process, then both in turn."""
    return ([servers[0]], servers)


def test_sign_in_failures_per_account_and_address(servers):
    counts = []
    for spread in spreads(servers):
        email, _ = new_account(servers[0])
        address = new_address()
        counts.append(refused_at([wrong_sign_in(email, address)] * 10, spread, 401))
    assert counts == [LIMITS["LOGIN_LIMIT_PER_ACCOUNT_ADDRESS"] + 1] * 2


def test_the_brake_on_one_account_from_every_address(servers):
    counts = []
    for spread in spreads(servers):
        email, _ = new_account(servers[0])
        attempts = [wrong_sign_in(email, new_address()) for _ in range(10)]
        counts.append(refused_at(attempts, spread, 401))
    assert counts == [LIMITS["LOGIN_LIMIT_PER_ACCOUNT"] + 1] * 2


def test_sign_in_failures_per_address_on_any_account(servers):
    counts = []
    for spread in spreads(servers):
        address = new_address()
        attempts = [wrong_sign_in(new_account(servers[0])[0], address) for _ in range(8)]
        counts.append(refused_at(attempts, spread, 401))
    assert counts == [LIMITS["LOGIN_LIMIT_PER_ADDRESS"] + 1] * 2


def wrong_join_code(token, address):
    body = {"code": "AAAA-0000"}
    return lambda server: call(server, "POST", "/events/join", body, address, token)


def test_wrong_join_codes_per_address(servers):
    counts = []
    for spread in spreads(servers):
        address = new_address()  # a different account each time: the address alone is counted
        attempts = [wrong_join_code(new_account(servers[0])[1], address) for _ in range(7)]
        counts.append(refused_at(attempts, spread, 404))
    assert counts == [LIMITS["JOIN_LIMIT_PER_ADDRESS"] + 1] * 2


def sign_up(address):
    body = {"email": f"person{next(_people)}@example.com", "password": PASSWORD, "name": "Someone"}
    return lambda server: call(server, "POST", "/auth/register", body, address)


def test_sign_ups_per_address(servers):
    counts = []
    for spread in spreads(servers):
        address = new_address()
        attempts = [sign_up(address) for _ in range(7)]
        counts.append(refused_at(attempts, spread, 201, longest=3600))
    assert counts == [LIMITS["SIGN_UP_LIMIT_PER_ADDRESS"] + 1] * 2


def at_once(attempts, servers):
    """Make every attempt at the same moment, spread over the servers; return the statuses."""
    start, statuses = threading.Barrier(len(attempts)), []

    def attempt(make, server):
        start.wait()
        statuses.append(make(server).status)

    threads = [
        threading.Thread(target=attempt, args=pair)
        for pair in zip(attempts, itertools.cycle(servers))
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sorted(statuses)


@pytest.mark.parametrize("limit", ["sign-in", "join", "sign-up"])
def test_a_burst_at_both_processes_gets_no_more_than_the_limit_through(servers, limit):
    address = new_address()
    if limit == "sign-in":
        email, _ = new_account(servers[0])
        attempts, allowed, through = [wrong_sign_in(email, address)] * 12, 3, 401
    elif limit == "join":
        attempts = [wrong_join_code(new_account(servers[0])[1], address) for _ in range(12)]
        allowed, through = LIMITS["JOIN_LIMIT_PER_ADDRESS"], 404
    else:
        attempts, allowed, through = [sign_up(address) for _ in range(12)], 4, 201
    statuses = at_once(attempts, servers)
    assert statuses == sorted([through] * allowed + [429] * (12 - allowed))
