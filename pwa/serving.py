"""The waitress settings that keep one slow client from blocking everyone, with or without a proxy.

Waitress reads a request (headers and body) on its event loop and only hands a complete request to a
worker thread, so a client trickling its body holds a connection, never a thread. What it must not
do is use up the connection limit (waitress's default of 100) or hold a connection forever: the
limit is raised and an idle connection is closed after `channel_timeout` seconds.
"""

import waitress

SETTINGS = {
    "threads": 8,
    "connection_limit": 1000,
    "channel_timeout": 30,
    "cleanup_interval": 10,
    #: The largest attendee-list import and its form (events/import_routes.py: 50 MiB + 1 MiB)
    #: still passes (waitress refuses this size and over); every other route refuses more than
    #: MAX_CONTENT_LENGTH itself.
    "max_request_body_size": 51 * 1024 * 1024 + 1,
}


def create_server(app, host, port, **overrides):
    """A waitress server for `app` with SETTINGS (any of them overridden), not yet running."""
    settings = {**SETTINGS, **{k: v for k, v in overrides.items() if v is not None}}
    # Waitress removes every X-Forwarded-* header unless told otherwise; behind a proxy the app's
    # own ProxyFix (PROXY_COUNT) decides which hops to trust, so it must see them.
    settings["clear_untrusted_proxy_headers"] = not app.config["PROXY_COUNT"]
    return waitress.create_server(app, host=host, port=port, ident="Hallway", **settings)
