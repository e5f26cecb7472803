"""The app's sync honours a busy server's Retry-After: no sync, not even a write's, before then."""

import time

from playwright.sync_api import expect

from .helpers import sign_up

STORE = "import('/static/js/store.js')"


def test_a_503_busy_holds_every_sync_until_retry_after(page, live_server):
    sign_up(page, live_server)
    seen = []
    busy_until = time.monotonic() + 3

    def handle(route):
        seen.append(time.monotonic())
        if time.monotonic() < busy_until:
            route.fulfill(
                status=503,
                headers={"Retry-After": "3"},
                json={"error": "busy", "message": "The server is busy."},
            )
        else:
            route.continue_()

    page.context.route("**/api/v1/sync", handle)  # the service worker's syncs too
    page.evaluate(f"{STORE}.then((s) => s.save('contact', s.newId(), {{name: 'Busy One'}}))")
    page.wait_for_timeout(1000)
    assert len(seen) == 1  # the write's sync, answered busy
    for n in range(3):  # more writes inside the wait: each would sync 0.4 s later
        page.evaluate(f"{STORE}.then((s) => s.save('contact', s.newId(), {{name: 'Busy {n}'}}))")
        page.wait_for_timeout(400)
    assert len(seen) == 1
    expect(page.get_by_role("status")).to_contain_text("all changes synced", timeout=10_000)
    assert seen[1] - seen[0] >= 2.9  # the next try waited for Retry-After
