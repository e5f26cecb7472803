"""The deployment in deploy/, started for real: nginx on deploy/nginx/hallway.conf (TLS with a
certificate made here) in front of two `hallway serve --no-worker` and two `hallway worker`, on one
PostgreSQL database, with the settings of deploy/hallway.env. Clients taking turns through the proxy
get every change applied once; every reminder due reaches its phone once."""

import http.client
import json
import signal
import socket
import ssl
import subprocess
import sys
import threading
import time
import urllib.request
import uuid
from collections import Counter
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import create_engine, text

from pwa.uploads import DEFAULT_LIMIT, FORM_SLACK
from tests.conftest import FAST_HASH, IN_CI, PASSWORD, PG_URL, _scratch_postgres
from tests.harness import LiveServer, free_port, hallway_environment
from tests.push_service import PushService
from tests.reverse_proxy import deploy_proxy, env_file_settings, nginx_binary
from tests.test_sync import upsert

CLIENTS = 4
ROUNDS = 6
NEW_PER_BATCH = 5
#: Seconds a web process may take to start (a machine busy with other test runs is slow).
STARTING = 120


def _require(present, reason):
    if present:
        return
    if IN_CI:
        pytest.fail(f"CI must run the deployment test: {reason}")
    pytest.skip(reason)


@pytest.fixture
def scratch_database():
    """The URL of an empty PostgreSQL database, dropped afterwards."""
    _require(nginx_binary(), "the deployment test needs nginx (apt-get install nginx)")
    _require(PG_URL, "the deployment test needs PostgreSQL: set HALLWAY_TEST_DATABASE_URL")
    scratch = _scratch_postgres(PG_URL)
    yield next(scratch)["url"]
    scratch.close()


class Deployment:
    """Everything deploy/ describes, on this machine: see the module's docstring."""

    def __init__(self, folder, database_url, push):
        self.folder = folder
        self.https_port, self.http_port = free_port(), free_port()
        self.settings = {
            **env_file_settings(),
            "HALLWAY_DATABASE_URL": database_url,
            "HALLWAY_DATA_DIR": str(folder / "data"),
            "HALLWAY_BASE_URL": f"https://127.0.0.1:{self.https_port}",
            # The one push service these processes may post to: the test's, on loopback.
            "HALLWAY_PUSH_ALLOWED_HOSTS": push.origin,
        }
        self.web = [
            LiveServer(folder / f"web{i}", env=self.settings, args=["--no-worker"]) for i in (1, 2)
        ]
        self.workers = []
        self.nginx, certificate = deploy_proxy(
            folder, [server.port for server in self.web], self.http_port, self.https_port
        )
        self.tls = ssl.create_default_context(cafile=certificate)

    def start(self):
        """Upgrade the schema once, then start the web processes, the workers and nginx."""
        data = Path(self.settings["HALLWAY_DATA_DIR"])
        data.mkdir(mode=0o700)
        (data / "config.toml").write_text(f'password_hash_method = "{FAST_HASH}"\n')
        self.hallway("db", "upgrade")
        command = [sys.executable, "-m", "pwa", "worker", "--interval", "0.3"]
        for i in (1, 2):
            with (self.folder / f"worker{i}.log").open("ab") as log:
                self.workers.append(
                    subprocess.Popen(
                        command, env=hallway_environment(self.settings), stdout=log, stderr=log
                    )
                )
        with ThreadPoolExecutor(len(self.web)) as pool:
            list(pool.map(lambda server: server.start(seconds=STARTING), self.web))
        self.nginx.check()
        self.nginx.start(self.https_port)
        return self

    def hallway(self, *args):
        """Run one `hallway` command with the deployment's settings; it must succeed."""
        command = [sys.executable, "-m", "pwa", *args]
        environment = hallway_environment(self.settings)
        result = subprocess.run(command, env=environment, capture_output=True, text=True)
        assert result.returncode == 0, result.stderr
        return result.stdout

    def stop(self):
        """Stop what runs, the way README's "Deployment" says (nginx, the workers, the web
        processes); return the exit status of nginx and of each worker."""
        codes = {"nginx": self.nginx.stop()}
        for i, worker in enumerate(self.workers, 1):
            if worker.poll() is None:
                worker.send_signal(signal.SIGTERM)
            codes[f"worker{i}"] = worker.wait(timeout=30)
        for server in self.web:
            if server.process and server.process.poll() is None:
                server.stop()
        return codes

    def request(self, method, path, body=None, token=None, headers=(), source="127.0.0.1"):
        """One request through the proxy's https server: (status, headers, JSON or bytes)."""
        connection = http.client.HTTPSConnection(
            "127.0.0.1",
            self.https_port,
            context=self.tls,
            timeout=30,
            source_address=(source, 0),
        )
        sent = dict(headers)
        if body is not None:
            sent["Content-Type"] = "application/json"
            body = json.dumps(body)
        if token:
            sent["Authorization"] = f"Bearer {token}"
        try:
            connection.request(method, path, body=body, headers=sent)
            response = connection.getresponse()
            data = response.read()
        finally:
            connection.close()
        if response.getheader("Content-Type", "").startswith("application/json"):
            data = json.loads(data)
        return response.status, response, data

    def account(self, name):
        """Sign up through the proxy; return an API token."""
        email = f"{name.lower()}-{uuid.uuid4().hex[:6]}@example.org"
        body = {"email": email, "password": PASSWORD, "name": name}
        status, _, answer = self.request("POST", "/api/v1/auth/register", body)
        assert status == 201, answer
        body = {"email": email, "password": PASSWORD, "label": "test"}
        status, _, answer = self.request("POST", "/api/v1/auth/tokens", body)
        assert status == 201, answer
        return answer["token"]

    def upstreams(self, method, path):
        """How many of the requests nginx logged for method and path each web process answered."""
        lines = self.nginx.access_log.read_text().splitlines()
        ends = [line.split()[1] for line in lines if line.endswith(f" {method} {path}")]
        return Counter(end.rsplit(":", 1)[1] for end in ends)


