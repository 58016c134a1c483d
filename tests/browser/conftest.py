"""Browser-test fixtures: a real gunicorn server and Debian's Chromium driven by Playwright.

Fixtures other test modules may use (names are stable):

``live_server`` (session)
    Base URL (``http://127.0.0.1:<port>``, no trailing slash) of one ``gunicorn -w 2 ...
    --no-control-socket app:server`` serving the bundled data/ (or ``$PCP_DATA_DIR`` when set):
    the same command the Dockerfile and ``pcp-dashboard serve`` run. Started once per session.

``live_server_tmp_data`` (function)
    A second, private server (``.url``, ``.data_dir``, ``.log``, ``.worker_pids()``) serving a
    copy of data/ in a temporary folder, for tests that change data files while it runs. Its
    access log records which worker answered each request. Never writes to data/.

``page`` (function)
    pytest-playwright's page, with a collector: any console message of type "error" or
    uncaught page error fails the test that produced it. ``page.browser_errors`` lists them so
    far, for tests that check it themselves.

``settle`` (function)
    ``settle()`` waits until no Dash callback has been in flight for a moment (after a filter
    change has redrawn the page).

``open_page`` (function)
    ``open_page(url)`` loads a full URL in ``page`` and waits until Dash has rendered the
    page's <h1> and the network is quiet.

Chromium is Debian's /usr/bin/chromium; ``playwright install`` is never needed (or possible).
"""

from __future__ import annotations

import os
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
GUNICORN = Path(sys.executable).with_name("gunicorn")
START_TIMEOUT = 30.0

#: Everything a page has to do (render, run a callback) finishes well within this.
PAGE_TIMEOUT_MS = 15_000


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    """Debian's Chromium (never a downloaded one), as docs/toolchain recipes describe."""
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
            "--no-first-run",
        ],
    }


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _healthz(url: str) -> int | None:
    try:
        with urllib.request.urlopen(f"{url}/healthz", timeout=2) as response:
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code
    except OSError:
        return None


@dataclass
class Server:
    url: str
    process: subprocess.Popen
    log: Path
    data_dir: Path | None = None

    def log_text(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def worker_pids(self, since: int = 0, request: str = "") -> set[str]:
        """Worker processes that answered requests (``request`` in the request line) in the
        log after character ``since``; needs the access log (``live_server_tmp_data`` has it)."""
        lines = self.log_text()[since:].splitlines()
        return {
            line.split(">", 1)[0].lstrip("<")
            for line in lines
            if line.startswith("<") and request in line
        }


@contextmanager
def gunicorn_server(
    log: Path,
    data_dir: Path | None = None,
    env: dict[str, str] | None = None,
    workers: int = 2,
    extra_args: tuple[str, ...] = (),
) -> Iterator[Server]:
    """Start the shipped command on a free loopback port, wait for /healthz, stop it after."""
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    environ = {**os.environ, **(env or {})}
    if data_dir is not None:
        environ["PCP_DATA_DIR"] = str(data_dir)
    environ.pop("PCP_DEBUG", None)  # never dev tools in the shipped command
    command = [
        str(GUNICORN),
        "-w",
        str(workers),
        "-b",
        f"127.0.0.1:{port}",
        "--no-control-socket",
        *extra_args,
        "app:server",
    ]
    handle = log.open("w")
    process = subprocess.Popen(
        command, cwd=REPO_ROOT, env=environ, stdout=handle, stderr=subprocess.STDOUT
    )
    server = Server(url, process, log, data_dir)
    try:
        deadline = time.monotonic() + START_TIMEOUT
        while _healthz(url) != 200:
            if process.poll() is not None:
                pytest.fail(f"gunicorn exited with {process.returncode}:\n{server.log_text()}")
            if time.monotonic() > deadline:
                pytest.fail(f"gunicorn did not answer /healthz in {START_TIMEOUT:.0f} s")
            time.sleep(0.1)
        yield server
    finally:
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)  # gunicorn: graceful stop of master and workers
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(timeout=5)
        handle.close()


