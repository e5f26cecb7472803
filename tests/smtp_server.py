"""A real SMTP server on loopback (aiosmtpd), for the email digest's tests: it keeps every message
it accepts, parsed with the email package, and can ask for a password, speak STARTTLS or TLS from
the start with a certificate made for 127.0.0.1, and stop and start again on its port."""

import datetime
import ipaddress
import ssl
from email import message_from_bytes, policy

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult
from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

from tests.harness import free_port

HOST = "127.0.0.1"


class SmtpServer:
    """Accepts mail on 127.0.0.1; `received` holds (envelope recipients, parsed message)."""

    def __init__(self, login=None, tls=None, cert_dir=None):
        #: (user, password) the server asks for; None: no AUTH.
        self.login = login
        #: None, "starttls" (required before AUTH and MAIL) or "implicit" (TLS from the start).
        self.tls = tls
        self.cert_file = _certificate(cert_dir) if tls else None
        self.received, self.logins = [], []
        self.port = free_port()
        self.controller = None

    def url(self, scheme="smtp", userinfo=""):
        return f"{scheme}://{userinfo}{HOST}:{self.port}"

    def start(self):
        kwargs = {}
        if self.login:
            # aiosmtpd sees only STARTTLS as TLS (the implicit kind is below it), and warns of
            # AUTH required without TLS: a wrong password fails either way
            starttls = self.tls == "starttls"
            kwargs.update(authenticator=self._authenticate, auth_require_tls=starttls)
            kwargs["auth_required"] = starttls
        if self.tls:
            context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
            context.load_cert_chain(*self.cert_file)
            if self.tls == "starttls":
                kwargs.update(tls_context=context, require_starttls=True)
            else:
                kwargs.update(ssl_context=context)
        self.controller = Controller(self, hostname=HOST, port=self.port, **kwargs)
        self.controller.start()
        return self

    def stop(self):
        if self.controller is not None:
            self.controller.stop()
            self.controller = None

    def __enter__(self):
        return self.start()

    def __exit__(self, *exc):
        self.stop()

    async def handle_DATA(self, server, session, envelope):
        message = message_from_bytes(envelope.content, policy=policy.default)
        self.received.append((list(envelope.rcpt_tos), message))
        return "250 OK"

    def _authenticate(self, server, session, envelope, mechanism, auth_data):
        given = (auth_data.login.decode(), auth_data.password.decode())
        self.logins.append(given[0])
        return AuthResult(success=given == self.login, handled=False)


def _certificate(directory):
    """A self-signed certificate for 127.0.0.1: (cert file, key file) in directory."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, HOST)])
    now = datetime.datetime.now(datetime.UTC)
    cert = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(hours=1))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(
            x509.SubjectAlternativeName([x509.IPAddress(ipaddress.ip_address(HOST))]), False
        )
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), True)
        .sign(key, hashes.SHA256())
    )
    cert_file, key_file = directory / "smtp-cert.pem", directory / "smtp-key.pem"
    cert_file.write_bytes(cert.public_bytes(serialization.Encoding.PEM))
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM,
            serialization.PrivateFormat.PKCS8,
            serialization.NoEncryption(),
        )
    )
    return cert_file, key_file
