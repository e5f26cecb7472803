"""Configuration: defaults, then DATA_DIR/config.toml, then HALLWAY_* environment variables."""

import os
import secrets
import tomllib
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlsplit

DEFAULTS = {
    "DATA_DIR": "instance",
    "DATABASE_URL": None,  # SQLite in the data directory
    "BASE_URL": None,
    "PUSH_CONTACT": "mailto:admin@localhost",
    "PUSH_ALLOWED_HOSTS": None,
    #: The VAPID private key (PEM, or the raw 32-byte scalar in base64url); generated when unset.
    "VAPID_PRIVATE_KEY": None,
    #: Seconds a push service keeps a reminder for a phone that is offline (RFC 8030 TTL).
    "PUSH_TTL": 24 * 60 * 60,
    #: Push messages in flight at once per dispatcher, and seconds to wait for each answer.
    "PUSH_CONCURRENCY": 64,
    "PUSH_TIMEOUT": 10,
    #: Notifications per user per local day; what is left waits for the next morning.
    "REMINDER_DAILY_CAP": 10,
    #: This many reminders ready at once for one user go out as one digest.
    "REMINDER_DIGEST_MIN": 3,
    #: Seconds between the dispatcher's sweeps.
    "WORKER_INTERVAL": 30,
    "PROXY_COUNT": 0,
    #: Werkzeug hash method; tests lower the scrypt cost to keep the suite fast.
    "PASSWORD_HASH_METHOD": "scrypt:32768:8:1",
    #: Failed sign-ins allowed per 15 minutes: on one account from one address (a stranger's
    #: guesses never lock the owner out of their own address), on one account from everywhere (a
    #: slower brake on guessing spread over many addresses), and from one address on any account.
    "LOGIN_LIMIT_PER_ACCOUNT_ADDRESS": 10,
    "LOGIN_LIMIT_PER_ACCOUNT": 100,
    "LOGIN_LIMIT_PER_ADDRESS": 30,
    #: Sign-ups refused for an email that has an account, per address per 15 minutes.
    "SIGN_UP_LIMIT_TAKEN": 10,
    #: Sign-ups per address per hour (a whole conference may share one address).
    "SIGN_UP_LIMIT_PER_ADDRESS": 100,
    #: Wrong join codes per address per 15 minutes.
    "JOIN_LIMIT_PER_ADDRESS": 20,
    "MAX_CONTENT_LENGTH": 1024 * 1024,
    #: Seconds a request waits for the database's write lock (SQLite) before it answers 503 busy.
    "DATABASE_BUSY_TIMEOUT": 5,
    #: Who may sign up: "open" (anyone), "invite" (whoever has an invite link from someone with an
    #: account) or "closed" (nobody new; existing accounts sign in).
    "SIGNUP": "open",
    #: Where the daily email digest goes out (for people push does not reach): smtp://, smtps://
    #: (TLS from the start) or smtp+starttls://, with user:password@ when the server wants them.
    #: None: no email at all.
    "SMTP_URL": None,
    #: The digest's From address; None: hallway@ the host of BASE_URL (or localhost).
    "MAIL_FROM": None,
}

#: Settings read from the environment, with the type they are parsed as.
ENVIRONMENT = {
    "DATA_DIR": str,
    "DATABASE_URL": str,
    "SECRET_KEY": str,
    "BASE_URL": str,
    "PUSH_CONTACT": str,
    "PUSH_ALLOWED_HOSTS": str,
    "VAPID_PRIVATE_KEY": str,
    "REMINDER_DAILY_CAP": int,
    "PROXY_COUNT": int,
    "SIGNUP": str,
    "SMTP_URL": str,
    "MAIL_FROM": str,
}


def load_config(overrides=None):
    """Return the settings: defaults, then the data directory's config file, then the environment."""
    config = dict(DEFAULTS)
    overrides = dict(overrides or {})
    data_dir = overrides.get("DATA_DIR") or os.environ.get("HALLWAY_DATA_DIR") or config["DATA_DIR"]
    data_dir = Path(data_dir).resolve()
    config.update(_read_config_file(data_dir))
    for name, kind in ENVIRONMENT.items():
        value = os.environ.get(f"HALLWAY_{name}")
        if value:
            config[name] = kind(value)
    config.update(overrides)
    config["DATA_DIR"] = str(data_dir)
    if config["SIGNUP"] not in SIGNUP_MODES:
        raise SettingError(
            f"HALLWAY_SIGNUP is {config['SIGNUP']!r}: it can be {', '.join(SIGNUP_MODES[:-1])} "
            f"or {SIGNUP_MODES[-1]}."
        )
    if config["SMTP_URL"]:
        try:
            SmtpServer.parse(config["SMTP_URL"])
        except ValueError as e:
            raise SettingError(f"HALLWAY_SMTP_URL {e}") from None
    return config


#: Who may sign up.
SIGNUP_MODES = ("open", "invite", "closed")


class SettingError(ValueError):
    """A setting holds a value Hallway cannot run with: one sentence that names it."""