@pytest.fixture(scope="session")
def live_server(tmp_path_factory) -> Iterator[str]:
    """Base URL of one gunicorn (2 workers) for the whole session."""
    data_dir = os.environ.get("PCP_DATA_DIR")
    log = tmp_path_factory.mktemp("live_server") / "gunicorn.log"
    with gunicorn_server(log, Path(data_dir) if data_dir else None) as server:
        yield server.url


@pytest.fixture(scope="session")
def start_server():
    """``with start_server(log, data_dir) as server:`` the shipped command (``gunicorn_server``),
    for fixtures of a wider scope than a test's (one server for a module's read-only tests)."""
    return gunicorn_server


@pytest.fixture
def live_server_tmp_data(tmp_path, bundled_data_dir) -> Iterator[Server]:
    """A private gunicorn (2 workers) serving a copy of data/ that the test may change.

    Its access log names the worker process of each request (``Server.worker_pids``)."""
    data_dir = tmp_path / "data"
    shutil.copytree(bundled_data_dir, data_dir, ignore=shutil.ignore_patterns(".*"))
    access_log = ("--access-logfile", "-", "--access-logformat", "%(p)s %(r)s %(s)s")
    with gunicorn_server(tmp_path / "gunicorn.log", data_dir, extra_args=access_log) as server:
        yield server


@pytest.fixture
def page(page):
    """pytest-playwright's page, failing the test on browser console errors and page errors."""
    errors: list[str] = []

    def on_console(message):
        if message.type == "error":
            errors.append(f"console error on {page.url}: {message.text}")

    def on_response(response):
        if response.status >= 500:
            errors.append(f"HTTP {response.status} from {response.url}")

    page.on("console", on_console)
    page.on("pageerror", lambda exc: errors.append(f"page error on {page.url}: {exc}"))
    page.on("response", on_response)
    _track_callbacks(page)
    page.set_default_timeout(PAGE_TIMEOUT_MS)
    page.browser_errors = errors
    yield page
    if errors:
        pytest.fail("The browser reported errors:\n" + "\n".join(errors), pytrace=False)


def _track_callbacks(page) -> None:
    """Count Dash callback requests in flight (``page.dash_state``), for ``wait_for_dash``."""
    state = {"pending": 0, "changed": time.monotonic()}

    def started(request):
        if "/_dash-update-component" in request.url:
            state["pending"] += 1
            state["changed"] = time.monotonic()

    def ended(request):
        if "/_dash-update-component" in request.url:
            state["pending"] = max(0, state["pending"] - 1)
            state["changed"] = time.monotonic()

    page.on("request", started)
    page.on("requestfinished", ended)
    page.on("requestfailed", ended)
    page.dash_state = state


def wait_for_dash(page, quiet_ms: int = 400, timeout_ms: int = PAGE_TIMEOUT_MS) -> None:
    """Wait until no Dash callback has been in flight for ``quiet_ms``.

    Playwright's "networkidle" is reached once per navigation and then answers at once, so it
    cannot tell that a filter change has redrawn the page; this watches the callbacks instead.
    """
    state = page.dash_state
    deadline = time.monotonic() + timeout_ms / 1000
    while time.monotonic() < deadline:
        page.wait_for_timeout(50)  # lets Playwright deliver request events
        if state["pending"] == 0 and time.monotonic() - state["changed"] >= quiet_ms / 1000:
            return
    raise AssertionError(f"Dash callbacks still running after {timeout_ms} ms")


def wait_for_render(page) -> None:
    """Wait for Dash to render the page (its <h1>) and for callbacks to settle."""
    page.locator("#main h1").first.wait_for()
    wait_for_dash(page)


@pytest.fixture
def settle(page):
    """``settle()``: wait until Dash has finished the callbacks a change started."""
    return lambda: wait_for_dash(page)


@pytest.fixture
def open_page(page):
    """``open_page(url)``: load a full URL in ``page`` and wait for Dash to render it."""

    def _open(url: str):
        page.goto(url)
        wait_for_render(page)
        return page

    return _open
