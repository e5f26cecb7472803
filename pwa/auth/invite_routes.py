"""Invite routes: make a one-time sign-up link, list mine that still work, withdraw one."""

from flask import current_app, g, request

from ..api import api, documented, parse_uuid
from ..db import db, utcnow
from ..errors import ApiError
from ..fields import Schema
from ..paging import whole_list
from . import invites


class InviteOut(Schema):
    """An invite that still works (its link is shown once, when it is made)."""

    id: str
    created_at: str
    expires_at: str


class NewInvite(InviteOut):
    #: The link to send; whoever opens it may make one account.
    url: str


def _join_url(token):
    base = current_app.config.get("BASE_URL") or request.host_url
    return f"{base.rstrip('/')}/join/{token}"


@api.get("/invites")
@documented("My invites that still work (unused, unexpired)", response=[InviteOut])
def list_invites():
    """List my open invites, newest first."""
    rows = [invite.to_dict() for invite in invites.open_invites(g.user, utcnow())]
    db.session.commit()
    return whole_list(rows)


@api.post("/invites")
@documented(
    "Make a one-time sign-up link (works for 7 days)",
    response=NewInvite,
    status=201,
    errors={
        403: "This Hallway takes no new sign-ups (signup_closed), or no CSRF header (csrf_failed)",
        409: "Too many open invites (too_many_invites): withdraw one first",
    },
)
def create_invite():
    """Make an invite; its link is in the answer, and only there."""
    if current_app.config["SIGNUP"] == "closed":
        raise ApiError(
            403, "signup_closed", "This Hallway takes no new sign-ups, so it makes no invites."
        )
    invite, token = invites.create(g.user, utcnow())
    db.session.commit()
    headers = {"Location": f"/api/v1/invites/{invite.id}"}
    return {**invite.to_dict(), "url": _join_url(token)}, 201, headers


@api.delete("/invites/<invite_id>")
@documented(
    "Withdraw one of my invites: its link stops working",
    status=204,
    errors={
        403: "No CSRF header (csrf_failed)",
        404: "No such invite of mine (not_found)",
        422: "invite_id is not a UUID (invalid_field)",
    },
)
def withdraw_invite(invite_id):
    """Withdraw an open invite of mine."""
    if not invites.withdraw(g.user, parse_uuid(invite_id, "invite_id")):
        raise ApiError(404, "not_found", "No such invite: it was used, withdrawn or expired.")
    db.session.commit()
    return "", 204
