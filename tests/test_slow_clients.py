"""One slow client must not block everyone: a real `hallway serve` (waitress) with 110 connections
trickling a request body still answers a normal request at once."""

import socket
import time
import urllib.request

from tests.harness import LiveServer


def test_trickling_bodies_do_not_block_a_normal_request(tmp_path):
    with LiveServer(tmp_path) as server:
        slow = []
        try:
            for _ in range(110):
                s = socket.create_connection(("127.0.0.1", server.port), timeout=5)
                s.sendall(
                    b"POST /api/v1/sync HTTP/1.1\r\nHost: x\r\n"
                    b"Content-Type: application/json\r\nContent-Length: 100000\r\n\r\n{"
                )
                slow.append(s)
            time.sleep(0.5)
            for s in slow:
                s.sendall(b" ")
            started = time.monotonic()
            with urllib.request.urlopen(f"{server.url}/healthz", timeout=5) as answer:
                assert answer.status == 200
            assert time.monotonic() - started < 2
        finally:
            for s in slow:
                s.close()
