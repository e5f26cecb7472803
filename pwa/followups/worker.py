"""Running the dispatcher: one sweep (cron), a loop (`hallway worker`), or a thread in `serve`.
Each sweep also emails the daily digests when HALLWAY_SMTP_URL is set (email_digest.py), forgets
the answers sync keeps for retried batches once they are a week old, and with the extra
hallway[match] embeds the attendees an import added or changed (suggestions/embeddings.py)."""

import logging
import threading
from contextlib import contextmanager

from ..db import db, utcnow, writing
from ..push.endpoints import AllowedPushHosts
from ..push.keys import VapidTokens, app_vapid_key
from ..push.sender import PushSender
from ..suggestions.embeddings import embed_pending
from ..sync.service import forget_old_batches
from . import email_digest
from .dispatch import Dispatcher
from .planning import Settings

log = logging.getLogger(__name__)


@contextmanager
def dispatcher_for(app, worker_id=None):
    """A Dispatcher configured from app, closed (thread pool, connections) on exit."""
    config = app.config
    tokens = VapidTokens(app_vapid_key(app), config["PUSH_CONTACT"])
    sender = PushSender(tokens, int(config["PUSH_CONCURRENCY"]), float(config["PUSH_TIMEOUT"]))
    dispatcher = Dispatcher(
        sender,
        Settings.from_config(config),
        AllowedPushHosts.parse(config["PUSH_ALLOWED_HOSTS"]),
        int(config["PUSH_TTL"]),
        worker_id=worker_id,
    )
    marked = writing.set(True)  # this thread writes outside requests (see pwa._sqlite_begin)
    try:
        yield dispatcher
    finally:
        writing.reset(marked)
        sender.close()


def sweep(app, dispatcher, clock=utcnow):
    """Send the reminders due now, then (when SMTP_URL is set) the email digests due, then
    forget sync's old batch answers and embed the attendees waiting for a vector; return the
    reminders' Tally."""
    tally = dispatcher.sweep(clock)
    if app.config.get("SMTP_URL"):
        email_digest.send_digests(app.config, clock())
    forget_old_batches(clock())
    db.session.commit()
    embedded = embed_pending(clock)
    if embedded:
        log.info("embedded %s attendees for suggestions", embedded)
    return tally


def send_due(app, clock=utcnow):
    """Send every reminder due now, once; return the Tally."""
    with dispatcher_for(app) as dispatcher, app.app_context():
        try:
            return sweep(app, dispatcher, clock)
        finally:
            db.session.remove()
            db.engine.dispose()  # close the connections now, not when the app is collected


def run(app, stop, interval=None, clock=utcnow):
    """Sweep every `interval` seconds until stop (a threading.Event) is set. A failing sweep is
    logged and retried at the next interval: what it claimed comes back when its lease ends."""
    interval = interval or float(app.config["WORKER_INTERVAL"])
    with dispatcher_for(app) as dispatcher:
        log.info("reminder dispatcher %s started", dispatcher.worker)
        while not stop.is_set():
            with app.app_context():
                try:
                    sweep(app, dispatcher, clock)
                except Exception:
                    log.exception("reminder sweep failed; trying again in %s s", interval)
                    db.session.rollback()
                finally:
                    db.session.remove()
            stop.wait(interval)
    with app.app_context():
        db.engine.dispose()


def start_in_background(app):
    """Run the dispatcher in a daemon thread of this process; return (thread, stop event)."""
    stop = threading.Event()
    thread = threading.Thread(target=run, args=(app, stop), name="hallway-reminders", daemon=True)
    thread.start()
    return thread, stop
