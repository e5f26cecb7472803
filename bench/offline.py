"""Offline-first budgets, measured in headless Chromium against a real `hallway serve`.

Run: python bench/offline.py  (writes a section of BENCHMARKS.md and prints it)
Budgets (issue 3): app shell <= 60 KB on the wire; offline start to a ready capture form <= 500 ms;
a capture saved locally <= 50 ms; 1,000 offline captures synced <= 3 s; Lighthouse = 100.
Each timing is quoted beside a baseline measured in the same run, since these machines are noisy.
"""

import json
import posixpath
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import urllib.request
from pathlib import Path

from playwright.sync_api import sync_playwright

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import ROOT, report  # noqa: E402
from tests.browser.conftest import Server  # noqa: E402
from tests.harness import CHROMIUM_ARGS, LiveServer  # noqa: E402

#: What Chromium says it takes; the server answers in the best of them.
WIRE_ENCODINGS = "gzip, deflate, br, zstd"
PASSWORD = "correct horse battery"
#: Resolves when the app marked itself ready (polled in the page: the CSP forbids wait_for_function).
READY = """new Promise((resolve) => { const poll = () =>
    performance.getEntriesByName('hallway:ready').length ? resolve(true) : setTimeout(poll, 5);
    poll(); })"""
#: Resolves once a service worker controls the page (evaluate, not wait_for_function: the CSP
#: forbids the eval that polling a string predicate needs).
CONTROLLED = """new Promise((resolve) => navigator.serviceWorker.controller ? resolve(true)
    : navigator.serviceWorker.addEventListener('controllerchange', () => resolve(true)))"""


#: `import ... from './x.js'`, `export ... from './x.js'` and `import './x.js'`: what a module
#: needs before it runs (not `import()`, which loads a screen when it is first shown).
STATIC_IMPORT = re.compile(
    r"^\s*(?:import|export)\b(?:[^;'\"()]*?\bfrom)?\s*['\"]([^'\"]+\.js)['\"]", re.MULTILINE
)


def startup_modules(static=ROOT / "static", first="js/app.js"):
    """The paths under static/ of the app's first module and every module it imports, directly
    or not: what a first visit fetches before the app is ready."""
    found, waiting = [first], [first]
    while waiting:
        module = waiting.pop(0)
        for target in STATIC_IMPORT.findall((static / module).read_text()):
            path = posixpath.normpath(posixpath.join(posixpath.dirname(module), target))
            if path not in found and (static / path).is_file():
                found.append(path)
                waiting.append(path)
    return found


def shell_size(url):
    """Bytes of what a first visit loads of what the service worker precaches: the page, its
    styles, icon and manifest, and of the modules only the app's first one and what it imports
    (startup_modules); the screens loaded when first opened and the scanner's decoder stay out.
    Raw, and what the wire carries to a browser that takes brotli and gzip (as Chromium does)."""
    source = urllib.request.urlopen(f"{url}/sw.js").read().decode()
    urls = json.loads(source.split("const PRECACHE = ", 1)[1].split(";\n", 1)[0])
    modules = {f"/static/{path}" for path in startup_modules()}
    urls = [path for path in urls if not path.endswith((".js", ".wasm")) or path in modules]
    raw = wire = 0
    for path in urls:
        raw += len(urllib.request.urlopen(f"{url}{path}").read())
        asked = urllib.request.Request(f"{url}{path}", headers={"Accept-Encoding": WIRE_ENCODINGS})
        wire += len(urllib.request.urlopen(asked).read())  # urllib leaves the bytes as sent
    return raw, wire, len(urls)


def measure(url, profile):
    results = {}
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        page = context.pages[0]
        page.goto(url)
        page.get_by_label("Name").fill("Bench")
        page.get_by_label("Email").fill("bench@example.com")
        page.get_by_label("Password").fill(PASSWORD)
        page.get_by_role("button", name="Create account").click()
        page.get_by_role("link", name="People").wait_for()
        page.evaluate(CONTROLLED)

        context.set_offline(True)
        starts, online_starts = [], []
        for _ in range(7):
            page.goto(f"{url}/capture")
            page.evaluate(READY)
            starts.append(
                page.evaluate("performance.getEntriesByName('hallway:ready')[0].startTime")
            )
        context.set_offline(False)
        for _ in range(7):
            page.goto(f"{url}/capture")
            page.evaluate(READY)
            online_starts.append(
                page.evaluate("performance.getEntriesByName('hallway:ready')[0].startTime")
            )
        results["offline_start_ms"] = statistics.median(starts)
        results["online_start_ms"] = statistics.median(online_starts)

        context.set_offline(True)
        saves = page.evaluate(
            """async () => {
                const s = await import('/static/js/store.js');
                const { dbPromise } = await import('/static/js/localdb.js');
                const db = await dbPromise;
                const save = [], put = [];
                for (let i = 0; i < 1000; i += 1) {
                    let t = performance.now();
                    await s.save('contact', s.newId(), { name: `Person ${i}`, notes: 'met at the bench' });
                    save.push(performance.now() - t);
                    t = performance.now();
                    await db.put('meta', { name: `Person ${i}` }, `bench-${i}`);
                    put.push(performance.now() - t);
                }
                const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
                return { save: median(save), put: median(put) };
            }"""
        )
        results["capture_save_ms"] = saves["save"]
        results["bare_idb_put_ms"] = saves["put"]

        context.set_offline(False)
        results["sync_1000_ms"] = page.evaluate(
            """async () => {
                const { syncNow } = await import('/static/js/sync.js');
                const t = performance.now();
                await syncNow();
                return performance.now() - t;
            }"""
        )
        results["naive_1000_posts_ms"] = page.evaluate(
            """async () => {
                const { getMeta } = await import('/static/js/localdb.js');
                const csrf = await getMeta('csrf');
                const t = performance.now();
                for (let i = 0; i < 1000; i += 1) {
                    await fetch('/api/v1/contacts', { method: 'POST', headers: {
                        'Content-Type': 'application/json', 'X-CSRF-Token': csrf },
                        body: JSON.stringify({ name: `Naive ${i}` }) });
                }
                return performance.now() - t;
            }"""
        )
        context.close()
    return results


