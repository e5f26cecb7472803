"""Account routes: register, sign in and out, API tokens, who am I, delete my account."""

from datetime import timedelta
from typing import Annotated, Literal

from flask import current_app, g, request
from pydantic import Field, StringConstraints

from ..api import api, documented, json_body, parse_uuid, validated
from ..db import db, read_only, utcnow
from ..errors import ApiError
from ..fields import Email, Name, Schema, Timezone, text
from ..paging import whole_list
from ..ratelimit import check, record
from . import invites, service, sessions
from .security import public, sign_out, this_session
from .signing_in import Me, QuietHours, keeping_failures, limits, me_answer, start_session

#: Sign-ups refused because the email has an account, counted per address: past the setting's
#: number in this window, that address may not sign up for a while, so nobody can test address
#: after address for who has an account. Sign-ups that work are never counted: a whole
#: conference behind one address may join the same morning.
SIGN_UP_WINDOW = timedelta(minutes=15)

#: Taken exactly as typed: spaces are part of a password.
Password = Annotated[str, StringConstraints(min_length=10, max_length=1024)]
#: Field(min_length=...) as a default would be overridden by Email's own length bounds (0 to 320).
AccountEmail = Annotated[Email, Field(min_length=3)]


class Registration(Schema):
    email: AccountEmail
    password: Password
    name: Name
    #: The token of an invite link (the last part of /join/<token>): needed in invite mode.
    invite: text(200) | None = None


class SignUpMode(Schema):
    """Who may sign up here, so the app draws the right sign-up screen."""

    mode: Literal["open", "invite", "closed"]


class Credentials(Schema):
    email: Email
    password: Annotated[str, StringConstraints(max_length=1024)]


class TokenRequest(Credentials):
    label: text(100) = "script"


class Profile(Schema):
    name: Name | None = None
    timezone: Timezone | None = None
    quiet_hours: QuietHours | None = None


class PasswordChange(Schema):
    current_password: Annotated[str, StringConstraints(max_length=1024)]
    new_password: Password


class SignedIn(Schema):
    """One signed-in browser of mine."""

    id: str
    browser: str
    network: str
    created_at: str
    last_seen_at: str
    current: bool


@api.get("/auth/signup")
@public
@documented(
    "Who may sign up: open, invite (with a link) or closed", response=SignUpMode, auth=False
)
def signup_mode():
    """Say the operator's sign-up mode (HALLWAY_SIGNUP)."""
    return {"mode": current_app.config["SIGNUP"]}


TAKEN_WHAT = "sign-ups with emails that have an account"
INVITE_INVALID = "This invite link does not work: it was used, withdrawn or has expired."


@api.post("/auth/register")
@public
@documented(
    "Create an account and sign in",
    body=Registration,
    response=Me,
    status=201,
    auth=False,
    errors={
        403: "Sign-up is closed (signup_closed), or by invitation and no invite was sent "
        "(invite_required) or one that does not work (invite_invalid)",
        409: "The email has an account (email_taken)",
        429: "Too many sign-ups from this address (rate_limited), with Retry-After",
    },
)
def register():
    """Create an account and start a session for it: anyone in open mode, someone with an
    invite in invite mode (the invite is used up), nobody when sign-up is closed."""
    mode = current_app.config["SIGNUP"]
    if mode == "closed":
        raise ApiError(403, "signup_closed", "This Hallway takes no new sign-ups.")
    body = validated(Registration, json_body())
    now = utcnow()
    if mode == "invite" and not body.invite:
        raise ApiError(
            403, "invite_required", "This Hallway takes new accounts by invite link only."
        )
    if mode == "invite":
        with read_only():
            works = invites.works(body.invite, now)
        if not works:
            raise ApiError(403, "invite_invalid", INVITE_INVALID, "invite")
    user = _new_account(body, now)
    # In open mode a working invite is used up too (its maker sees it gone); one that does not
    # work is no obstacle. In invite mode, two sign-ups racing for one invite make one account.
    if body.invite and not invites.use(body.invite, now) and mode == "invite":
        db.session.rollback()
        raise ApiError(403, "invite_invalid", INVITE_INVALID, "invite")
    db.session.commit()
    return start_session(user), 201


