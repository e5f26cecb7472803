"""Quick-capture budgets: server search over 10,000 contacts (SQLite and PostgreSQL) and the
people search in headless Chromium over the same number.

Run: python -m bench.capture   (PostgreSQL through HALLWAY_TEST_DATABASE_URL, default the local one)
Budgets (issue 5): server search <= 20 ms median on each database; local search <= 50 ms.
Baselines in the same run: the unfiltered first page (server); a bare array filter (browser).
"""

import os
import random
import shutil
import statistics
import tempfile
import time
import uuid
from pathlib import Path

from playwright.sync_api import sync_playwright
from sqlalchemy import create_engine, insert, text
from sqlalchemy.engine import make_url

from bench.common import report
from pwa import create_app
from pwa.auth import service as accounts
from pwa.contacts.models import Contact, search_text_of
from pwa.db import db, utcnow
from tests.harness import CHROMIUM_ARGS, LiveServer

WORDS = [
    "apollo",
    "compiler",
    "rust",
    "python",
    "kernel",
    "design",
    "funding",
    "hiring",
    "climate",
    "robotics",
    "music",
    "chess",
]
COMPANIES = ["NASA", "Navy", "Mozilla", "Microsoft", "Acme", "Initech", "Globex", "Umbrella"]
PEOPLE = 10_000


def fake_people(count, seed=7):
    rng = random.Random(seed)
    for number in range(count):
        yield {
            "name": f"Person {number} {rng.choice(['Ada', 'Grace', 'Linus', 'Guido', 'Margaret'])}",
            "company": rng.choice(COMPANIES),
            "notes": " ".join(rng.choice(WORDS) for _ in range(12)),
            "tags": rng.sample(WORDS, 2),
        }


def server_search(database_url, data_dir):
    """Median ms of ?q= searches and of the unfiltered first page, through the real app."""
    app = create_app(
        {
            "DATA_DIR": str(data_dir),
            "DATABASE_URL": database_url,
            "PASSWORD_HASH_METHOD": "scrypt:1024:8:1",
        }
    )
    with app.app_context():
        db.create_all()
        user = accounts.register("bench@example.com", "long enough!", "Bench", "scrypt:1024:8:1")
        token = accounts.create_token(user, "bench")
        now = utcnow()
        rows = [
            {
                "id": uuid.uuid4(),
                "user_id": user.id,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "change_seq": number,
                "field_versions": {},
                "met_at": now,
                "source": "capture",
                "search_text": search_text_of(person),
                **person,
            }
            for number, person in enumerate(fake_people(PEOPLE), start=1)
        ]
        db.session.execute(insert(Contact), rows)
        db.session.commit()
        if db.engine.dialect.name == "postgresql":
            db.session.execute(text("ANALYZE contacts"))  # as autovacuum would, soon after a load
            db.session.commit()
        client = app.test_client()
        headers = {"Authorization": f"Bearer {token}"}

        def timed(url, runs=30):
            times = []
            for _ in range(runs):
                start = time.perf_counter()
                response = client.get(url, headers=headers)
                times.append((time.perf_counter() - start) * 1000)
                assert response.status_code == 200
            return statistics.median(times)

        timed("/api/v1/contacts?limit=50", runs=3)  # warm up
        result = {
            "search": statistics.median(
                [
                    timed(f"/api/v1/contacts?q={word}&limit=50", runs=10)
                    for word in ("apollo", "navy", "person 42", "zzz")
                ]
            ),
            "page": timed("/api/v1/contacts?limit=50"),
        }
        db.session.remove()
        db.engine.dispose()
    return result


def scratch_postgres():
    url = os.environ.get(
        "HALLWAY_TEST_DATABASE_URL", "postgresql+psycopg://postgres@127.0.0.1:5432/test"
    )
    name = f"hallway_bench_{uuid.uuid4().hex[:8]}"
    admin = create_engine(url, isolation_level="AUTOCOMMIT")
    with admin.connect() as conn:
        conn.execute(text(f'CREATE DATABASE "{name}"'))
    return admin, name, make_url(url).set(database=name).render_as_string(hide_password=False)


def local_search(url, profile):
    """Median ms of the People screen's search over 10,000 contacts in IndexedDB."""
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            profile, executable_path=shutil.which("chromium"), headless=True, args=CHROMIUM_ARGS
        )
        page = context.pages[0]
        page.goto(url)
        page.get_by_label("Name").fill("Bench")
        page.get_by_label("Email").fill("bench@example.com")
        page.get_by_label("Password").fill("long enough!")
        page.get_by_role("button", name="Create account").click()
        page.get_by_role("link", name="People").wait_for()
        people = list(fake_people(PEOPLE))
        result = page.evaluate(
            """async (people) => {
                const { dbPromise } = await import('/static/js/localdb.js');
                const { searchPeople } = await import('/static/js/screens/people.js');
                const { list } = await import('/static/js/store.js');
                const db = await dbPromise;
                const tx = db.transaction('contact', 'readwrite');
                people.forEach((p, i) => tx.store.put({ ...p, id: crypto.randomUUID(), version: 1,
                    met_at: new Date(Date.now() - i * 1000).toISOString() }));
                await tx.done;
                const median = (xs) => xs.sort((a, b) => a - b)[xs.length >> 1];
                const contacts = await list('contact');
                const search = [], bare = [];
                for (const word of ['apollo', 'navy', 'person 42', 'zzz', 'ada rust']) {
                    for (let i = 0; i < 10; i += 1) {
                        let t = performance.now();
                        searchPeople(contacts, word, { states: new Map() });
                        search.push(performance.now() - t);
                        t = performance.now();
                        contacts.filter((c) => c.name.toLowerCase().includes(word));
                        bare.push(performance.now() - t);
                    }
                }
                let t = performance.now();
                await list('contact');
                const load = performance.now() - t;
                return { search: median(search), bare: median(bare), load };
            }""",
            people,
        )
        context.close()
    return result


def main():
    with tempfile.TemporaryDirectory() as tmp:
        sqlite = server_search(f"sqlite:///{Path(tmp) / 'bench.db'}", Path(tmp) / "data")
        admin, name, url = scratch_postgres()
        try:
            postgres = server_search(url, Path(tmp) / "data-pg")
        finally:
            with admin.connect() as conn:
                conn.execute(text(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)'))
        with LiveServer(Path(tmp) / "live") as server:
            local = local_search(server.url, str(Path(tmp) / "profile"))
    rows = [
        (
            "Server search, 10,000 contacts, SQLite (median)",
            f"{sqlite['search']:.1f} ms (first page unfiltered: {sqlite['page']:.1f} ms, ratio {sqlite['search'] / sqlite['page']:.2f})",
            "≤ 20 ms",
        ),
        (
            "Server search, 10,000 contacts, PostgreSQL (median)",
            f"{postgres['search']:.1f} ms (first page unfiltered: {postgres['page']:.1f} ms, ratio {postgres['search'] / postgres['page']:.2f})",
            "≤ 20 ms",
        ),
        (
            "Local search as you type, 10,000 contacts (median)",
            f"{local['search']:.1f} ms (a bare name filter: {local['bare']:.1f} ms; loading all from IndexedDB once: {local['load']:.0f} ms)",
            "≤ 50 ms",
        ),
    ]
    report("Quick capture (issue 5)", rows)


if __name__ == "__main__":
    main()