@pytest.fixture
def push():
    """The push service on loopback the workers deliver to."""
    with PushService() as service:
        yield service


@pytest.fixture
def deployment(scratch_database, push, tmp_path):
    """The whole deployment, running (stopped afterwards if the test did not stop it)."""
    deployment = Deployment(tmp_path, scratch_database, push)
    try:
        yield deployment.start()
    finally:
        deployment.stop()


def deliver_twice(deployment, token, changes):
    """Send one batch twice at the same moment (a retry racing the first try); both answers."""
    body = {"batch_id": str(uuid.uuid4()), "cursor": None, "changes": changes}
    start = threading.Barrier(2)

    def send(_):
        start.wait()
        return deployment.request("POST", "/api/v1/sync", body, token)

    with ThreadPoolExecutor(2) as pool:
        answers = list(pool.map(send, range(2)))
    for status, _, answer in answers:
        assert status == 200, answer
    assert answers[0][2]["results"] == answers[1][2]["results"]
    return answers[0][2]["results"]


def a_phone_syncing(deployment, token):
    """Capture NEW_PER_BATCH people a batch and rename the previous batch's; return the names
    and versions the phone expects the server to hold."""
    expected, previous = {}, []
    for round_ in range(ROUNDS):
        new = [(uuid.uuid4(), f"Person {round_}.{i}") for i in range(NEW_PER_BATCH)]
        changes = [upsert("contact", cid, name=name) for cid, name in new]
        changes += [
            upsert("contact", cid, version, name=f"{expected[cid][0]}, met again")
            for cid, version in previous
        ]
        results = deliver_twice(deployment, token, changes)
        assert [r["status"] for r in results] == ["applied"] * len(changes), results
        for change, result in zip(changes, results, strict=True):
            expected[uuid.UUID(change["id"])] = (change["fields"]["name"], result["version"])
        previous = [(cid, expected[cid][1]) for cid, _ in new]
    return expected


def test_the_deployment_applies_every_change_once_and_delivers_every_reminder_once(
    deployment, push, scratch_database
):
    # One deployment for every check: it takes seconds to start (nginx -t runs in start()).
    tokens = [deployment.account(f"Phone{i}") for i in range(CLIENTS)]
    with ThreadPoolExecutor(CLIENTS) as pool:
        expected = list(pool.map(lambda token: a_phone_syncing(deployment, token), tokens))
    answered = deployment.upstreams("POST", "/api/v1/sync")
    assert len(answered) == 2 and min(answered.values()) >= ROUNDS, f"nginx sent {answered}"
    assert_applied_once(scratch_database, expected)

    assert_each_reminder_delivered_once(deployment, push, tokens, expected)
    assert_the_app_sees_https_and_compresses(deployment)
    assert_rate_limits_see_the_real_address(deployment)
    assert_plain_http_redirects_to_https(deployment)
    assert_an_import_of_the_largest_size_reaches_the_app(deployment)
    assert_a_body_over_the_import_limit_is_refused(deployment)
    assert deployment.stop() == {"nginx": 0, "worker1": 0, "worker2": 0}


def assert_applied_once(database_url, expected):
    """The rows hold exactly what the phones sent, at the versions their answers said, and one
    batch was recorded per batch sent (not per delivery)."""
    engine = create_engine(database_url)
    try:
        with engine.connect() as db:
            rows = db.execute(text("SELECT id, name, version FROM contacts")).all()
            batches = db.execute(text("SELECT count(*) FROM sync_batches")).scalar()
    finally:
        engine.dispose()
    held = {row.id: (row.name, row.version) for row in rows}
    assert len(held) == CLIENTS * ROUNDS * NEW_PER_BATCH
    assert held == {cid: value for phone in expected for cid, value in phone.items()}
    assert batches == CLIENTS * ROUNDS


