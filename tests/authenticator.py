"""A software passkey for the API tests: an ES256 key, the clientDataJSON and authenticatorData a
browser and its authenticator would build, and "none" attestation in CBOR (WebAuthn level 2)."""

import base64
import hashlib
import json
import os

import cbor2
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec

#: authenticatorData flags: user present, user verified, attested credential data included.
PRESENT, VERIFIED, ATTESTED = 0x01, 0x04, 0x40


def b64(data):
    """Bytes as base64url without padding, as WebAuthn's JSON has them."""
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


class Authenticator:
    """One passkey on one device, answering a server's options as navigator.credentials does
    (the Flask test client's origin unless told otherwise)."""

    def __init__(self, origin="http://localhost"):
        self.origin = origin
        self.key = ec.generate_private_key(ec.SECP256R1())
        self.credential_id = os.urandom(32)
        self.sign_count = 0
        self.user_handle = None

    def create(self, options, challenge=None, origin=None, flags=PRESENT | VERIFIED | ATTESTED):
        """Answer PublicKeyCredentialCreationOptions: a new credential, attested as "none"."""
        self.user_handle = options["user"]["id"]
        client_data = self._client_data("webauthn.create", options, challenge, origin)
        attested = bytes(16) + len(self.credential_id).to_bytes(2, "big") + self.credential_id
        auth_data = self._auth_data(options["rp"]["id"], flags) + attested + self._cose_key()
        attestation = cbor2.dumps({"fmt": "none", "attStmt": {}, "authData": auth_data})
        return self._credential(
            clientDataJSON=b64(client_data),
            attestationObject=b64(attestation),
            transports=["internal"],
        )

    def get(self, options, challenge=None, origin=None, flags=PRESENT | VERIFIED):
        """Answer PublicKeyCredentialRequestOptions: sign with the next counter value."""
        self.sign_count += 1
        client_data = self._client_data("webauthn.get", options, challenge, origin)
        auth_data = self._auth_data(options["rpId"], flags)
        signed = auth_data + hashlib.sha256(client_data).digest()
        signature = self.key.sign(signed, ec.ECDSA(hashes.SHA256()))
        return self._credential(
            clientDataJSON=b64(client_data),
            authenticatorData=b64(auth_data),
            signature=b64(signature),
            userHandle=self.user_handle,
        )

    def _client_data(self, kind, options, challenge, origin):
        return json.dumps(
            {
                "type": kind,
                "challenge": challenge or options["challenge"],
                "origin": origin or self.origin,
                "crossOrigin": False,
            }
        ).encode()

    def _auth_data(self, rp_id, flags):
        rp_hash = hashlib.sha256(rp_id.encode()).digest()
        return rp_hash + bytes([flags]) + self.sign_count.to_bytes(4, "big")

    def _cose_key(self):
        numbers = self.key.public_key().public_numbers()
        x, y = numbers.x.to_bytes(32, "big"), numbers.y.to_bytes(32, "big")
        return cbor2.dumps({1: 2, 3: -7, -1: 1, -2: x, -3: y})  # EC2, ES256, P-256

    def _credential(self, **response):
        return {
            "id": b64(self.credential_id),
            "rawId": b64(self.credential_id),
            "type": "public-key",
            "response": {key: value for key, value in response.items() if value is not None},
        }
