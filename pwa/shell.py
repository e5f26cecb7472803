"""The installable app shell: its pages, the web app manifest, the service worker and its cache list."""

import hashlib
import json
from pathlib import Path

from flask import Blueprint, current_app, render_template, send_from_directory

shell = Blueprint("shell", __name__)

#: Client-side routes; each serves the same shell, which renders the screen from the local store.
APP_PAGES = (
    "capture",
    "people",
    "research",
    "followups",
    "card",
    "scan",
    "data",
    "events",
    "join",
)
#: Not part of the offline shell: the worker itself, the lists that describe what is vendored,
#: and the icons a phone fetches when the app is installed (online), not what the app runs on
#: (the tab's favicon is precached as /favicon.ico; notifications use icon-192.png).
NOT_PRECACHED = {
    "sw.js",
    "vendor/VENDOR.txt",
    "vendor/NOTICES/zxing-cpp-Apache-2.0.txt",
    "icons/favicon.ico",
    "icons/icon-512.png",
    "icons/maskable-512.png",
    "icons/apple-touch-icon.png",
}

MANIFEST = {
    "id": "/",
    "name": "Hallway",
    "short_name": "Hallway",
    "description": "Plan whom to meet, capture people in seconds, exchange cards, follow up.",
    "start_url": "/capture",
    "scope": "/",
    "display": "standalone",
    "orientation": "portrait",
    "background_color": "#f9fafb",
    "theme_color": "#1d4ed8",
    "icons": [
        {"src": "/static/icons/icon-192.png", "sizes": "192x192", "type": "image/png"},
        {"src": "/static/icons/icon-512.png", "sizes": "512x512", "type": "image/png"},
        {
            "src": "/static/icons/maskable-512.png",
            "sizes": "512x512",
            "type": "image/png",
            "purpose": "maskable",
        },
    ],
    "shortcuts": [
        {
            "name": "Capture",
            "short_name": "Capture",
            "description": "Save the person you just met",
            "url": "/capture",
            "icons": [{"src": "/static/icons/icon-192.png", "sizes": "192x192"}],
        },
        {
            "name": "Scan",
            "short_name": "Scan",
            "description": "Scan a QR code or badge",
            "url": "/scan",
            "icons": [{"src": "/static/icons/icon-192.png", "sizes": "192x192"}],
        },
    ],
}


def precache_list(app):
    """The URLs the service worker stores at install, and a version that changes with any of them."""
    cached = app.extensions.get("hallway_shell")
    if cached is None or app.debug:
        static = Path(app.static_folder)
        files = sorted(
            p
            for p in static.rglob("*")
            if p.is_file()
            and p.name != "LICENSE"
            and str(p.relative_to(static)) not in NOT_PRECACHED
        )
        digest = hashlib.sha256()
        for path in [*files, Path(app.template_folder) / "app.html", static / "sw.js"]:
            digest.update(path.read_bytes())
        urls = ["/", "/manifest.webmanifest", "/favicon.ico"]
        urls += [f"/static/{p.relative_to(static).as_posix()}" for p in files]
        cached = app.extensions["hallway_shell"] = (digest.hexdigest()[:16], urls)
    return cached


@shell.get("/")
@shell.get("/<any(" + ", ".join(APP_PAGES) + "):page>")
@shell.get("/<any(" + ", ".join(APP_PAGES) + "):page>/<item>")
@shell.get("/research/<item>/prep", defaults={"page": "research"})
@shell.get("/people/<item>/<any(edit, introduce):action>", defaults={"page": "people"})
def app_page(page=None, item=None, action=None):
    """The app shell: every screen renders inside it, online or offline."""
    return render_template("app.html")


@shell.get("/sw.js")
def service_worker():
    """The service worker, with this build's version and precache list."""
    version, urls = precache_list(current_app)
    source = (Path(current_app.static_folder) / "sw.js").read_text()
    header = f"const VERSION = {json.dumps(version)};\nconst PRECACHE = {json.dumps(urls)};\n"
    response = current_app.response_class(header + source, mimetype="text/javascript")
    response.headers["Cache-Control"] = "no-cache"
    return response


@shell.get("/manifest.webmanifest")
def manifest():
    """The web app manifest: installable, standalone, with Capture and Scan shortcuts."""
    response = current_app.response_class(
        json.dumps(MANIFEST), mimetype="application/manifest+json"
    )
    response.headers["Cache-Control"] = "no-cache"
    return response


@shell.get("/favicon.ico")
def favicon():
    """The tab icon."""
    return send_from_directory(Path(current_app.static_folder) / "icons", "favicon.ico")
