"""Downloads named after people, through a real `hallway serve`: waitress must send the header,
which Flask's test client never encodes (a name outside Latin-1 was a 500)."""

import json
import urllib.parse
import urllib.request

import pytest

from pwa.downloads import attachment
from tests.harness import LiveServer

from .conftest import PASSWORD

NAMES = ["Łukasz Żółć", "Γιώργος Παπαδόπουλος", "ليلى حداد", "נועה כהן", "王芳", "Nguyễn Thị Hương"]


def _call(url, method, path, body=None, token=None):
    request = urllib.request.Request(
        f"{url}/api/v1{path}",
        method=method,
        data=None if body is None else json.dumps(body).encode(),
        headers={"Content-Type": "application/json"},
    )
    if token:
        request.add_header("Authorization", f"Bearer {token}")
    with urllib.request.urlopen(request) as response:
        return json.loads(response.read() or b"null")


@pytest.fixture(scope="module")
def live(tmp_path_factory):
    with LiveServer(tmp_path_factory.mktemp("downloads")) as server:
        account = {"email": "ada@example.com", "password": PASSWORD}
        _call(server.url, "POST", "/auth/register", {**account, "name": "Ada"})
        token = _call(server.url, "POST", "/auth/tokens", {**account, "label": "test"})["token"]
        yield server.url, token


@pytest.mark.parametrize("name", NAMES)
def test_save_contact_on_a_public_card_downloads_under_the_owners_name_in_any_script(live, name):
    url, token = live
    card = _call(url, "PATCH", "/me/card", {"name": name}, token)
    with urllib.request.urlopen(f"{url}/c/{card['public_token']}.vcf") as response:
        disposition = response.headers["Content-Disposition"]
        vcard = response.read().decode()
    assert f"FN:{name}" in vcard
    fallback, encoded = disposition.split("; filename*=UTF-8''")
    assert fallback.startswith('attachment; filename="') and fallback.isascii()
    assert urllib.parse.unquote(encoded) == f"{name}.vcf"


def test_a_plain_ascii_name_needs_no_second_filename():
    assert attachment("Ada Lovelace", "vcf") == 'attachment; filename="Ada Lovelace.vcf"'
    assert attachment("Zoë", "vcf").startswith('attachment; filename="Zoe.vcf"; filename*=')
    assert attachment('"; evil=1', "vcf") == 'attachment; filename="evil1.vcf"'
    assert attachment(None, "vcf") == 'attachment; filename="contact.vcf"'
