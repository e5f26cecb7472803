"""Browser fixtures: a real `hallway serve` and the system Chromium driven by Playwright."""

import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request

import pytest

CHROMIUM = os.environ.get("HALLWAY_CHROMIUM") or shutil.which("chromium") or "/usr/bin/chromium"
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
def live_server(tmp_path):
    """A real `hallway serve` on a free port with its own data directory; yields its base URL."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    env = {k: v for k, v in os.environ.items() if not k.startswith("HALLWAY_")}
    log = (tmp_path / "server.log").open("wb")
    server = subprocess.Popen(
        [sys.executable, "-m", "pwa", "serve", "--port", str(port), "--data-dir",
         str(tmp_path / "data")],
        env=env, stdout=log, stderr=subprocess.STDOUT,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_up(url, server)
        yield url
    finally:
        server.terminate()
        server.wait(timeout=10)
        log.close()


def _wait_until_up(url, server, seconds=30):
    deadline = time.monotonic() + seconds
    while True:
        try:
            with urllib.request.urlopen(f"{url}/healthz"):
                return
        except OSError:
            if server.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError("hallway serve did not start") from None
            time.sleep(0.1)


@pytest.fixture
def browser_context(chromium_path, tmp_path):
    """A persistent Chromium profile (PWA features behave as for a real user)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(tmp_path / "profile"),
            executable_path=chromium_path,
            headless=True,
            args=CHROMIUM_ARGS,
        )
        try:
            yield context
        finally:
            context.close()


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
