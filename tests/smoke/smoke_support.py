"""Helpers of the smoke tests: start a command in a process group of its own, wait for
/healthz, read a page as the browser does, stop the whole group.

The smoke tests start the dashboard the ways a user starts it, from outside this checkout.

Each test takes a fresh ``git clone`` of the committed HEAD (uncommitted changes are not
tested: commit first), installs it the user's way in a new folder, starts the server in a
process group of its own, waits for ``/healthz`` and reads pages through Dash's own callback
endpoint (the request the browser makes). Timings are printed, not asserted.

For a cold pip cache, run them by hand with a fresh cache (forwarded to the install)::

    PIP_CACHE_DIR=$(mktemp -d) PIP_CONFIG_FILE=/dev/null .venv/bin/python -m pytest -q -s tests/smoke
"""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

from dashboard import ids

REPO_ROOT = Path(__file__).resolve().parents[2]
REFERENCE = REPO_ROOT / "tests" / "fixtures" / "reference" / "2019-20-Q4-quarterly-update.txt"
#: The system PATH a new user has: nothing of the project, no virtual environment.
SYSTEM_PATH = "/usr/bin:/bin"
#: pip settings passed through to the installs: a cold-cache run sets PIP_CACHE_DIR (or
#: PIP_NO_CACHE_DIR); PIP_CONFIG_FILE=/dev/null leaves out this machine's pip.conf (its local
#: wheel indexes), as on a fresh machine that has only PyPI.
PIP_PASSTHROUGH = ("PIP_NO_CACHE_DIR", "PIP_CACHE_DIR", "PIP_CONFIG_FILE")


#: Measured figures of this run, printed in pytest's closing summary (see conftest.py).
FIGURES: list[str] = []


def report(message: str) -> None:
    """A measured figure: printed now (with -s) and in the closing summary."""
    FIGURES.append(message)
    print(f"\n[smoke] {message}", flush=True)


def clean_env(path: str = SYSTEM_PATH, **extra: str) -> dict[str, str]:
    """What ``env -i HOME=$HOME PATH=...`` leaves (plus a cold-cache pip setting), and ``extra``."""
    env = {"HOME": os.environ.get("HOME", "/root"), "PATH": path}
    env.update({k: os.environ[k] for k in PIP_PASSTHROUGH if k in os.environ})
    env.update(extra)
    return env


def in_own_group(env: dict[str, str], *command: str) -> list[str]:
    """``env -i K=V... setsid COMMAND``: only ``env`` in the environment, a new process group."""
    return ["/usr/bin/env", "-i", *(f"{k}={v}" for k, v in env.items()), "setsid", *command]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def port_is_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        return sock.connect_ex(("127.0.0.1", port)) != 0


