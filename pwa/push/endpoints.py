"""Which URLs a push subscription may point at: the server POSTs to them, so an open list would let
anyone make it request any address (server-side request forgery)."""

import ipaddress
import re
from dataclasses import dataclass
from functools import lru_cache
from urllib.parse import urlsplit

#: The public browser push services: Google's (Chrome, Samsung Internet, Opera, Brave), Mozilla's
#: (Firefox), Apple's (Safari) and Microsoft's (Edge).
DEFAULT_PUSH_HOSTS = (
    "fcm.googleapis.com",
    "updates.push.services.mozilla.com",
    "*.push.apple.com",
    "*.notify.windows.com",
)

MAX_ENDPOINT_LENGTH = 2048
#: Spaces, control characters and backslashes (in an ASCII string).
_UNSAFE = re.compile(r"[\x00-\x20\x7f\\]")
#: A host name: dot-separated labels of letters, digits and hyphens (no IP literal matches it).
_HOST = re.compile(r"^(?!-)[a-z0-9-]{1,63}(?<!-)(\.(?!-)[a-z0-9-]{1,63}(?<!-))*$")


@dataclass(frozen=True)
class AllowedPushHosts:
    """Host names (https, port 443; `*.` for subdomains) and exact origins a subscription may use."""

    hosts: tuple = DEFAULT_PUSH_HOSTS
    #: (scheme, host, port) written out in full, e.g. http://127.0.0.1:9000 for a test service.
    origins: tuple = ()

    @classmethod
    def parse(cls, setting):
        """Read HALLWAY_PUSH_ALLOWED_HOSTS (comma-separated; empty or None means the default)."""
        if not setting:
            return cls()
        entries = setting if isinstance(setting, (list, tuple)) else str(setting).split(",")
        hosts, origins = [], []
        for entry in (e.strip().lower() for e in entries):
            if "://" in entry:
                parts = urlsplit(entry)
                port = parts.port or {"http": 80, "https": 443}[parts.scheme]
                origins.append((parts.scheme, parts.hostname, port))
            elif entry:
                hosts.append(entry)
        return cls(tuple(hosts), tuple(origins))

    def check(self, url):
        """Return url when a subscription may point at it; raise ValueError saying why not."""
        scheme, host, port = _parts(url)
        if (scheme, host, port) in self.origins:
            return url
        if scheme != "https":
            raise ValueError("must be an https:// URL")
        if port != 443:
            raise ValueError("must use the push service's standard port")
        if not _HOST.match(host) or host.replace(".", "").isdigit():
            raise ValueError("must name a push service host, not an address")
        if not any(_matches(host, allowed) for allowed in self.hosts):
            raise ValueError(f"{host} is not a known browser push service")
        return url


def origin_of(url):
    """scheme://host[:port] of an endpoint: the `aud` its VAPID token must carry."""
    scheme, host, port = _parts(url)
    default = {"http": 80, "https": 443}.get(scheme)
    return f"{scheme}://{host}" if port == default else f"{scheme}://{host}:{port}"


@lru_cache(maxsize=4096)
def _parts(url):
    """(scheme, host, port) of a URL that has no tricks in it (userinfo, spaces, fragments)."""
    if not isinstance(url, str) or not url:
        raise ValueError("must be a URL")
    if len(url) > MAX_ENDPOINT_LENGTH:
        raise ValueError(f"must be at most {MAX_ENDPOINT_LENGTH} characters")
    if not url.isascii() or _UNSAFE.search(url):
        raise ValueError("must be a plain URL (no spaces, backslashes or non-ASCII characters)")
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise ValueError("must be an https:// URL")
    if "@" in parts.netloc:
        raise ValueError("must not carry a user name or password")
    if parts.fragment or "#" in url:
        raise ValueError("must not carry a fragment")
    try:
        port = parts.port
    except ValueError:
        raise ValueError("has an invalid port") from None
    host = parts.hostname or ""
    if _is_ip(host):
        host = str(ipaddress.ip_address(host))
    return parts.scheme, host, port or {"http": 80, "https": 443}[parts.scheme]


def _is_ip(host):
    try:
        ipaddress.ip_address(host)
    except ValueError:
        return False
    return True


def _matches(host, allowed):
    if allowed.startswith("*."):
        return host.endswith(allowed[1:]) and len(host) > len(allowed) - 1
    return host == allowed
