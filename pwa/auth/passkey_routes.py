"""Passkey routes: add one from Account (options, then the browser's answer), list and remove
mine, and sign in with one (options, then the answer) exactly as the password sign-in does."""

from typing import Annotated, Literal

from flask import current_app, g, request
from pydantic import BaseModel, ConfigDict, Field, StringConstraints

from ..api import api, documented, json_body, parse_uuid, validated
from ..db import db, utcnow
from ..errors import ApiError
from ..fields import Schema, text
from ..paging import whole_list
from ..ratelimit import limit
from . import passkeys, sessions
from .passkeys import RelyingParty
from .security import public
from .signing_in import Me, keeping_failures, limits, start_session

PASSKEYS = "/auth/passkeys"
#: Challenges handed out per address (signing in) or per account (adding), within the time one
#: lives: far more than people ask for, few enough that nobody fills the table.
CHALLENGES = (300, passkeys.CHALLENGE_LIFETIME)


def base64url(max_length):
    """Bytes as the browser's JSON carries them: base64url, padding optional."""
    return Annotated[
        str, StringConstraints(max_length=max_length, pattern=r"^[A-Za-z0-9_-]*={0,2}$")
    ]


#: WebAuthn's bound on a credential id is 1023 bytes, 1364 characters in base64url.
CredentialId = base64url(1400)
#: An answer's parts, bounded well above what authenticators send (attestations carry certificates).
Part = base64url(64_000)


class BrowserJson(BaseModel):
    """Made by the browser, which adds fields as WebAuthn grows (PublicKeyCredential.toJSON):
    what Hallway does not read goes to the `webauthn` library as it came."""

    model_config = ConfigDict(extra="allow")


class AttestationResponse(BrowserJson):
    clientDataJSON: Part
    attestationObject: Part
    transports: list[text(32)] = Field(default_factory=list, max_length=10)


class NewCredential(BrowserJson):
    id: CredentialId
    rawId: CredentialId
    type: Literal["public-key"]
    response: AttestationResponse


class PasskeyRegistration(Schema):
    credential: NewCredential
    name: text(100, min_length=1) | None = None


class AssertionResponse(BrowserJson):
    clientDataJSON: Part
    authenticatorData: Part
    signature: Part
    userHandle: base64url(100) | None = None


class Assertion(BrowserJson):
    id: CredentialId
    rawId: CredentialId
    type: Literal["public-key"]
    response: AssertionResponse


class PasskeySignIn(Schema):
    credential: Assertion


class CreationOptions(BrowserJson):
    """PublicKeyCredentialCreationOptions as JSON (binary fields in base64url)."""

    rp: dict[str, str]
    user: dict[str, str]
    challenge: str
    pubKeyCredParams: list[dict[str, str | int]]
    timeout: int
    excludeCredentials: list[dict[str, str | list[str]]]


class RequestOptions(BrowserJson):
    """PublicKeyCredentialRequestOptions as JSON (binary fields in base64url)."""

    challenge: str
    rpId: str
    timeout: int
    userVerification: str


class PasskeyShown(Schema):
    """One passkey of mine."""

    id: str
    name: str
    created_at: str
    last_used_at: str | None


def _party():
    """Who the passkeys are for: HALLWAY_BASE_URL, else the host this request reached (through
    the trusted proxies the server is told of)."""
    return RelyingParty.of(current_app.config.get("BASE_URL") or request.host_url)


@api.post(f"{PASSKEYS}/register/options")
@documented(
    "Start adding a passkey: options for navigator.credentials.create()", response=CreationOptions
)
def passkey_registration_options():
    """Hand out a challenge for a new passkey of mine."""
    now = utcnow()
    limit(f"passkey-challenge:user:{g.user.id}", *CHALLENGES, now, "passkey prompts")
    options = passkeys.registration_options(g.user, _party(), now)
    db.session.commit()
    return options


@api.post(f"{PASSKEYS}/register")
@documented(
    "Add a passkey: the browser's answer to the options",
    body=PasskeyRegistration,
    response=PasskeyShown,
    status=201,
)
def add_passkey():
    """Check the new passkey and keep it (named after this browser unless a name is given)."""
    body = validated(PasskeyRegistration, json_body())
    name = body.name or sessions.browser_name(request.headers.get("User-Agent", ""))
    credential = body.credential.model_dump(exclude_none=True)
    passkey = keeping_failures(  # a refused answer still uses its challenge up
        lambda: passkeys.add(g.user, credential, name, _party(), utcnow())
    )
    return passkeys.shown(passkey), 201


@api.get(PASSKEYS)
@documented("My passkeys (name, when added, when last used)", response=[PasskeyShown])
def list_passkeys():
    """List my passkeys, the newest first."""
    rows = passkeys.listed(g.user)
    return whole_list(rows)


@api.delete(f"{PASSKEYS}/<passkey_id>")
@documented("Remove one of my passkeys: it signs nobody in any more", status=204)
def remove_passkey(passkey_id):
    """Remove a passkey of mine, found by the id the list shows."""
    if not passkeys.remove(g.user, parse_uuid(passkey_id, "passkey_id")):
        raise ApiError(404, "not_found", "No such passkey.")
    db.session.commit()
    return "", 204


@api.post(f"{PASSKEYS}/login/options")
@public
@documented(
    "Start signing in with a passkey: options for navigator.credentials.get()",
    response=RequestOptions,
    auth=False,
)
def passkey_sign_in_options():
    """Hand out a challenge for signing in; any passkey of this site may answer it."""
    now = utcnow()
    address = request.remote_addr or "unknown"
    limit(f"passkey-challenge:address:{address}", *CHALLENGES, now, "passkey prompts")
    options = passkeys.sign_in_options(_party(), now)
    db.session.commit()
    return options


@api.post(f"{PASSKEYS}/login")
@public
@documented("Sign in with a passkey", body=PasskeySignIn, response=Me, auth=False)
def sign_in_with_passkey():
    """Check the passkey's answer (rate-limited with the password sign-in) and start a session."""
    credential = validated(PasskeySignIn, json_body()).credential.model_dump(exclude_none=True)
    address = request.remote_addr or "unknown"
    user = keeping_failures(
        lambda: passkeys.authenticate(credential, _party(), address, utcnow(), limits())
    )
    return start_session(user)
