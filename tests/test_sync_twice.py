"""One sync batch delivered twice at the same moment (a retry racing the first try, through two
web processes): both deliveries are answered from one outcome, never a 500 on a duplicate key."""

import threading
import uuid


def test_a_batch_delivered_twice_at_once_is_applied_once_and_answered_alike(app, ada, api_as):
    clients = [api_as(ada), api_as(ada)]
    for _ in range(5):
        body = {
            "batch_id": str(uuid.uuid4()),
            "cursor": None,
            "changes": [
                {"kind": "contact", "id": str(uuid.uuid4()), "op": "upsert", "fields": {"name": n}}
                for n in ("Grace", "Alan", "Edsger", "Barbara")
            ],
        }
        start = threading.Barrier(2)
        answers = [None, None]

        def deliver(i, body=body, start=start, answers=answers):
            start.wait()
            answers[i] = clients[i].post("/api/v1/sync", json=body)

        threads = [threading.Thread(target=deliver, args=(i,)) for i in range(2)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert [answer.status_code for answer in answers] == [200, 200]
        first, second = (answer.get_json()["results"] for answer in answers)
        assert first == second
        assert {result["status"] for result in first} == {"applied"}
    names = [c["name"] for c in clients[0].get("/api/v1/contacts?limit=100").get_json()["items"]]
    assert sorted(names) == sorted(["Grace", "Alan", "Edsger", "Barbara"] * 5)
