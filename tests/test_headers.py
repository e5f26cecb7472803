"""Headers that keep personal data out of shared caches and pin https once it is in use."""

from pwa.web import HSTS


def test_a_public_card_and_its_vcard_are_never_cached_by_others(client, make_user, api_as):
    token = api_as(make_user()).get("/api/v1/me/card").json["public_token"]
    for path in (f"/c/{token}", f"/c/{token}.vcf"):
        answer = client.get(path)
        assert answer.status_code == 200, path
        assert answer.headers["Cache-Control"] == "private, no-store", path


def test_hsts_only_over_https(client, make_app):
    assert "Strict-Transport-Security" not in client.get("/healthz").headers
    assert (
        client.get("/healthz", base_url="https://hallway.example").headers[
            "Strict-Transport-Security"
        ]
        == HSTS
    )
    behind_a_proxy = make_app(PROXY_COUNT=1).test_client()
    forwarded = behind_a_proxy.get("/healthz", headers={"X-Forwarded-Proto": "https"})
    assert forwarded.headers["Strict-Transport-Security"] == HSTS
