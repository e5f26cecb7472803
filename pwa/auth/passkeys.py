"""Passkeys (WebAuthn, checked by the `webauthn` library): adding one to an account, listing and
removing them, and signing in with one instead of the password. Every challenge is a row, used
once and within minutes; the browser's answer names it, so any web process can check it."""

import json
import secrets
from dataclasses import dataclass
from datetime import timedelta
from urllib.parse import urlsplit

from sqlalchemy import delete, select
from webauthn import (
    generate_authentication_options,
    generate_registration_options,
    options_to_json,
    verify_authentication_response,
    verify_registration_response,
)
from webauthn.helpers import base64url_to_bytes, parse_client_data_json
from webauthn.helpers.exceptions import WebAuthnException
from webauthn.helpers.structs import (
    AuthenticatorSelectionCriteria,
    AuthenticatorTransport,
    PublicKeyCredentialDescriptor,
    ResidentKeyRequirement,
    UserVerificationRequirement,
)

from ..db import db
from ..errors import ApiError
from .models import Passkey, PasskeyChallenge, User
from .service import check_sign_in_rate, record_attempt

#: Random bytes per challenge (WebAuthn asks for at least 16).
CHALLENGE_BYTES = 32
#: How long the browser has to answer a challenge (the authenticator's prompt included).
CHALLENGE_LIFETIME = timedelta(minutes=5)
#: Passkeys per account: more than anyone has devices, few enough to list on one screen.
MOST_PER_ACCOUNT = 20
#: What a malformed answer from a browser (or anyone) raises inside the library and its parsers.
UNREADABLE = (WebAuthnException, ValueError, TypeError, KeyError, IndexError, OverflowError)
#: The passkey must check who is holding it (fingerprint, face, PIN): it replaces the password.
VERIFY_USER = UserVerificationRequirement.REQUIRED


@dataclass(frozen=True)
class RelyingParty:
    """Who the passkeys are for: the site's host name (their scope) and the exact origin."""

    id: str
    origin: str

    @classmethod
    def of(cls, url):
        """The relying party a browser at url sees: lower-case host, default port left out."""
        parts = urlsplit(url)
        try:
            number = parts.port
        except ValueError:
            number = -1
        if not parts.hostname or parts.scheme not in ("http", "https") or number == -1:
            raise ApiError(400, "bad_host", f"Passkeys need a web address; {url!r} is not one.")
        default = {"http": 80, "https": 443}[parts.scheme]
        port = f":{number}" if number and number != default else ""
        return cls(id=parts.hostname, origin=f"{parts.scheme}://{parts.hostname}{port}")


def registration_options(user, party, now):
    """The options for navigator.credentials.create(): a discoverable credential (no email
    needed to sign in), checked by the device, not one of the user's passkeys already."""
    options = generate_registration_options(
        rp_id=party.id,
        rp_name="Hallway",
        user_id=user.id.bytes,
        user_name=user.email,
        user_display_name=user.name,
        challenge=_new_challenge("register", user.id, now),
        timeout=int(CHALLENGE_LIFETIME.total_seconds() * 1000),
        authenticator_selection=AuthenticatorSelectionCriteria(
            resident_key=ResidentKeyRequirement.REQUIRED, user_verification=VERIFY_USER
        ),
        exclude_credentials=[_descriptor(passkey) for passkey in _passkeys_of(user)],
    )
    return json.loads(options_to_json(options))


def add(user, credential, name, party, now):
    """Check the browser's answer to registration_options and keep the new passkey."""
    if len(_passkeys_of(user)) >= MOST_PER_ACCOUNT:
        raise ApiError(
            409, "too_many_passkeys", f"An account has at most {MOST_PER_ACCOUNT} passkeys."
        )
    challenge = _take_challenge(credential, "register", user.id, now)
    if challenge is None:
        raise ApiError(400, "passkey_expired", "Adding the passkey took too long. Try again.")
    try:
        verified = verify_registration_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=party.id,
            expected_origin=party.origin,
            require_user_verification=True,
        )
    except UNREADABLE:
        raise ApiError(
            400, "passkey_refused", "This passkey could not be checked, so it was not added."
        ) from None
    if _found(verified.credential_id):
        raise ApiError(409, "passkey_exists", "This passkey is already added.")
    passkey = Passkey(
        user_id=user.id,
        credential_id=verified.credential_id,
        public_key=verified.credential_public_key,
        sign_count=verified.sign_count,
        transports=_transports(credential),
        name=name,
        created_at=now,
    )
    db.session.add(passkey)
    return passkey


def listed(user):
    """The user's passkeys as they see them, the newest first."""
    return [shown(passkey) for passkey in reversed(_passkeys_of(user))]


