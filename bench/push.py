"""Reminders delivered per second: the dispatcher against a naive sequential loop, same run.

Run: python bench/push.py  (writes a section of BENCHMARKS.md and prints it)
Budget (issue 7): the dispatcher delivers at least 5x as many reminders per second as a naive
loop. The push service is the loopback one from the tests, in its own process, checking the VAPID
token and decrypting every message. It runs twice: answering at once (loopback), and after 20 ms,
about one round trip to a real push service from a server in the same region.
"""

import http.client
import statistics
import sys
import tempfile
import time
import uuid
from pathlib import Path
from urllib.parse import urlsplit

from sqlalchemy import insert, select

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from bench.common import report  # noqa: E402
from pwa import create_app  # noqa: E402
from pwa.auth.models import User  # noqa: E402
from pwa.db import db, utcnow  # noqa: E402
from pwa.followups.dispatch import BATCH_SIZE  # noqa: E402
from pwa.followups.messages import Due, encode, reminder  # noqa: E402
from pwa.followups.models import FollowUp  # noqa: E402
from pwa.followups.worker import dispatcher_for  # noqa: E402
from pwa.push.endpoints import origin_of  # noqa: E402
from pwa.push.keys import app_vapid_key, push_contact  # noqa: E402
from pwa.push.models import PushSubscription  # noqa: E402
from pwa.push.sender import Device, Push  # noqa: E402
from tests.push_service import PushServiceProcess  # noqa: E402

PER_USER = 5
ROUNDS = 5
RUNS = (
    # (name, push service latency in seconds, reminders for the naive loop, for the dispatcher)
    ("loopback", 0.0, 600, 6000),
    ("20 ms push service", 0.02, 200, 6000),
)


