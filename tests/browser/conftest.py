"""Browser fixtures: a real `hallway serve` and the system Chromium driven by Playwright."""

import json
import os
import shutil
import urllib.request

import pytest

from tests.harness import CHROMIUM_ARGS, LiveServer

CHROMIUM = os.environ.get("HALLWAY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"


def pytest_collection_modifyitems(items):
    for item in items:
        if "tests/browser/" in str(item.path).replace(os.sep, "/"):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def chromium_path():
    """The system Chromium; its absence fails under CI and skips elsewhere."""
    if not os.path.exists(CHROMIUM):
        if os.environ.get("CI"):
            pytest.fail(f"CI must run the browser tests: no Chromium at {CHROMIUM}")
        pytest.skip(f"browser tests: no Chromium at {CHROMIUM} (apt-get install chromium)")
    return CHROMIUM


@pytest.fixture
def hallway(tmp_path):
    """The live server, to stop and start (a lost network, as far as the browser can tell)."""
    server = LiveServer(tmp_path)
    server.start()
    yield server
    server.stop()


@pytest.fixture
def live_server(hallway):
    """The base URL of a real `hallway serve` with its own data directory."""
    return hallway.url


class Server:
    """Talks to the live server as a script would (API token), to check what it really holds."""

    def __init__(self, url):
        self.url = url
        self.token = None

    def call(self, method, path, body=None):
        request = urllib.request.Request(
            f"{self.url}/api/v1{path}",
            method=method,
            data=None if body is None else json.dumps(body).encode(),
            headers={"Content-Type": "application/json"},
        )
        if self.token:
            request.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request) as response:
            return json.loads(response.read() or b"null")

    def raw(self, method, path):
        request = urllib.request.Request(f"{self.url}/api/v1{path}", method=method)
        request.add_header("Authorization", f"Bearer {self.token}")
        with urllib.request.urlopen(request) as response:
            return response.read()

    def sign_in(self, email, password):
        self.token = self.call("POST", "/auth/tokens", {"email": email, "password": password})[
            "token"
        ]

    def items(self, path):
        return self.call("GET", f"{path}?limit=200")["items"]


@pytest.fixture
def server(live_server):
    """API access to the live server."""
    return Server(live_server)


@pytest.fixture
def launch(chromium_path, tmp_path):
    """Return a function that starts Chromium on a persistent profile (PWA behaviour as for a real
    user); the same profile name reopens the same browser data, as after closing the browser.
    `extra_args` adds Chromium flags (a fake camera, say)."""
    from playwright.sync_api import sync_playwright

    contexts = []
    with sync_playwright() as playwright:

        def start(profile="profile", offline=False, extra_args=()):
            context = playwright.chromium.launch_persistent_context(
                str(tmp_path / profile),
                executable_path=chromium_path,
                headless=True,
                args=[*CHROMIUM_ARGS, *extra_args],
                offline=offline,
            )
            contexts.append(context)
            return context

        yield start
        for context in contexts:
            context.close()


@pytest.fixture
def browser_context(launch):
    """A persistent Chromium profile."""
    return launch()


@pytest.fixture
def console_errors():
    """Script errors and console errors (CSP violations included) seen by the `page`."""
    return []


@pytest.fixture
def page(browser_context, console_errors):
    """A tab that fails the test on any script or console error, HTTP error answers aside."""
    page = browser_context.pages[0] if browser_context.pages else browser_context.new_page()

    def on_console(message):
        if message.type == "error" and not message.text.startswith("Failed to load resource"):
            console_errors.append(message.text)

    page.on("console", on_console)
    page.on("pageerror", lambda error: console_errors.append(str(error)))
    yield page
    assert console_errors == []
