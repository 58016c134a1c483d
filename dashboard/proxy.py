"""nginx in front of gunicorn: the shipped way to serve (issue 25, finding 1).

gunicorn's sync and gthread workers give a thread to each connection from its first byte: eight
clients sending one header line every 5 s held every thread of the shipped server (2 workers x
4 threads) and nothing else was answered while they stayed. nginx reads a whole request before
passing it on (and buffers the answer), so slow clients cost it a connection, not a thread.

``pcp-dashboard serve`` starts gunicorn on a unix socket inside a run folder and nginx, in the
foreground, listening where ``Settings.bind`` says, from a config written by
:func:`nginx_config` from the same Settings: request size (``max_request_mb``), header and body
time (``proxy_client_seconds``), connections per client (``proxy_connections``), and
``/assets/`` served from disk. Every temporary path is inside the run folder.
"""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from .config import Settings
from .resources import assets_dir


def find_nginx(settings: Settings) -> str | None:
    """``settings.nginx_path`` (PCP_NGINX; Debian's /usr/sbin/nginx by default) if it can be
    run, else an ``nginx`` on PATH; None when neither is there."""
    if os.path.isfile(settings.nginx_path) and os.access(settings.nginx_path, os.X_OK):
        return settings.nginx_path
    return shutil.which("nginx")


def _die_with_parent() -> None:  # pragma: no cover - runs in the child, between fork and exec
    """Children get SIGTERM if ``serve`` itself dies (even by SIGKILL): no orphaned nginx or
    gunicorn holding the port."""
    import ctypes

    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL("libc.so.6", use_errno=True).prctl(1, signal.SIGTERM)  # PR_SET_PDEATHSIG


def nginx_config(settings: Settings, run: Path, upstream: str | Sequence[str]) -> str:
    """The nginx config (daemon off; everything inside ``run``) for ``settings``.

    Several upstreams (app hosts following one shared store, docs/shared-store.md) are
    balanced; a request that fails on one (refused, reset, a 502/503 while it restarts) is
    passed to the next. Every POST this app serves is a Dash callback, which computes a view
    from its inputs and changes nothing, so those are passed on too (``non_idempotent``)."""
    hosts = [upstream] if isinstance(upstream, str) else list(upstream)
    if len(hosts) > 1:
        servers = " ".join(f"server {host} max_fails=3 fail_timeout=5s;" for host in hosts)
        # Idle connections to a host are closed before gunicorn closes them (its keepalive is
        # 2 s): a request sent on one gunicorn had just closed would count as the host failing.
        upstream_block = f"upstream app {{ {servers} keepalive 16; keepalive_timeout 1s; }}"
        passing = (
            "proxy_next_upstream error timeout http_502 http_503 non_idempotent;\n"
            "            proxy_next_upstream_tries 3;\n"
            "            proxy_connect_timeout 2s;\n"
            '            proxy_set_header Connection "";'
        )
    else:
        # The same socket twice: a request whose worker died under it (a kill, the memory
        # limit) is passed once more, to a live worker, instead of answering 502. nginx passes
        # again only a request that changes nothing (GET, HEAD; never a POST), and only on an
        # error, never on a slow answer (a pack being built must not be built twice). No idle
        # connections are kept to gunicorn (a new one per request costs microseconds on a unix
        # socket): one kept to a worker that died, or one gunicorn was closing after its 2 s
        # keep-alive, failed the request sent down it (a POST with 502, nine callbacks of 2,287
        # in the load test; the retry of a GET, when it drew such a connection).
        socket = hosts[0]
        upstream_block = (
            f"upstream app {{\n        server {socket} max_fails=0;\n"
            f"        server {socket} max_fails=0;\n    }}"
        )
        passing = "proxy_next_upstream error;\n            proxy_next_upstream_tries 2;"
    host, _, port = settings.bind.rpartition(":")
    listen = f"{host}:{port}" if host not in ("", "*") else port
    seconds = settings.proxy_client_seconds
    body_mb = max(1, int(settings.max_request_mb + 0.999))
    return f"""# Written by pcp-dashboard serve from its Settings; not edited by hand.
daemon off;
worker_processes 1;
pid {run}/nginx.pid;
error_log {run}/error.log warn;
events {{ worker_connections 4096; }}
http {{
    access_log off;
    client_body_temp_path {run}/client_body;
    proxy_temp_path {run}/proxy;
    fastcgi_temp_path {run}/fastcgi;
    uwsgi_temp_path {run}/uwsgi;
    scgi_temp_path {run}/scgi;
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    server_tokens off;
    client_header_timeout {seconds}s;
    client_body_timeout {seconds}s;
    send_timeout {seconds * 3}s;
    keepalive_timeout 15s;
    client_max_body_size {body_mb}m;
    large_client_header_buffers 4 16k;
    limit_conn_zone $binary_remote_addr zone=per_client:10m;
    {upstream_block}
    server {{
        listen {listen};
        limit_conn per_client {settings.proxy_connections};
        location /assets/ {{
            alias {assets_dir()}/;
            expires 1h;
        }}
        location / {{
            proxy_pass http://app;
            proxy_http_version 1.1;
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;
            proxy_buffering on;
            proxy_request_buffering on;
            proxy_read_timeout 120s;
            {passing}
        }}
    }}
}}
"""


