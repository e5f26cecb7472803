"""What goes over the wire is compressed: static files once per version, API answers as they go out,
brotli for a browser that takes it, gzip otherwise, nothing for one that takes neither; and a
browser's revalidation of a compressed file still gets its 304."""

import gzip
import json
import urllib.request

import brotli
import pytest

from tests.harness import LiveServer

SCRIPT = "/static/js/app.js"


def fetch(client, path, encoding, **headers):
    if encoding:
        headers["Accept-Encoding"] = encoding
    return client.get(path, headers=headers)


def decoded(answer):
    body = answer.get_data()
    if answer.headers.get("Content-Encoding") == "br":
        return brotli.decompress(body)
    if answer.headers.get("Content-Encoding") == "gzip":
        return gzip.decompress(body)
    return body


@pytest.mark.parametrize(
    "accepted, used",
    [
        ("gzip, deflate, br, zstd", "br"),  # what Chromium sends
        ("gzip, deflate", "gzip"),
        ("identity", None),
        (None, None),
        ("br;q=0, gzip", "gzip"),
    ],
)
def test_a_static_file_goes_out_in_the_best_encoding_the_browser_takes(client, accepted, used):
    plain = fetch(client, SCRIPT, None)
    answer = fetch(client, SCRIPT, accepted)
    assert answer.status_code == 200
    assert answer.headers.get("Content-Encoding") == used
    assert "Accept-Encoding" in answer.headers["Vary"]
    assert decoded(answer) == plain.get_data()
    assert int(answer.headers["Content-Length"]) == len(answer.get_data())
    if used:
        assert len(answer.get_data()) < len(plain.get_data()) / 2
    plain.close()
    answer.close()


def test_a_compressed_file_still_revalidates_to_a_304(client):
    first = fetch(client, SCRIPT, "gzip, br")
    etag = first.headers["ETag"]
    assert etag.startswith('W/"')
    again = fetch(client, SCRIPT, "gzip, br", **{"If-None-Match": etag})
    assert again.status_code == 304
    first.close()
    again.close()


def test_a_range_request_gets_the_bytes_it_asked_for_uncompressed(client):
    answer = fetch(client, SCRIPT, "gzip, br", Range="bytes=0-9")
    assert answer.status_code == 206
    assert "Content-Encoding" not in answer.headers
    assert len(answer.get_data()) == 10
    answer.close()


def test_api_answers_above_a_small_size_are_compressed(make_user, make_contact, api_as):
    user = make_user()
    for n in range(30):
        make_contact(user, name=f"Person {n}", notes="Met at the coffee line " * 5)
    api = api_as(user)
    big = fetch(api, "/api/v1/contacts?limit=30", "gzip, br")
    assert big.headers["Content-Encoding"] == "br"
    assert len(json.loads(decoded(big))["items"]) == 30
    small = fetch(api, "/api/v1/me", "gzip, br")
    assert "Content-Encoding" not in small.headers
    assert small.headers["Vary"]  # the answer could have been compressed: caches must know
    assert small.json["email"] == user.email


def test_the_app_shell_and_service_worker_are_compressed(client):
    for path in ("/capture", "/sw.js"):
        answer = fetch(client, path, "gzip")
        assert answer.headers.get("Content-Encoding") == "gzip", path
        assert b"Hallway" in decoded(answer) or b"self" in decoded(answer)


def test_a_real_server_sends_compressed_bytes_a_browser_can_read(tmp_path):
    """Through waitress: Content-Encoding and Content-Length survive, and the bytes decompress."""
    with LiveServer(tmp_path) as server:
        request = urllib.request.Request(
            server.url + SCRIPT, headers={"Accept-Encoding": "gzip, deflate, br"}
        )
        with urllib.request.urlopen(request, timeout=10) as answer:
            assert answer.headers["Content-Encoding"] == "br"
            body = answer.read()
            assert int(answer.headers["Content-Length"]) == len(body)
        plain = urllib.request.urlopen(server.url + SCRIPT, timeout=10)
        with plain:
            assert "Content-Encoding" not in plain.headers
            assert brotli.decompress(body) == plain.read()
