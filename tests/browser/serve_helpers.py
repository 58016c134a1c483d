"""The shipped run command, `pcp-dashboard serve` (nginx in front of gunicorn), for the tests
that measure it from outside: started in a session of its own on a free loopback port."""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

NGINX = shutil.which("nginx") or "/usr/sbin/nginx"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


@contextmanager
def serving(settings: dict[str, str]) -> Iterator[tuple[subprocess.Popen, int]]:
    """(the serve process, its port) with ``settings`` (PCP_* variables) in its environment,
    once /healthz answers; stopped (its whole process group) when the block ends."""
    if not os.path.exists(NGINX):
        pytest.skip("nginx-light is installed by scripts/setup.sh")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "serve"],
        env={**os.environ, **settings, "PCP_BIND": f"127.0.0.1:{port}"},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=2).read()
                break
            except OSError:
                assert time.monotonic() < deadline, "the server did not start"
                time.sleep(0.2)
        yield server, port
    finally:
        os.killpg(server.pid, signal.SIGTERM)
        server.wait(timeout=30)
