"""Account services: register, check a password (rate-limited), tokens, delete everything."""

import hashlib
import secrets
import shutil
from datetime import timedelta
from pathlib import Path

from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash, generate_password_hash

from .. import records
from ..contacts.kinds import CONTACT
from ..contacts.models import Contact
from ..db import db, utcnow
from ..errors import ApiError
from ..events.models import Event
from ..exchange.models import new_card
from ..push.models import PushSubscription
from ..ratelimit import RateEvent, one_at_a_time, refuse_if_over
from . import sessions
from .models import ApiToken, LoginAttempt, User

LOGIN_WINDOW = timedelta(minutes=15)
#: Checked against when the email is unknown, so both paths cost the same.
_DUMMY_HASH = generate_password_hash("not a password", method="scrypt:32768:8:1")


def hash_password(password, method):
    """The salted hash of a password (slow on purpose: never inside a database transaction)."""
    return generate_password_hash(password, method)


def register(email, password, name, hash_method, password_hash=None):
    """Create an account; the email must not be taken. password_hash: the password's, made
    beforehand (outside the transaction), else made here."""
    email = email.lower()
    if db.session.scalar(select(User.id).where(User.email == email)):
        raise ApiError(409, "email_taken", "An account with this email already exists.", "email")
    password_hash = password_hash or hash_password(password, hash_method)
    user = User(email=email, name=name, password_hash=password_hash)
    try:
        with db.session.begin_nested():  # two sign-ups with one email at the same moment
            db.session.add(user)
    except IntegrityError:
        raise ApiError(
            409, "email_taken", "An account with this email already exists.", "email"
        ) from None
    # The card exists from the start, so reading it (a GET) never has to write.
    db.session.add(new_card(user))
    return user


def authenticate(email, password, address, now, limits, counted):
    """Return the user whose password this is, or raise 401; too many attempts raise 429.

    The attempt is counted as failed until its password checks out, and `counted()` is called
    then (the caller commits there): the count is taken and added to in one step under the
    limits' locks, and the slow password check that follows holds no lock at all."""
    email = email.lower()
    check_sign_in_rate(email, address, now, limits)
    attempt = record_attempt(email, address, False, now)
    user = db.session.scalar(select(User).where(User.email == email))
    stored = user.password_hash if user else _DUMMY_HASH
    counted()
    if not (check_password_hash(stored, password) and user):
        raise ApiError(401, "bad_credentials", "The email or the password is wrong.")
    attempt.succeeded = True
    return user


def record_attempt(email, address, succeeded, now):
    """Keep one sign-in attempt (password or passkey) for the rate limit to count."""
    attempt = LoginAttempt(account=email, address=address, succeeded=succeeded, at=now)
    db.session.add(attempt)
    return attempt


def check_sign_in_rate(email, address, now, limits):
    """Refuse with 429 when this account from this address, this account from everywhere, or
    this address has failed too often lately. Failures only: a whole conference behind one
    address signs in successfully all day."""
    per_account_address, per_account, per_address = limits
    # Until this attempt is counted (committed), others on the account or address wait here;
    # an attempt still checking its password counts as a failure meanwhile.
    one_at_a_time(f"login:account:{email}")
    one_at_a_time(f"login:address:{address}")
    since = now - LOGIN_WINDOW
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.at < since))
    failures = select(func.count(), func.min(LoginAttempt.at)).where(
        LoginAttempt.at >= since, LoginAttempt.succeeded.is_(False)
    )
    on_account = failures.where(LoginAttempt.account == email)
    for query, allowed in (
        (on_account.where(LoginAttempt.address == address), per_account_address),
        (on_account, per_account),
        (failures.where(LoginAttempt.address == address), per_address),
    ):
        count, oldest = db.session.execute(query).one()
        refuse_if_over(count, oldest, allowed, LOGIN_WINDOW, now, "sign-in attempts")


def change_password(user, current, new, method, keep_sid):
    """Set a new password when the current one is right, and end every other browser session
    (someone who knew the old password is signed out wherever they are)."""
    if not check_password_hash(user.password_hash, current):
        raise ApiError(
            403, "wrong_password", "The current password is not right.", "current_password"
        )
    user.password_hash = generate_password_hash(new, method=method)
    sessions.end_all(user, keep_sid=keep_sid)


def create_token(user, label):
    """Create an API token for scripts; return the secret (shown once)."""
    secret = "hw_" + secrets.token_urlsafe(32)
    db.session.add(ApiToken(user_id=user.id, label=label, token_hash=_digest(secret)))
    return secret


def user_for_token(secret):
    """Return the user an API token belongs to, or None."""
    query = select(User).join(ApiToken).where(ApiToken.token_hash == _digest(secret))
    return db.session.scalar(query)


def sign_out_everywhere(user):
    """End every browser session, revoke every API token and forget every push subscription of
    the account."""
    sessions.end_all(user)
    db.session.execute(delete(ApiToken).where(ApiToken.user_id == user.id))
    db.session.execute(delete(PushSubscription).where(PushSubscription.user_id == user.id))


def delete_account(user):
    """Delete the user and, by cascade, every row of theirs; forget their sign-in attempts and the
    rate-limit counts kept under their id too."""
    _unlink_their_events(user, utcnow())
    db.session.execute(delete(LoginAttempt).where(LoginAttempt.account == user.email))
    db.session.execute(delete(RateEvent).where(RateEvent.key.endswith(f":{user.id}")))
    db.session.delete(user)
    db.session.flush()


def _unlink_their_events(user, now):
    """Other people's contacts met at this user's shared events lose the event as a change of
    theirs, so their devices learn of it through sync (the database alone would clear the
    column with no new version)."""
    met_there = (
        select(Contact)
        .where(
            Contact.event_id.in_(select(Event.id).where(Event.user_id == user.id)),
            Contact.user_id != user.id,
        )
        .order_by(Contact.user_id, Contact.id)  # one lock order for the owners' change numbers
    )
    for contact in db.session.scalars(met_there).all():
        owner = db.session.get(User, contact.user_id)
        records.change(CONTACT, owner, contact, {"event_id": None}, now)


def remove_uploads(user_id, data_dir):
    """Remove a deleted user's uploaded files (after the rows are gone for good)."""
    shutil.rmtree(Path(data_dir) / "uploads" / str(user_id), ignore_errors=True)


def _digest(secret):
    return hashlib.sha256(secret.encode()).hexdigest()