def get(url: str, timeout: float = 10) -> tuple[int, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return 0, b""


def post_json(url: str, body: dict) -> tuple[int, dict]:
    request = urllib.request.Request(
        url, data=json.dumps(body).encode(), headers={"Content-Type": "application/json"}
    )
    try:
        with urllib.request.urlopen(request, timeout=30) as response:
            return response.status, json.loads(response.read())
    except urllib.error.HTTPError as exc:
        return exc.code, {"error": exc.read().decode(errors="replace")}


def text_of(node) -> str:
    """Every string a reader sees in a Dash component tree (as JSON), in order."""
    if node is None or isinstance(node, bool):
        return ""
    if isinstance(node, str | int | float):
        return str(node)
    if isinstance(node, list):
        return "".join(text_of(n) for n in node)
    if isinstance(node, dict):
        if "props" in node:
            return text_of(node["props"].get("children"))
        return "".join(text_of(v) for v in node.values())
    return ""


def page_text(base: str, pathname: str, search: str = "") -> str:
    """The text of a page as the browser gets it: the page callback (found in Dash's
    /_dash-dependencies, so its shape is the app's own) POSTed to /_dash-update-component."""
    status, raw = get(f"{base}/_dash-dependencies")
    assert status == 200, f"/_dash-dependencies answered {status}"
    target = f"{ids.PAGE_BODY}.children"
    callback = next(
        (c for c in json.loads(raw) if target in c["output"].strip(".").split("...")), None
    )
    assert callback is not None, f"no callback renders {target}"
    outputs = [
        dict(zip(("id", "property"), o.rsplit(".", 1), strict=True))
        for o in callback["output"].strip(".").split("...")
    ]
    values = {f"{ids.URL}.pathname": pathname, f"{ids.URL}.search": search}

    def entries(items):
        return [
            {**i, "value": values.get(f"{i['id']}.{i['property']}")}
            for i in items
            if not i["id"].startswith("{")  # pattern-matching inputs are not on a new page
        ]

    body = {
        "output": callback["output"],
        "outputs": outputs,
        "inputs": entries(callback["inputs"]),
        "changedPropIds": [f"{ids.URL}.pathname"],
        "state": entries(callback["state"]),
    }
    status, payload = post_json(f"{base}/_dash-update-component", body)
    assert status == 200, f"the page callback for {pathname} answered {status}: {payload}"
    answer = payload["response"]
    return text_of([answer[ids.PAGE_HEAD]["children"], answer[ids.PAGE_BODY]["children"]])


@dataclass
class Started:
    url: str
    port: int
    process: subprocess.Popen
    log: Path
    seconds_to_healthy: float

    def log_text(self) -> str:
        return self.log.read_text(errors="replace")[-6000:] if self.log.exists() else ""


def group_members(pgid: int) -> list[int]:
    """Live processes in process group ``pgid`` (zombies excluded)."""
    members = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[2]) == pgid and fields[0] != "Z":
            members.append(int(stat.parent.name))
    return members


def served_by(pid: int, port: int) -> tuple[list[bytes], list[list[bytes]], list[str], str]:
    """What ``pcp-dashboard serve`` (``pid``) runs: its own argv, its children's argvs and
    programs (nginx rewrites its argv: the program is /proc/PID/exe), and the ``Server`` header
    of an answer on ``port`` (nginx in front of gunicorn by default)."""

    def argv(p: int | str) -> list[bytes]:
        return Path(f"/proc/{p}/cmdline").read_bytes().rstrip(b"\0").split(b"\0")

    children = Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz", timeout=10) as answer:
        server = answer.headers.get("Server", "")
    programs = [os.readlink(f"/proc/{c}/exe") for c in children]
    return argv(pid), [argv(c) for c in children], programs, server


@contextmanager
def started(
    command: list[str], *, cwd: Path, port: int, log: Path, timeout: float
) -> Iterator[Started]:
    """Run ``command`` (from :func:`in_own_group`: it leads a new process group), wait for
    /healthz = 200, then stop the whole group with SIGTERM (as a service manager does): every
    member must exit and the port must be free again."""
    url = f"http://127.0.0.1:{port}"
    handle = log.open("w")
    begin = time.monotonic()
    process = subprocess.Popen(
        command, cwd=cwd, stdin=subprocess.DEVNULL, stdout=handle, stderr=subprocess.STDOUT
    )
    pgid = process.pid
    try:
        while True:
            status, _ = get(f"{url}/healthz", timeout=2)
            if status == 200:
                break
            if process.poll() is not None:
                pytest.fail(f"{command} exited with {process.returncode}:\n{log.read_text()}")
            if time.monotonic() - begin > timeout:
                pytest.fail(f"no /healthz 200 within {timeout:.0f} s:\n{log.read_text()[-6000:]}")
            time.sleep(0.25)
        assert os.getpgid(process.pid) == pgid, "the server is not its own process group"
        yield Started(url, port, process, log, time.monotonic() - begin)
    finally:
        if group_members(pgid):
            os.killpg(pgid, signal.SIGTERM)
        deadline = time.monotonic() + 30
        while group_members(pgid) and time.monotonic() < deadline:
            time.sleep(0.2)
        left = group_members(pgid)
        if left:
            os.killpg(pgid, signal.SIGKILL)
        process.wait(timeout=10)
        handle.close()
        assert not left, f"processes {left} were still running 30 s after SIGTERM"
        assert port_is_free(port), f"port {port} still answers after the server stopped"


def reference_text() -> str:
    """The published 2019/20 Q4 quarterly update (tests/fixtures/reference, with provenance)."""
    return " ".join(REFERENCE.read_text(encoding="utf-8").split())