#: SMTP_URL's scheme -> (how the connection is secured, the default port)
SCHEMES = {"smtp": ("plain", 25), "smtps": ("tls", 465), "smtp+starttls": ("starttls", 587)}


@dataclass(frozen=True)
class SmtpServer:
    """Where and how to hand mail over."""

    host: str
    port: int
    security: str
    username: str | None = None
    password: str | None = None

    @classmethod
    def parse(cls, url):
        """Read an smtp://, smtps:// or smtp+starttls:// URL; ValueError says what is wrong
        (never repeating the password)."""
        parts = urlsplit(url)
        if parts.scheme not in SCHEMES:
            raise ValueError(
                f"starts with {parts.scheme or 'no scheme'!r}: it must be smtp://host:25, "
                "smtps://host:465 or smtp+starttls://host:587 (user:password@ before the host)."
            )
        try:
            port = parts.port
        except ValueError:
            raise ValueError("has a port that is not a number from 1 to 65535.") from None
        if not parts.hostname:
            raise ValueError("names no host: write it as smtp://user:password@host:25.")
        security, default_port = SCHEMES[parts.scheme]
        username = unquote(parts.username) if parts.username else None
        password = unquote(parts.password) if parts.password is not None else None
        return cls(parts.hostname, port or default_port, security, username, password)


def sender_address(config):
    """The From address: MAIL_FROM, else hallway@ the host of BASE_URL, else hallway@localhost."""
    if config.get("MAIL_FROM"):
        return config["MAIL_FROM"]
    host = urlsplit(config.get("BASE_URL") or "").hostname
    return f"hallway@{host or 'localhost'}"


def _read_config_file(data_dir):
    """Read DATA_DIR/config.toml when it exists; keys are the setting names without the prefix."""
    path = data_dir / "config.toml"
    if not path.exists():
        return {}
    with path.open("rb") as f:
        return {key.upper(): value for key, value in tomllib.load(f).items()}


#: The names of what the data directory holds (the backup and restore commands copy them).
DATABASE_FILE = "hallway.db"
SECRET_FILE = "secret_key"
VAPID_FILE = "vapid_private_key.pem"
UPLOADS = "uploads"


class DataDirError(Exception):
    """The data directory cannot be created or written: one sentence that names it."""


def prepare_data_dir(config):
    """Create the data directory (owner only: 0700, its files 0600) and fill in what is generated
    on first run (secrets, the embedded database)."""
    data_dir = Path(config["DATA_DIR"])
    try:
        _private_dir(data_dir)
        _private_dir(data_dir / UPLOADS)
        if not config.get("SECRET_KEY"):
            config["SECRET_KEY"] = _generated_secret(data_dir / SECRET_FILE)
        if not config.get("VAPID_PRIVATE_KEY"):
            config["VAPID_PRIVATE_KEY"] = _generated_vapid_key(data_dir / VAPID_FILE)
        if not config.get("DATABASE_URL"):
            database = data_dir / DATABASE_FILE
            os.close(os.open(database, os.O_WRONLY | os.O_CREAT, 0o600))  # SQLite's files follow
            _owner_only(database)  # one made before Hallway tightened it
            config["DATABASE_URL"] = f"sqlite:///{database}"
    except OSError as e:
        raise DataDirError(
            f"Hallway cannot write to its data directory {data_dir.resolve()} ({e.strerror}); "
            "choose another with --data-dir or HALLWAY_DATA_DIR, or give this user write access."
        ) from None
    return config


def _private_dir(path):
    """Create a folder only its owner can enter (one that exists is the operator's to set)."""
    path.mkdir(mode=0o700, parents=True, exist_ok=True)
    os.close(os.open(path, os.O_RDONLY))  # and say so now if it cannot be read
    if not os.access(path, os.W_OK):
        raise PermissionError(13, "Permission denied")


def _owner_only(path):
    """Make a file readable by its owner only, when we own it and others could read it."""
    stat = path.stat()
    if stat.st_mode & 0o077 and stat.st_uid == os.getuid():
        path.chmod(0o600)


def _generated_secret(path):
    """Return the secret stored at path, creating it (readable by the owner only) on first use."""
    if not path.exists():
        _write_once(path, secrets.token_urlsafe(48).encode())
    return path.read_text().strip()


def _generated_vapid_key(path):
    """Return the VAPID private key (PEM) stored at path, creating a P-256 key on first use."""
    if not path.exists():
        from cryptography.hazmat.primitives.asymmetric import ec
        from cryptography.hazmat.primitives.serialization import (
            Encoding,
            NoEncryption,
            PrivateFormat,
        )

        key = ec.generate_private_key(ec.SECP256R1())
        pem = key.private_bytes(Encoding.PEM, PrivateFormat.PKCS8, NoEncryption())
        _write_once(path, pem)
    return path.read_text()


def _write_once(path, data):
    """Write a secret readable by the owner only; when several processes start at once, the
    first complete file wins (linked into place whole, so nobody reads half a key)."""
    temporary = path.with_name(f".{path.name}.{os.getpid()}.{secrets.token_hex(4)}")
    fd = os.open(temporary, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
        os.link(temporary, path)
    except FileExistsError:
        pass
    finally:
        temporary.unlink()
