"""Two devices of one user edit at random over a network that fails in every way; they converge."""

import random
import time

from playwright.sync_api import expect

from .helpers import PASSWORD, sign_up

STORE = "import('/static/js/store.js')"


def _flaky(seed):
    """A route handler for /api/v1/sync that fails in the ways conference Wi-Fi does."""
    rng = random.Random(seed)

    def handle(route):
        roll = rng.random()
        if roll < 0.2:
            route.fulfill(status=500, json={"error": "server_error", "message": "boom"})
        elif roll < 0.35:
            route.abort("connectionreset")
        elif roll < 0.5:
            route.fetch()  # the server applied the batch ...
            route.abort("connectionreset")  # ... and the answer never arrived
        elif roll < 0.6:
            time.sleep(0.3)  # slow but fine
            route.continue_()
        else:
            route.continue_()

    return handle


def _sign_in(page, url):
    page.goto(url)
    page.get_by_label("Email").fill("ada@example.com")
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign in").click()
    expect(page.get_by_role("link", name="People")).to_be_visible()


def _records(page):
    return page.evaluate(
        f"""async () => {{
            const s = await {STORE};
            const rows = await s.list('contact');
            return Object.fromEntries(rows.map((c) => [c.id, [c.name, c.notes ?? null, c.version]]));
        }}"""
    )


def _settle(page):
    """Sync until this device has nothing waiting (no faults any more)."""
    page.evaluate(
        """async () => {
            const { syncNow } = await import('/static/js/sync.js');
            const { pendingCount } = await import('/static/js/store.js');
            for (let i = 0; i < 20; i += 1) {
                try { await syncNow(); } catch (e) { continue; }
                if ((await pendingCount()) === 0) return;
            }
            throw new Error('did not settle');
        }"""
    )


def test_two_devices_converge_over_a_flaky_network(launch, live_server, server):
    rng = random.Random(2026)
    phone = launch("phone").pages[0]
    sign_up(phone, live_server)
    laptop = launch("laptop").pages[0]
    _sign_in(laptop, live_server)
    devices = [phone, laptop]
    for index, page in enumerate(devices):
        page.route("**/api/v1/sync", _flaky(index))

    created, removed, clashes = [], set(), []
    for round_number in range(14):
        for page in devices:
            action = rng.choice(["create", "create", "edit", "delete"])
            known = _records(page)
            ids = list(known)
            if action == "create" or not ids:
                name = f"Person {round_number}-{devices.index(page)}"
                created.append(name)
                page.evaluate(
                    f"{STORE}.then((s) => s.save('contact', s.newId(), {{name: '{name}'}}))"
                )
            elif action == "edit":
                note = f"note {round_number} from {devices.index(page)}"
                page.evaluate(
                    f"{STORE}.then((s) => s.save('contact', '{rng.choice(ids)}', {{notes: '{note}'}}))"
                )
            else:
                victim = rng.choice(ids)
                removed.add(known[victim][0])
                page.evaluate(f"{STORE}.then((s) => s.remove('contact', '{victim}'))")
        if round_number % 4 == 1:  # the same field of the same person, on both devices at once
            shared = set(_records(phone)) & set(_records(laptop))
            if shared:
                target = sorted(shared)[0]
                clashes.append(target)
                for index, page in enumerate(devices):
                    page.evaluate(
                        f"{STORE}.then((s) => s.save('contact', '{target}', {{notes: 'clash {round_number} {index}'}}))"
                    )
        for page in devices:
            page.evaluate("import('/static/js/sync.js').then((m) => m.syncNow()).catch(() => {})")

    for page in devices:
        page.unroute_all(behavior="wait")
    for _ in range(2):  # each device sends its last changes, then hears the other's
        for page in devices:
            _settle(page)

    server.sign_in("ada@example.com", PASSWORD)
    on_server = {c["id"]: [c["name"], c["notes"], c["version"]] for c in server.items("/contacts")}
    assert _records(phone) == on_server
    assert _records(laptop) == on_server
    names = [name for name, _, _ in on_server.values()]
    assert len(names) == len(set(names))  # nothing duplicated
    assert set(names) <= set(created)
    assert set(created) - set(names) <= removed  # nothing lost: only what a device deleted is gone
    assert clashes, "the random walk must produce at least one same-field clash"
    surfaced = phone.evaluate(f"{STORE}.then((s) => s.issues())") + laptop.evaluate(
        f"{STORE}.then((s) => s.issues())"
    )
    conflicts = [i for i in surfaced if i["type"] in ("conflict", "deleted", "kept")]
    assert conflicts, "clashing edits must be shown to the user, not dropped"
    for issue in (i for i in conflicts if i["type"] == "conflict"):
        assert issue["mine"] != issue["theirs"]