def assert_each_reminder_delivered_once(deployment, push, tokens, expected):
    """Two reminders due for each phone reach it once each, whichever worker sends them."""
    due = (datetime.now(UTC) - timedelta(minutes=1)).isoformat()
    reminders = set()
    for token, phone in zip(tokens, expected, strict=True):
        subscription = push.subscribe().to_json()
        status, _, answer = deployment.request(
            "POST", "/api/v1/push/subscriptions", subscription, token
        )
        assert status == 201, answer
        quiet = {"quiet_hours": {"start": "00:00", "end": "00:00"}}  # none: any hour will do
        assert deployment.request("PATCH", "/api/v1/me", quiet, token)[0] == 200
        contact = str(next(iter(phone)))
        changes = [
            upsert("followup", uuid.uuid4(), contact_id=contact, kind="custom", due_at=due)
            for _ in range(2)
        ]
        reminders |= {change["id"] for change in changes}
        deliver_twice(deployment, token, changes)
    wait_for(lambda: set(push.delivered_count()) >= reminders, seconds=20)
    time.sleep(1.5)  # five more sweeps of each worker: nothing is sent again
    assert push.delivered_count() == Counter(dict.fromkeys(reminders, 1))
    assert push.problems == []


def wait_for(condition, seconds):
    """Poll condition until it holds; fail after seconds."""
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.05)


def assert_the_app_sees_https_and_compresses(deployment):
    """https through the proxy is https to the app (it pins it with HSTS; nginx adds none); the
    app's compression passes through; the service worker is never kept."""
    status, response, _ = deployment.request("GET", "/healthz")
    assert status == 200
    assert response.getheader("Strict-Transport-Security") == "max-age=31536000"
    status, response, _ = deployment.request("GET", "/", headers={"Accept-Encoding": "gzip"})
    assert status == 200 and response.getheader("Content-Encoding") == "gzip"
    status, response, _ = deployment.request("GET", "/sw.js")
    assert status == 200 and response.getheader("Cache-Control") == "no-cache"


def assert_rate_limits_see_the_real_address(deployment):
    """Wrong join codes count per address: a phone forging X-Forwarded-For is still itself, and
    another phone behind the same proxy is not counted with it."""
    guesser, neighbour = deployment.account("Guesser"), deployment.account("Neighbour")
    join = "/api/v1/events/join"
    for i in range(20):
        forged = {"X-Forwarded-For": f"10.0.0.{i}"}
        status, _, _ = deployment.request(
            "POST", join, {"code": "NOPE"}, guesser, forged, "127.0.0.2"
        )
        assert status == 404
    status, _, answer = deployment.request("POST", join, {"code": "NOPE"}, guesser, {}, "127.0.0.2")
    assert status == 429, answer
    status, _, _ = deployment.request("POST", join, {"code": "NOPE"}, neighbour, {}, "127.0.0.3")
    assert status == 404


def assert_plain_http_redirects_to_https(deployment):
    """Port 80 serves nothing but the ACME challenge and a redirect."""
    connection = http.client.HTTPConnection("127.0.0.1", deployment.http_port, timeout=10)
    connection.request("GET", "/capture")
    response = connection.getresponse()
    connection.close()
    assert response.status == 301
    assert response.getheader("Location") == "https://127.0.0.1/capture"


def assert_an_import_of_the_largest_size_reaches_the_app(deployment):
    """The largest attendee list an import takes passes nginx and waitress: the app answers
    (here 401, no one signed in), not a proxy's or a server's 413."""
    size = DEFAULT_LIMIT + FORM_SLACK
    headers = {"Content-Type": "multipart/form-data; boundary=x", "Content-Length": str(size)}
    path = f"/api/v1/events/{uuid.uuid4()}/attendees/import"
    connection = http.client.HTTPSConnection(
        "127.0.0.1", deployment.https_port, context=deployment.tls, timeout=60
    )
    try:
        connection.request("POST", path, body=b"x" * size, headers=headers)
        response = connection.getresponse()
        answer = response.read()
    finally:
        connection.close()
    assert response.status == 401, answer[:200]
    assert json.loads(answer)["error"] == "unauthorized"


def assert_a_body_over_the_import_limit_is_refused(deployment):
    """nginx refuses a body over client_max_body_size from its length alone, before reading it."""
    plain = socket.create_connection(("127.0.0.1", deployment.https_port), timeout=10)
    with deployment.tls.wrap_socket(plain, server_hostname="127.0.0.1") as tls:
        tls.sendall(
            b"POST /api/v1/sync HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            b"Content-Type: application/json\r\nContent-Length: %d\r\n\r\n"
            % (DEFAULT_LIMIT + FORM_SLACK + 1)
        )
        assert tls.recv(100).startswith(b"HTTP/1.1 413")


def test_behind_a_proxy_waitress_lets_the_app_see_the_forwarded_headers(tmp_path):
    # Waitress drops X-Forwarded-* by default; with HALLWAY_PROXY_COUNT the app's ProxyFix reads
    # them, so https at the proxy is https to the app (HSTS, secure cookies) and rate limits
    # see each phone's address.
    settings = {"HALLWAY_PROXY_COUNT": "1"}
    server = LiveServer(tmp_path, env=settings).start(seconds=STARTING)
    try:
        forwarded = {"X-Forwarded-Proto": "https"}
        request = urllib.request.Request(f"{server.url}/healthz", headers=forwarded)
        with urllib.request.urlopen(request) as answer:
            assert answer.headers["Strict-Transport-Security"] == "max-age=31536000"
    finally:
        server.stop()