def seed(count, service, now):
    """count due reminders, PER_USER per user, each user with one device; inserted in bulk."""
    users, devices, followups = [], [], []
    for n in range(count // PER_USER):
        user_id = uuid.uuid4()
        users.append({"id": user_id, "email": f"{user_id}@example.com", "name": f"Person {n}",
                      "password_hash": "x", "timezone": "UTC", "quiet_start": "00:00",
                      "quiet_end": "00:00", "session_epoch": 0, "change_seq": 0,
                      "created_at": now})  # fmt: skip
        subscription = service.subscription()
        devices.append({"id": uuid.uuid4(), "user_id": user_id, "endpoint": subscription["endpoint"],
                        "p256dh": subscription["keys"]["p256dh"], "auth": subscription["keys"]["auth"],
                        "created_at": now, "updated_at": now})  # fmt: skip
        followups += [
            {
                "id": uuid.uuid4(),
                "user_id": user_id,
                "kind": "thank_you",
                "note": "Send the slides",
                "due_at": now,
                "remind_at": now,
                "reminder_status": "pending",
                "reminder_attempts": 0,
                "version": 1,
                "created_at": now,
                "updated_at": now,
                "change_seq": 0,
                "field_versions": {},
            }  # fmt: skip
            for _ in range(PER_USER)
        ]
    db.session.execute(insert(User), users)
    db.session.execute(insert(PushSubscription), devices)
    db.session.execute(insert(FollowUp), followups)
    db.session.commit()


def naive_loop(app, now):
    """What a first version looks like: one reminder at a time, a freshly signed VAPID token for
    each message, a commit per reminder (kept fair: one kept-alive connection with the leanest
    client there is, the standard library's, not a new connection per message)."""
    key, contact = app_vapid_key(app), push_contact(app.config["PUSH_CONTACT"])
    client = None
    with dispatcher_for(app) as dispatcher:
        sender = dispatcher.sender  # only for its message builder
        while True:
            item = db.session.scalar(select(FollowUp).where(FollowUp.remind_at <= now).limit(1))
            if item is None:
                return
            row = db.session.scalar(
                select(PushSubscription).where(PushSubscription.user_id == item.user_id)
            )
            device = Device(row.id, row.endpoint, row.p256dh, row.auth)
            data = encode(reminder(Due(item.id, item.user_id, item.kind, item.note, item.due_at)))
            message = sender.build(device, data, ttl=86400)
            headers = {
                **message.headers,
                "Authorization": key.authorization(origin_of(device.endpoint), contact, utcnow()),
            }
            url = urlsplit(device.endpoint)
            client = client or http.client.HTTPConnection(url.hostname, url.port)
            client.request("POST", url.path, body=message.body, headers=headers)
            response = client.getresponse()
            response.read()
            if response.status == 201:
                item.remind_at, item.reminder_status, item.reminded_at = None, "sent", now
            db.session.commit()


def timed(run, service, expected):
    """Seconds run() took, after checking every reminder arrived once and intact."""
    service.reset()
    start = time.perf_counter()
    run()
    elapsed = time.perf_counter() - start
    stats = service.stats()
    if (stats["delivered"], stats["twice"], stats["problems"]) != (expected, 0, []):
        raise RuntimeError(f"expected {expected} deliveries, each once; the service saw {stats}")
    return elapsed


def measure(latency, naive_count, count):
    """(naive rate, dispatcher rate, the same sending alone) in reminders per second."""
    with tempfile.TemporaryDirectory() as tmp, PushServiceProcess(latency) as service:
        app = create_app(
            {
                "DATA_DIR": tmp,
                "PUSH_ALLOWED_HOSTS": service.origin,
                "REMINDER_DAILY_CAP": 1000,
                "REMINDER_DIGEST_MIN": 1000,  # every reminder its own notification
            }
        )
        with app.app_context():
            db.create_all()
            now = utcnow()
            seed(naive_count, service, now)
            naive = timed(lambda: naive_loop(app, now), service, naive_count)
            seed(count, service, now)
            with dispatcher_for(app) as dispatcher:
                sweep = timed(lambda: dispatcher.sweep(lambda: now), service, count)
                ceiling = sending_alone(dispatcher.sender, service, count)
            db.session.remove()
            db.engine.dispose()
    return naive_count / naive, count / sweep, ceiling


def sending_alone(sender, service, count):
    """Messages per second when the sender only encrypts and posts, batch after batch as the
    dispatcher does (the next batch encrypted while one is on the wire), with no database work:
    how fast this machine's loopback service and the HTTP client go at all."""
    subscription = service.subscription()
    device = Device(0, subscription["endpoint"], **subscription["keys"])
    data = encode({"title": "x", "followup_id": None})
    pushes = [Push(device, data, ttl=60) for _ in range(count)]
    service.reset()
    start = time.perf_counter()
    on_the_wire = []
    for first in range(0, count, BATCH_SIZE):
        sending = sender.send(pushes[first : first + BATCH_SIZE])
        list(on_the_wire)
        on_the_wire = sending
    list(on_the_wire)
    return count / (time.perf_counter() - start)


def main():
    rows = []
    for name, latency, naive_count, count in RUNS:
        # Each round measures the naive loop and the dispatcher back to back, so a round's ratio
        # is against a baseline taken a few seconds earlier on the same machine; the naive
        # loop's commit per reminder makes it sensitive to the disk's mood.
        runs = [measure(latency, naive_count, count) for _ in range(ROUNDS)]
        naive, fast, alone = (statistics.median(r[i] for r in runs) for i in range(3))
        ratios = sorted(r[1] / r[0] for r in runs)
        rows.append(
            (
                f"Reminders delivered per second, {name} (median of {ROUNDS} rounds)",
                f"{fast:,.0f}/s (naive sequential loop: {naive:,.0f}/s; "
                f"{statistics.median(ratios):.1f}x, rounds {ratios[0]:.1f}x to {ratios[-1]:.1f}x; "
                f"the same sending without the database: {alone:,.0f}/s)",
                "≥ 5x the naive loop",
            )
        )
    report("Push reminders (issue 7)", rows)


if __name__ == "__main__":
    main()