def _new_account(body, now):
    """Create the account within the per-address limits: sign-ups per hour, and sign-ups refused
    for a taken email (counted, and committed, in the same transaction as their check)."""
    address = request.remote_addr or "unknown"
    taken, signups = f"sign-up-taken:address:{address}", f"sign-up:address:{address}"
    limits = (
        (taken, current_app.config["SIGN_UP_LIMIT_TAKEN"], SIGN_UP_WINDOW, TAKEN_WHAT),
        (signups, current_app.config["SIGN_UP_LIMIT_PER_ADDRESS"], timedelta(hours=1), "sign-ups"),
    )
    with read_only():  # refused early, before the slow hash, and holding no lock
        for key, allowed, window, what in limits:
            check(key, allowed, window, now, what)
    method = current_app.config["PASSWORD_HASH_METHOD"]
    password_hash = service.hash_password(body.password, method)  # in no transaction at all
    for key, allowed, window, what in limits:  # again, under the lock: every process agrees
        check(key, allowed, window, now, what)
    try:
        user = service.register(body.email, body.password, body.name, method, password_hash)
    except ApiError as e:
        if e.status == 409:
            record(taken, now)
            db.session.commit()
        raise
    record(signups, now)
    return user


@api.post("/auth/login")
@public
@documented("Sign in with email and password", body=Credentials, response=Me, auth=False)
def login():
    """Check the password (rate-limited) and start a session."""
    return start_session(_authenticated(validated(Credentials, json_body())))


@api.post("/auth/logout")
@public
@documented("Sign out of this browser", status=204, auth=False)
def logout():
    """End this browser session."""
    sign_out()
    return "", 204


@api.post("/auth/logout-everywhere")
@documented(
    "Sign out everywhere: every browser, every API token, every device's reminders", status=204
)
def logout_everywhere():
    """End every session of the account (a lost phone included), revoke its API tokens and
    forget every device's push subscription, so no reminder shows a name on a lost screen."""
    service.sign_out_everywhere(g.user)
    db.session.commit()
    sign_out()
    return "", 204


@api.post("/auth/tokens")
@public
@documented("Create an API token for scripts", body=TokenRequest, status=201, auth=False)
def create_token():
    """Trade email and password for a bearer token (shown once)."""
    body = validated(TokenRequest, json_body())
    token = service.create_token(_authenticated(body), body.label)
    db.session.commit()
    return {"token": token, "label": body.label}, 201


def _authenticated(body):
    address = request.remote_addr or "unknown"
    # The attempt is committed as failed before the password is checked (counted), so the slow
    # check holds no lock; a success then marks it so and commits.
    counted = db.session.commit
    return keeping_failures(
        lambda: service.authenticate(
            body.email, body.password, address, utcnow(), limits(), counted
        )
    )


@api.get("/me")
@documented("Who am I (and the CSRF token for this session)", response=Me)
def me():
    """Return my account."""
    return me_answer(g.user)


@api.patch("/me")
@documented("Change my name, time zone or quiet hours", body=Profile, response=Me)
def update_me():
    """Update my account settings."""
    body = validated(Profile, json_body())
    user = g.user
    if body.name is not None:
        user.name = body.name
    if body.timezone is not None:
        user.timezone = body.timezone
    if body.quiet_hours is not None:
        user.quiet_start, user.quiet_end = body.quiet_hours.start, body.quiet_hours.end
    db.session.commit()
    return me_answer(user)


@api.delete("/me")
@documented("Delete my account and every byte of its data", status=204)
def delete_me():
    """Delete the account, its rows and its files, and end the session."""
    user_id = g.user.id
    service.delete_account(g.user)
    db.session.commit()
    service.remove_uploads(user_id, current_app.config["DATA_DIR"])
    sign_out()
    return "", 204


@api.get("/me/sessions")
@documented(
    "The browsers signed in to my account (which browser, which network, last seen)",
    response=[SignedIn],
)
def list_sessions():
    """List my signed-in browsers, this one marked `current`."""
    rows = sessions.listed(g.user, this_session())
    return whole_list(rows)


@api.delete("/me/sessions/<session_id>")
@documented("Sign one of my browsers out (every copy of its cookie stops working)", status=204)
def end_session(session_id):
    """End one signed-in browser, found by the id the list shows."""
    handle = str(parse_uuid(session_id, "session_id"))
    if not sessions.end_by_handle(g.user, handle):
        raise ApiError(404, "not_found", "No such signed-in browser.")
    db.session.commit()
    return "", 204


@api.post("/me/password")
@documented(
    "Change my password; every other browser is signed out", body=PasswordChange, status=204
)
def change_password():
    """Change the password (the current one is needed) and end every other session."""
    body = validated(PasswordChange, json_body())
    method = current_app.config["PASSWORD_HASH_METHOD"]
    service.change_password(
        g.user, body.current_password, body.new_password, method, this_session()
    )
    db.session.commit()
    return "", 204
