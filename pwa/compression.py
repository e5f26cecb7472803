"""What goes over the wire compressed: brotli where the browser takes it, else gzip.

Static files are compressed once per version of each file (kept in memory, keyed by the file's
size and modification time) at brotli's and gzip's best; API answers and pages above a small size
are compressed as they go out, at a fast level. A compressed static file keeps its ETag, weakened
(as nginx does), so a browser's revalidation still gets its 304."""

import gzip
import threading
from pathlib import Path

import brotli
from flask import current_app, request

#: Below this many bytes compression saves less than the headers it costs.
MIN_SIZE = 1024
COMPRESSIBLE = {
    "application/javascript",
    "application/json",
    "application/manifest+json",
    "application/problem+json",
    "image/svg+xml",
    "text/calendar",
    "text/css",
    "text/csv",
    "text/html",
    "text/javascript",
    "text/plain",
    "text/vcard",
    "text/x-vcard",
}
#: (level for a file compressed once, level for an answer compressed as it goes out)
LEVELS = {"br": (11, 4), "gzip": (9, 6)}

_static = {}
_static_lock = threading.Lock()


def compress_response(response):
    """after_request: compress what is worth it for a browser that says it can take it."""
    if response.mimetype not in COMPRESSIBLE or "Content-Encoding" in response.headers:
        return response
    response.vary.add("Accept-Encoding")
    encoding = _accepted_encoding()
    if (
        encoding is None
        or response.status_code != 200
        or request.method == "HEAD"
        or "no-transform" in response.headers.get("Cache-Control", "")
    ):
        return response
    if _is_static():
        body = _static_body(
            Path(current_app.static_folder) / request.view_args["filename"], encoding
        )
        if body is None:
            return response
        response.response.close()  # the file Flask opened to send as it is
        response.direct_passthrough = False
        etag, _weak = response.get_etag()
        if etag:
            response.set_etag(etag, weak=True)
    elif response.is_streamed:
        return response  # a download that is made as it goes out (an export) stays as it is
    else:
        data = response.get_data()
        if len(data) < MIN_SIZE:
            return response
        body = _compress(data, encoding, LEVELS[encoding][1])
    response.set_data(body)
    response.headers["Content-Encoding"] = encoding
    return response


def _accepted_encoding():
    accepted = request.accept_encodings
    for encoding in ("br", "gzip"):
        if accepted[encoding] > 0:
            return encoding
    return None


def _is_static():
    return request.endpoint == "static" and "Range" not in request.headers


def _static_body(path, encoding):
    """The file's compressed bytes, made once per version of the file; None when too small."""
    stat = path.stat()
    key = (str(path), stat.st_mtime_ns, stat.st_size, encoding)
    with _static_lock:
        if key in _static:
            return _static[key]
    data = path.read_bytes()
    body = _compress(data, encoding, LEVELS[encoding][0]) if len(data) >= MIN_SIZE else None
    with _static_lock:
        _static[key] = body
    return body


def _compress(data, encoding, level):
    if encoding == "br":
        return brotli.compress(data, quality=level)
    return gzip.compress(data, compresslevel=level, mtime=0)