def lighthouse(url, profile, path="/capture"):
    """Lighthouse 12 (mobile) scores of one page, or None when npx cannot fetch it."""
    if not shutil.which("npx"):
        return None
    flags = " ".join([*CHROMIUM_ARGS, "--headless", f"--user-data-dir={profile}"])
    command = [
        "npx",
        "--yes",
        "lighthouse@12",
        f"{url}{path}",
        "--output=json",
        "--quiet",
        f"--chrome-flags={flags}",
        "--only-categories=performance,accessibility,best-practices,seo",
    ]
    env = {"CHROME_PATH": shutil.which("chromium"), "PATH": "/usr/bin:/bin:/usr/local/bin"}
    try:
        done = subprocess.run(command, capture_output=True, text=True, timeout=300, env=env)
        data = json.loads(done.stdout)
    except (subprocess.TimeoutExpired, json.JSONDecodeError):
        return None
    return {name: round(category["score"] * 100) for name, category in data["categories"].items()}


def public_card(url):
    """The path of a filled-in public card (a new account's, over the API)."""
    server = Server(url)
    server.call(
        "POST",
        "/auth/register",
        {"email": "card@example.com", "password": PASSWORD, "name": "Grace Hopper"},
    )
    server.sign_in("card@example.com", PASSWORD)
    card = server.call(
        "PATCH",
        "/me/card",
        {
            "headline": "I make computers speak English",
            "company": "US Navy",
            "title": "Rear Admiral",
            "email": "grace@example.com",
            "url": "https://example.com/grace",
            "intro": "I wrote the first compiler. I look for people who want to make programming easier.",
            "shared_fields": ["name", "headline", "company", "title", "email", "url", "intro"],
        },
    )
    return f"/c/{card['public_token']}"


def main():
    with tempfile.TemporaryDirectory() as tmp, LiveServer(Path(tmp) / "data") as server:
        raw, wire, files = shell_size(server.url)
        timings = measure(server.url, str(Path(tmp) / "profile"))
        scores = lighthouse(server.url, str(Path(tmp) / "lh-profile"))
        card_scores = lighthouse(server.url, str(Path(tmp) / "lh-card"), public_card(server.url))
    t = timings
    rows = [
        (
            "App shell on the wire, brotli (precached files)",
            f"{wire / 1024:.1f} KB ({files} files, {raw / 1024:.1f} KB raw)",
            "≤ 60 KB",
        ),
        (
            "Offline start to ready capture form (median of 7)",
            f"{t['offline_start_ms']:.0f} ms (online: {t['online_start_ms']:.0f} ms, ratio {t['offline_start_ms'] / t['online_start_ms']:.2f})",
            "≤ 500 ms",
        ),
        (
            "Capture saved locally (median of 1,000)",
            f"{t['capture_save_ms']:.2f} ms (a bare IndexedDB put: {t['bare_idb_put_ms']:.2f} ms, ratio {t['capture_save_ms'] / max(t['bare_idb_put_ms'], 0.01):.1f})",
            "≤ 50 ms",
        ),
        (
            "1,000 offline captures synced",
            f"{t['sync_1000_ms']:.0f} ms (1,000 single POSTs: {t['naive_1000_posts_ms']:.0f} ms, {t['naive_1000_posts_ms'] / t['sync_1000_ms']:.1f}x slower)",
            "≤ 3 s",
        ),
        (
            "Lighthouse mobile, the app (all four categories)",
            ", ".join(f"{k} {v}" for k, v in scores.items())
            if scores
            else "not run (npx unavailable)",
            "= 100",
        ),
        (
            "Lighthouse mobile, a public card /c/<token> (all four categories)",
            ", ".join(f"{k} {v}" for k, v in card_scores.items())
            if card_scores
            else "not run (npx unavailable)",
            "= 100",
        ),
    ]
    report("Offline-first (issue 3)", rows)


if __name__ == "__main__":
    main()