def _user_line() -> str:
    """As root, nginx's workers would run as nobody, who cannot reach the run folder."""
    if os.geteuid() != 0:
        return ""
    import pwd

    return f"user {pwd.getpwuid(os.getuid()).pw_name};\n"


def balance(settings: Settings, upstreams: Sequence[str], nginx: str) -> int:
    """nginx alone on ``settings.bind``, balancing app hosts started elsewhere (each a
    ``PCP_PROXY=0 pcp-dashboard serve``); runs until SIGTERM/SIGINT."""
    run = Path(tempfile.mkdtemp(prefix="pcp-balance-"))
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / name).mkdir()
    config = run / "nginx.conf"
    config.write_text(_user_line() + nginx_config(settings, run, list(upstreams)))
    child = subprocess.Popen(  # noqa: S603
        [nginx, "-c", str(config), "-p", f"{run}/", "-e", str(run / "error.log")],
        preexec_fn=_die_with_parent,  # noqa: PLW1509
    )

    def stop(signum: int, _frame: object) -> None:
        if child.poll() is None:
            child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    try:
        return child.wait()
    finally:
        stop(signal.SIGTERM, None)
        child.wait(timeout=25)
        if (run / "error.log").exists():  # what nginx said of the hosts (failed, marked down)
            sys.stderr.write((run / "error.log").read_text(errors="replace")[-4000:])
        shutil.rmtree(run, ignore_errors=True)


def serve_behind_nginx(settings: Settings, gunicorn: list[str], nginx: str) -> int:
    """Run gunicorn (``gunicorn``: its command, bound to the socket below) and nginx in front
    of it until either ends or a SIGTERM/SIGINT arrives; then stop both. The exit status is
    the first one to end's."""
    run = Path(tempfile.mkdtemp(prefix="pcp-serve-"))
    socket = run / "gunicorn.sock"
    for name in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi"):
        (run / name).mkdir()
    config = run / "nginx.conf"
    config.write_text(_user_line() + nginx_config(settings, run, f"unix:{socket}"))
    command = [a if a != settings.bind else f"unix:{socket}" for a in gunicorn]
    children = [subprocess.Popen(command, preexec_fn=_die_with_parent)]  # noqa: S603, PLW1509
    deadline = time.monotonic() + 30
    while not socket.exists() and children[0].poll() is None and time.monotonic() < deadline:
        time.sleep(0.05)
    children.append(
        subprocess.Popen(  # noqa: S603
            [nginx, "-c", str(config), "-p", f"{run}/", "-e", str(run / "error.log")],
            preexec_fn=_die_with_parent,  # noqa: PLW1509
        )
    )

    def stop(signum: int, _frame: object) -> None:
        for child in children:
            if child.poll() is None:
                child.send_signal(signal.SIGTERM)

    signal.signal(signal.SIGTERM, stop)
    signal.signal(signal.SIGINT, stop)
    code = 0
    try:
        while all(child.poll() is None for child in children):
            time.sleep(0.2)
        code = next(child.returncode for child in children if child.returncode is not None)
    finally:
        stop(signal.SIGTERM, None)
        for child in children:
            try:
                child.wait(timeout=25)
            except subprocess.TimeoutExpired:
                child.kill()
        if code and (run / "error.log").exists():
            sys.stderr.write((run / "error.log").read_text(errors="replace")[-2000:])
        shutil.rmtree(run, ignore_errors=True)
    return code
