"""nginx with deploy/nginx/hallway.conf, run by the current user in a folder of its own: the site
file as shipped, with only what names this machine swapped (the ports, the certificate's folder)."""

import datetime
import ipaddress
import os
import re
import shutil
import signal
import socket
import subprocess
import time
from pathlib import Path

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec
from cryptography.x509.oid import NameOID

ROOT = Path(__file__).resolve().parent.parent
SITE = ROOT / "deploy" / "nginx" / "hallway.conf"
ENV_FILE = ROOT / "deploy" / "hallway.env"
UPSTREAM_SERVERS = re.compile(r"(    server 127\.0\.0\.1:\d+;\n)+")
#: Where the shipped file points that a test cannot use (certbot's paths, the standard ports).
CERTIFICATES = "/etc/letsencrypt/live/hallway.example.org/"
ACME_ROOT = "/var/www/certbot"

#: The frame Debian's /etc/nginx/nginx.conf gives a site, with every path in the folder.
MAIN = """{user}
daemon off;
worker_processes {workers};
pid {folder}/nginx.pid;
events {{ worker_connections 512; }}
http {{
    log_format upstreams '$remote_addr $upstream_addr $status $request_method $uri';
    access_log {folder}/access.log upstreams;
    client_body_temp_path {folder}/client_body;
    proxy_temp_path {folder}/proxy;
    fastcgi_temp_path {folder}/fastcgi;
    uwsgi_temp_path {folder}/uwsgi;
    scgi_temp_path {folder}/scgi;
    include {folder}/hallway.conf;
}}
"""


def env_file_settings():
    """deploy/hallway.env as a dict (KEY=value lines; # comments)."""
    lines = ENV_FILE.read_text().splitlines()
    pairs = (line.split("=", 1) for line in lines if line and not line.startswith("#"))
    return {key: value for key, value in pairs}


def nginx_binary():
    """The nginx command, or None (Debian installs it in /usr/sbin, often not on a user's PATH)."""
    return shutil.which("nginx") or shutil.which("nginx", path="/usr/sbin:/usr/local/sbin")


def _swap(text, old, new):
    assert old in text, f"deploy/nginx/hallway.conf no longer says {old!r}: update the test"
    return text.replace(old, new)


def render_site(web_ports, http_port, https_port, tls_folder, acme_root):
    """deploy/nginx/hallway.conf pointed at these web processes, ports and certificate."""
    text = SITE.read_text()
    servers = "".join(f"    server 127.0.0.1:{port};\n" for port in web_ports)
    text, found = UPSTREAM_SERVERS.subn(servers, text, count=1)
    assert found, "deploy/nginx/hallway.conf has no upstream server lines: update the test"
    text = _swap(text, "listen 80;", f"listen 127.0.0.1:{http_port};")
    text = _swap(text, "listen 443 ssl http2;", f"listen 127.0.0.1:{https_port} ssl http2;")
    text = _swap(text, CERTIFICATES, f"{tls_folder}/")
    return _swap(text, ACME_ROOT, str(acme_root))


def self_signed_certificate(folder):
    """A certificate for 127.0.0.1 and localhost, as fullchain.pem and privkey.pem in folder."""
    key = ec.generate_private_key(ec.SECP256R1())
    name = x509.Name([x509.NameAttribute(NameOID.COMMON_NAME, "127.0.0.1")])
    now = datetime.datetime.now(datetime.UTC)
    names = [x509.IPAddress(ipaddress.ip_address("127.0.0.1")), x509.DNSName("localhost")]
    certificate = (
        x509.CertificateBuilder()
        .subject_name(name)
        .issuer_name(name)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - datetime.timedelta(minutes=5))
        .not_valid_after(now + datetime.timedelta(days=1))
        .add_extension(x509.SubjectAlternativeName(names), critical=False)
        .add_extension(x509.BasicConstraints(ca=True, path_length=None), critical=True)
        .sign(key, hashes.SHA256())
    )
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "fullchain.pem").write_bytes(certificate.public_bytes(serialization.Encoding.PEM))
    private = key.private_bytes(
        serialization.Encoding.PEM,
        serialization.PrivateFormat.PKCS8,
        serialization.NoEncryption(),
    )
    (folder / "privkey.pem").write_bytes(private)
    return folder / "fullchain.pem"


def deploy_proxy(folder, web_ports, http_port, https_port, workers=1):
    """deploy/'s nginx site on this machine, in front of web_ports, with a certificate for
    127.0.0.1 made in folder: (Nginx, the certificate's path, for a client to trust)."""
    folder = Path(folder)
    certificate = self_signed_certificate(folder / "tls")
    site = render_site(web_ports, http_port, https_port, folder / "tls", folder / "acme")
    return Nginx(nginx_binary(), folder / "nginx", site, workers), certificate


class Nginx:
    """nginx in the foreground (`daemon off`) on a rendered site; `check()` is `nginx -t`."""

    def __init__(self, binary, folder, site, workers=1):
        self.binary = binary
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        (self.folder / "hallway.conf").write_text(site)
        # As root, nginx's workers would drop to `nobody`, who cannot enter pytest's folders.
        user = "user root;" if os.geteuid() == 0 else ""
        self.conf = self.folder / "nginx.conf"
        self.conf.write_text(MAIN.format(user=user, folder=self.folder, workers=workers))
        self.access_log = self.folder / "access.log"
        self.error_log = self.folder / "error.log"
        self.process = None

    def _command(self):
        return [self.binary, "-p", f"{self.folder}/", "-c", str(self.conf)]

    def check(self):
        """Run `nginx -t` on the configuration; return its output (it fails the test if bad)."""
        command = [*self._command(), "-e", str(self.error_log), "-t"]
        result = subprocess.run(command, capture_output=True, text=True, timeout=30)
        assert result.returncode == 0, result.stderr
        return result.stderr

    def start(self, port, seconds=15):
        """Start nginx and wait until it accepts connections on port."""
        command = [*self._command(), "-e", str(self.error_log)]
        self.process = subprocess.Popen(command, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + seconds
        while True:
            try:
                socket.create_connection(("127.0.0.1", port), timeout=1).close()
                return self
            except OSError:
                if self.process.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"nginx did not start; see {self.error_log}") from None
                time.sleep(0.05)

    def stop(self):
        """Graceful shutdown (SIGQUIT: finish what is in flight, then exit); its exit status."""
        if self.process is None:
            return None
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGQUIT)
        return self.process.wait(timeout=15)
