"""Finding 8 of issue 14 against the shipped gunicorn command: a large body is refused before it
is read, dev-tools routes and unknown component files answer 404, and every HTML and JSON
answer carries its Content-Security-Policy and Cache-Control."""

from __future__ import annotations

import contextlib
import json
import socket
import time
import urllib.error
import urllib.request
from urllib.parse import urlparse

DECLARED = 100 * 1024 * 1024  # what the client says it will send
SENT = 1024 * 1024  # what it actually sends before listening for an answer


def get(url: str) -> tuple[int, dict, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:
            return response.status, dict(response.headers), response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, dict(exc.headers), exc.read()


def test_a_100_mb_post_is_refused_without_being_read(live_server):
    host = urlparse(live_server)
    started = time.monotonic()
    with socket.create_connection((host.hostname, host.port), timeout=10) as connection:
        connection.sendall(
            (
                "POST /_dash-update-component HTTP/1.1\r\n"
                f"Host: {host.netloc}\r\nContent-Type: application/json\r\n"
                f"Content-Length: {DECLARED}\r\n\r\n"
            ).encode()
        )
        # The server may already have closed the connection: it read no further.
        with contextlib.suppress(OSError):
            connection.sendall(b"[" * SENT)
        answer = b""
        while b"\r\n\r\n" not in answer:
            chunk = connection.recv(4096)
            if not chunk:
                break
            answer += chunk
    took = time.monotonic() - started
    print(f"413 after {took * 1000:.0f} ms, {SENT:,} of {DECLARED:,} bytes sent")
    assert answer.startswith(b"HTTP/1.1 413"), answer[:200]


def test_dev_routes_and_unknown_component_files_are_404(live_server):
    assert get(f"{live_server}/_reload-hash")[0] == 404
    for path in ("/_dash-component-suites/nope/x.js", "/_dash-component-suites/dash/nope.js"):
        status, _, body = get(live_server + path)
        assert status == 404, path
        assert b"Traceback" not in body


def test_html_and_json_answers_carry_the_policy_and_caching(live_server):
    for path, mimetype, caching in (
        ("/", "text/html", "no-cache"),
        ("/priority/3", "text/html", "no-cache"),
        ("/_dash-layout", "application/json", "no-store"),
        ("/_dash-dependencies", "application/json", "no-store"),
        ("/healthz", "application/json", "no-store"),
    ):
        status, headers, body = get(live_server + path)
        assert status == 200, path
        assert headers["Content-Type"].startswith(mimetype), path
        assert caching in headers.get("Cache-Control", ""), path
        policy = headers.get("Content-Security-Policy", "")
        assert "script-src 'self' 'sha256-" in policy, path
        assert "unsafe-inline" not in policy.split("script-src", 1)[1].split(";", 1)[0], path
        if mimetype == "application/json":
            json.loads(body)