def shown(passkey):
    """A passkey as its owner sees it: its name, when it was added and last used."""
    return {
        "id": str(passkey.id),
        "name": passkey.name,
        "created_at": passkey.created_at.isoformat(),
        "last_used_at": passkey.last_used_at and passkey.last_used_at.isoformat(),
    }


def remove(user, passkey_id):
    """Remove one of the user's passkeys; False when they have none with that id."""
    gone = db.session.execute(
        delete(Passkey).where(Passkey.user_id == user.id, Passkey.id == passkey_id)
    )
    return gone.rowcount > 0


def sign_in_options(party, now):
    """The options for navigator.credentials.get(): no credentials listed, so the device offers
    the passkeys it holds for this site and nobody types an email."""
    options = generate_authentication_options(
        rp_id=party.id,
        challenge=_new_challenge("sign_in", None, now),
        timeout=int(CHALLENGE_LIFETIME.total_seconds() * 1000),
        user_verification=VERIFY_USER,
    )
    return json.loads(options_to_json(options))


def authenticate(credential, party, address, now, limits):
    """Return the owner of the passkey that signed this challenge, or raise 401 (kept for the
    sign-in rate limit, as a wrong password is); too many failures raise 429."""
    passkey = _found(_raw_id(credential))
    owner = passkey and db.session.get(User, passkey.user_id)
    account = owner.email if owner else ""
    check_sign_in_rate(account, address, now, limits)
    try:
        new_count = _verified_count(credential, passkey, party, now)
    except ApiError:
        record_attempt(account, address, False, now)
        raise
    passkey.sign_count, passkey.last_used_at = new_count, now
    record_attempt(account, address, True, now)
    return owner


def _verified_count(credential, passkey, party, now):
    """The authenticator's new signature count, once its answer is checked; 401 otherwise."""
    challenge = _take_challenge(credential, "sign_in", None, now)
    if challenge is None:
        raise ApiError(401, "passkey_expired", "Signing in took too long. Try again.")
    if passkey is None:
        raise ApiError(
            401,
            "passkey_unknown",
            "This passkey is not on any account here (it may have been removed). "
            "Sign in with your password.",
        )
    handle = credential.get("response", {}).get("userHandle")
    try:
        if handle and base64url_to_bytes(handle) != passkey.user_id.bytes:
            raise WebAuthnException("the passkey names another account")
        return verify_authentication_response(
            credential=credential,
            expected_challenge=challenge,
            expected_rp_id=party.id,
            expected_origin=party.origin,
            credential_public_key=passkey.public_key,
            credential_current_sign_count=passkey.sign_count,
            require_user_verification=True,
        ).new_sign_count
    except UNREADABLE:
        raise ApiError(
            401, "passkey_refused", "This passkey could not sign you in. Try again."
        ) from None


def _new_challenge(purpose, user_id, now):
    """Hand out a challenge for purpose (and, adding a passkey, for whom); forget expired ones."""
    db.session.execute(delete(PasskeyChallenge).where(PasskeyChallenge.expires_at < now))
    challenge = PasskeyChallenge(
        challenge=secrets.token_bytes(CHALLENGE_BYTES),
        purpose=purpose,
        user_id=user_id,
        expires_at=now + CHALLENGE_LIFETIME,
    )
    db.session.add(challenge)
    return challenge.challenge


def _take_challenge(credential, purpose, user_id, now):
    """The challenge the browser's answer signed, used up now; None when it is not one handed
    out for this purpose and user, is spent, or has expired."""
    try:
        client_data = credential["response"]["clientDataJSON"]
        challenge = parse_client_data_json(base64url_to_bytes(client_data)).challenge
    except UNREADABLE:
        return None
    row = db.session.get(PasskeyChallenge, challenge)
    if row is None:
        return None
    # Deleted by whoever gets there first: two answers with one challenge, one of them wins.
    taken = db.session.execute(
        delete(PasskeyChallenge).where(PasskeyChallenge.challenge == challenge)
    ).rowcount
    fits = row.purpose == purpose and row.user_id == user_id and row.expires_at > now
    return challenge if taken and fits else None


def _raw_id(credential):
    try:
        return base64url_to_bytes(credential["rawId"])
    except UNREADABLE:
        return None


def _found(credential_id):
    if not credential_id:
        return None
    return db.session.scalar(select(Passkey).where(Passkey.credential_id == credential_id))


def _passkeys_of(user):
    query = select(Passkey).where(Passkey.user_id == user.id)
    return list(db.session.scalars(query.order_by(Passkey.created_at, Passkey.id)))


def _transports(credential):
    """The transports the browser reported that WebAuthn knows of."""
    reported = credential.get("response", {}).get("transports") or []
    known = {transport.value for transport in AuthenticatorTransport}
    return [value for value in reported if value in known]


def _descriptor(passkey):
    transports = [AuthenticatorTransport(value) for value in passkey.transports]
    return PublicKeyCredentialDescriptor(id=passkey.credential_id, transports=transports)
