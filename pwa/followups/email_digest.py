"""The daily email digest, for people push does not reach (no subscribed device, or an iPhone
without the app installed): once per local day, from 08:00 and outside quiet hours, one plain-text
email of the follow-ups due that day or overdue, when the operator set HALLWAY_SMTP_URL.

Each user's digest is claimed with one conditional statement and committed before anything goes
on the wire, so workers side by side send it once; no transaction is open while the mail server
answers. A digest the server did not take is released, and the next sweep tries again.
"""

import logging
from dataclasses import dataclass, field
from datetime import time, timedelta
from email.message import EmailMessage
from email.utils import format_datetime, formataddr, make_msgid, parseaddr

from sqlalchemy import and_, bindparam, exists, or_, select, update
from sqlalchemy.dialects import postgresql, sqlite

from ..auth.models import User
from ..config import SmtpServer, sender_address
from ..contacts.models import Contact
from ..db import db
from ..mail import send_all
from ..push.models import PushSubscription
from .messages import TITLES
from .models import EmailDigest, FollowUp
from .quiet import LocalTime

log = logging.getLogger(__name__)

#: The digest goes out at or after this local time (and outside the user's quiet hours).
SEND_AT = time(8, 0)
#: How long a worker holds a digest it is sending; one that died lets another try after.
LEASE = timedelta(minutes=5)
#: Reminders that ended like this did not reach the user by push.
UNREACHED = ("no_device", "failed")
#: Digests one sweep sends at most (well within the lease); the rest go in the next sweeps.
BATCH_SIZE = 100
#: Follow-ups named in one email; the rest are counted.
MAX_LINES = 50

_INSERT = {"postgresql": postgresql.insert, "sqlite": sqlite.insert}


@dataclass
class Digest:
    """One user's digest for their local day."""

    user_id: object
    email: str
    name: str
    local: LocalTime
    day: object
    #: [(row, effective due)] in due order.
    items: list = field(default_factory=list)


def send_digests(config, now):
    """Email today's digest to everyone due one now; return how many the server took."""
    server = SmtpServer.parse(config["SMTP_URL"])
    digests = []
    for digest in _due(now):  # in user order: one lock order for every worker
        if len(digests) < BATCH_SIZE and _claim(digest, now):
            digests.append(digest)
    db.session.commit()  # the claims hold before anything goes on the wire
    if not digests:
        return 0
    sender = sender_address(config)
    emails = [compose(digest, now, config.get("BASE_URL"), sender) for digest in digests]
    errors = send_all(server, emails)
    for digest, error in zip(digests, errors, strict=True):
        if error is None:
            _sent(digest, now)
        else:
            log.warning("email digest for user %s not sent: %s", digest.user_id, error)
            _release(digest)
    db.session.commit()
    sent = errors.count(None)
    log.info("email digests: %s sent, %s to try again", sent, len(errors) - sent)
    return sent


def _due(now):
    """The digests due now, one per user, with what each lists."""
    reached_by_push = exists().where(PushSubscription.user_id == FollowUp.user_id)
    query = (
        select(
            FollowUp.user_id,
            FollowUp.kind,
            FollowUp.note,
            FollowUp.due_at,
            FollowUp.snoozed_until,
            Contact.name.label("contact_name"),
            Contact.company,
            User.email,
            User.name,
            User.timezone,
            User.quiet_start,
            User.quiet_end,
            EmailDigest.day.label("digest_day"),
            EmailDigest.sent_at,
        )
        .join(User, User.id == FollowUp.user_id)
        .outerjoin(Contact, Contact.id == FollowUp.contact_id)
        .outerjoin(EmailDigest, EmailDigest.user_id == FollowUp.user_id)
        .where(
            FollowUp.done_at.is_(None),
            FollowUp.deleted_at.is_(None),
            FollowUp.due_at <= now + timedelta(hours=26),  # the end of today, in any zone
            or_(~reached_by_push, FollowUp.reminder_status.in_(UNREACHED)),
            or_(EmailDigest.not_before.is_(None), EmailDigest.not_before <= now),
        )
        .order_by(FollowUp.user_id, FollowUp.due_at, FollowUp.id)
    )
    digests = {}
    for row in db.session.execute(query):
        digest = digests.get(row.user_id)
        if digest is None:
            local = LocalTime.of(row.timezone, row.quiet_start, row.quiet_end)
            digest = digests[row.user_id] = Digest(
                row.user_id, row.email, row.name, local, local.day(now)
            )
        due = row.due_at
        if row.snoozed_until is not None and row.snoozed_until > due:
            due = row.snoozed_until
        if due < digest.local.at(digest.day + timedelta(days=1), time(0, 0)):
            digest.items.append((row, due))
    return [
        digest
        for digest in digests.values()
        if digest.items and _time_to_send(digest, now) and not _done(digest, now)
    ]


