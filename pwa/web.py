"""The blueprint of pages outside the API (features attach theirs), and the headers every
response carries."""

from flask import Blueprint, request

web = Blueprint("web", __name__)

#: No inline script or style anywhere: text strangers control (badges, shared cards) never runs.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        # WebAssembly only (the scanner's QR decoder); JavaScript eval stays forbidden.
        "script-src 'self' 'wasm-unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' data: blob:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "manifest-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'self'",
        "frame-ancestors 'none'",
    ]
)

SECURITY_HEADERS = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
    "X-Frame-Options": "DENY",
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=()",
    "Cross-Origin-Opener-Policy": "same-origin",
}


#: A year of "https only" once a browser has seen the site over https (not its subdomains: a
#: self-hosted server often shares a domain it does not own).
HSTS = "max-age=31536000"


def add_security_headers(response):
    """Put the strict CSP and friends on every response; keep API answers and public cards (a
    person's details) out of every cache but the browser's own; pin https once it is used."""
    response.headers.update(SECURITY_HEADERS)
    if response.mimetype == "application/json":
        response.headers.setdefault("Cache-Control", "no-store")
    if request.path.startswith("/c/"):
        response.headers["Cache-Control"] = "private, no-store"
    if request.is_secure:
        response.headers["Strict-Transport-Security"] = HSTS
    return response
