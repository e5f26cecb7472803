def test_healthz(client):
    response = client.get("/healthz")
    assert response.status_code == 200
    assert response.get_json() == {"status": "ok"}


def test_register_and_me(client, auth):
    assert auth.register().status_code == 201
    me = client.get("/api/v1/me").get_json()
    assert me["email"] == "ada@example.com"


def test_factories(make_user, make_contact, make_followup, api_as):
    user = make_user()
    contact = make_contact(user)
    make_followup(user, contact_id=str(contact.id))
    client = api_as(user)
    assert len(client.get("/api/v1/followups").get_json()["items"]) == 1