def _time_to_send(digest, now):
    return now >= digest.local.at(digest.day, SEND_AT) and digest.local.quiet_until(now) is None


def _done(digest, now):
    """Whether this day's digest went out already (the row says so for its own day only)."""
    row = digest.items[0][0]
    if row.digest_day is None:
        return False
    return row.digest_day > digest.day or (row.digest_day == digest.day and row.sent_at is not None)


_digests = EmailDigest.__table__
_CLAIM = (
    update(_digests)
    .where(
        _digests.c.user_id == bindparam("b_user"),
        or_(
            _digests.c.day.is_(None),
            _digests.c.day < bindparam("b_day"),
            and_(
                _digests.c.day == bindparam("b_day"),
                _digests.c.sent_at.is_(None),
                or_(_digests.c.not_before.is_(None), _digests.c.not_before <= bindparam("b_now")),
            ),
        ),
    )
    .values(day=bindparam("b_day"), sent_at=None, not_before=bindparam("b_until"))
)


def _claim(digest, now):
    """Take the user's digest for their day (False: another worker has it, or it went out)."""
    insert = _INSERT[db.session.get_bind().dialect.name]
    connection = db.session.connection()
    connection.execute(insert(_digests).on_conflict_do_nothing(), {"user_id": digest.user_id})
    params = {"b_user": digest.user_id, "b_day": digest.day, "b_now": now, "b_until": now + LEASE}
    return connection.execute(_CLAIM, params).rowcount == 1


def _sent(digest, now):
    """Record the day's digest as sent; nobody looks at the user again before next morning."""
    next_morning = digest.local.allowed_from(
        digest.local.at(digest.day + timedelta(days=1), SEND_AT)
    )
    db.session.execute(
        update(_digests)
        .where(_digests.c.user_id == digest.user_id, _digests.c.day == digest.day)
        .values(sent_at=now, not_before=next_morning)
    )


def _release(digest):
    """Give the day's digest back, for the next sweep to try again."""
    db.session.execute(
        update(_digests)
        .where(
            _digests.c.user_id == digest.user_id,
            _digests.c.day == digest.day,
            _digests.c.sent_at.is_(None),
        )
        .values(not_before=None)
    )


def compose(digest, now, base_url, sender):
    """The digest as a plain-text email: a count in the subject, a line per follow-up."""
    count = len(digest.items)
    noun = "follow-up" if count == 1 else "follow-ups"
    lines = [f"Hello {_one_line(digest.name, 80)},", "", f"{count} {noun} due today:", ""]
    for row, due in digest.items[:MAX_LINES]:
        lines.append(f"- {_line(row, due, digest)}")
        if row.note:
            lines.append(f"  {_one_line(row.note, 200)}")
    if count > MAX_LINES:
        lines.append(f"- and {count - MAX_LINES} more")
    where = f"{base_url.rstrip('/')}/followups" if base_url else "Hallway, under Follow-ups"
    lines += [
        "",
        f"Open them in {where}",
        "",
        "You get this email because Hallway's notifications do not reach you. Turn them on in",
        "Hallway on your phone, and your reminders arrive there instead.",
    ]
    message = EmailMessage()
    message["Subject"] = f"{count} {noun} due today"
    message["From"] = sender
    message["To"] = formataddr((_one_line(digest.name, 80), digest.email))
    message["Date"] = format_datetime(now)
    message["Message-ID"] = make_msgid("digest", parseaddr(sender)[1].rpartition("@")[2] or None)
    message["Auto-Submitted"] = "auto-generated"
    message.set_content("\n".join(lines) + "\n")
    return message


def _line(row, due, digest):
    """'Say thank you to Ada Lovelace (Acme) — due 09:00'; an overdue one says its day."""
    name = _one_line(row.contact_name or "someone", 80)
    if row.company:
        name += f" ({_one_line(row.company, 60)})"
    title = TITLES.get(row.kind, TITLES["custom"]).format(name=name)
    local = due.astimezone(digest.local.zone)
    when = local.strftime("%H:%M") if local.date() == digest.day else local.strftime("%a %d %b")
    return f"{title} — due {when}"


def _one_line(text, limit):
    text = " ".join(str(text).split())
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"
