"""Several hosts, one truth (issue 26): the topology these tests start and stop themselves.

- a throwaway PostgreSQL cluster: ``initdb`` in a temporary folder, its own loopback port,
  ``pg_ctl stop`` at the end (as the ``postgres`` user when the tests run as root, since
  ``initdb`` refuses root);
- two app hosts, each ``PCP_PROXY=0 pcp-dashboard serve`` (gunicorn) with its own working
  folder, data folder and version cache, following the store by ``PCP_STORE``;
- nginx in front balancing them (``pcp-dashboard balance``).

The store starts from the small test dataset (tests/fixtures/dataset), copied in with
``pcp-dashboard store copy`` as an operator moving from the file store would.
"""

from __future__ import annotations

import contextlib
import glob
import json
import os
import pwd
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

#: util-linux's runuser, in /usr/sbin (not on every PATH: CI runs with /usr/bin:/bin).
RUNUSER = shutil.which("runuser", path="/usr/sbin:/sbin:/usr/bin:/bin") or "runuser"

REPO_ROOT = Path(__file__).resolve().parents[2]
FIXTURE = REPO_ROOT / "tests" / "fixtures" / "dataset"
CLI = [sys.executable, "-m", "dashboard.cli"]


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def postgres_bin() -> Path | None:
    """Debian's PostgreSQL programs (scripts/setup.sh --test installs them)."""
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"))
    if found:
        return Path(found[-1]).parent
    initdb = shutil.which("initdb")
    return Path(initdb).resolve().parent if initdb else None


def get(url: str, timeout: float = 5.0) -> tuple[int | None, bytes]:
    try:
        with urllib.request.urlopen(url, timeout=timeout) as response:
            return response.status, response.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read()
    except OSError:
        return None, b""


def healthz(url: str) -> dict:
    status, body = get(f"{url}/healthz", timeout=3)
    if status is None:
        return {"http": None}
    try:
        return {"http": status, **json.loads(body)}
    except ValueError:
        return {"http": status}


@dataclass
class Cluster:
    bindir: Path
    folder: Path
    port: int
    as_user: list[str]

    @property
    def url(self) -> str:
        return f"postgresql://pcp@127.0.0.1:{self.port}/postgres"

    def _ctl(self, *args: str) -> None:
        done = subprocess.run(
            [*self.as_user, str(self.bindir / "pg_ctl"), "-D", str(self.folder / "db"), *args],
            cwd=self.folder,
            capture_output=True,
            text=True,
            timeout=60,
        )
        if done.returncode != 0:
            log = self.folder / "log"
            raise subprocess.CalledProcessError(
                done.returncode,
                done.args,
                done.stdout,
                done.stderr + (log.read_text(errors="replace")[-2000:] if log.exists() else ""),
            )

    def start(self) -> None:
        options = (
            f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 -c fsync=off "
            "-c full_page_writes=off -c max_connections=100"
        )
        self._ctl("-o", options, "-l", str(self.folder / "log"), "-w", "start")

    def stop(self, mode: str = "fast") -> None:
        self._ctl("-m", mode, "-w", "stop")

    def sql(self, query: str) -> list[tuple]:
        import psycopg

        with psycopg.connect(self.url, connect_timeout=5, autocommit=True) as conn:
            cursor = conn.execute(query)
            return list(cursor.fetchall()) if cursor.description else []


@pytest.fixture(scope="session")
def cluster() -> Iterator[Cluster]:
    bindir = postgres_bin()
    if bindir is None:
        pytest.skip(
            "PostgreSQL's programs are missing (bash scripts/setup.sh --test installs them)"
        )
    folder = Path(tempfile.mkdtemp(prefix="pcp-pg-"))
    cluster: Cluster | None = None
    try:
        as_user: list[str] = []
        if os.geteuid() == 0:  # initdb refuses root: the cluster belongs to postgres
            owner = pwd.getpwnam("postgres")
            os.chown(folder, owner.pw_uid, owner.pw_gid)
            as_user = [RUNUSER, "-u", "postgres", "--"]
        subprocess.run(
            [*as_user, str(bindir / "initdb"), "-D", str(folder / "db"), "-A", "trust"]
            + ["-U", "pcp", "--no-sync"],
            check=True,
            cwd=folder,
            stdout=subprocess.DEVNULL,
            timeout=120,
        )
        cluster = Cluster(bindir, folder, free_port(), as_user)
        cluster.start()
        yield cluster
    finally:
        if cluster is not None:
            with contextlib.suppress(subprocess.CalledProcessError):  # a test stopped it
                cluster.stop("immediate")
        shutil.rmtree(folder, ignore_errors=True)


@dataclass
class Host:
    name: str
    url: str
    folder: Path
    env: dict[str, str]
    port: int
    process: subprocess.Popen | None = None

    def start(self, wait: float = 60.0) -> None:
        log = (self.folder / "server.log").open("a")
        self.process = subprocess.Popen(
            [*CLI, "serve", "--bind", f"127.0.0.1:{self.port}", "--workers", "1"],
            cwd=self.folder,
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,  # its own group: the teardown stops orphaned workers too
        )
        deadline = time.monotonic() + wait
        while time.monotonic() < deadline:
            if healthz(self.url).get("http") == 200:
                return
            if self.process.poll() is not None:
                break
            time.sleep(0.2)
        raise AssertionError(f"host {self.name} did not start:\n{self.log()[-3000:]}")

    def stop(self) -> None:
        if self.process is None:
            return
        with contextlib.suppress(ProcessLookupError):
            os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)
        # workers orphaned by a kill -9 of the master are in the same group
        for _ in range(50):
            try:
                os.killpg(self.process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None

    def log(self) -> str:
        path = self.folder / "server.log"
        return path.read_text(errors="replace") if path.exists() else ""


@dataclass
class Topology:
    cluster: Cluster
    hosts: list[Host]
    proxy_url: str
    work: Path
    env: dict[str, str]
    proxy: subprocess.Popen | None = None
    observations: int = 0
    files: dict[str, Path] = field(default_factory=dict)

    def cli(
        self, *args: str, timeout: float = 120, env: dict[str, str] | None = None
    ) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*CLI, *args],
            env=self.env if env is None else env,
            cwd=self.work,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def proxy_log(self) -> str:
        """nginx's error log so far (in the balancer's run folder, under TMPDIR)."""
        logs = sorted(self.work.glob("pcp-balance-*/error.log"))
        return logs[-1].read_text(errors="replace")[-4000:] if logs else "(no nginx error log)"

    def live(self) -> str | None:
        rows = self.cluster.sql("SELECT version FROM pcp_live")
        return rows[0][0] if rows else None


def fixture_observations() -> int:
    """Rows of the test dataset's observations.csv (read here, not by the code under test)."""
    import csv

    with (FIXTURE / "observations.csv").open(encoding="utf-8", newline="") as handle:
        return sum(1 for _ in csv.DictReader(handle))


#: A real restatement (Safer Essex Roads Partnership, June 2021: 2020's KSI figure restated from
#: the February release's 752 to 722), as tests/integration/test_import.py imports it.
SOURCES = (
    "source_id,title,publisher,published,version,url,kind\n"
    "serp-2021-06-provisional-2020,SERP releases provisional 2020 collision figures,"
    "Safer Essex Roads Partnership,2021-06-11,,"
    "https://saferessexroads.org/serp-releases-provision-2020-collision-figures/,official\n"
)
OBSERVATIONS = (
    "metric_id,area_id,basis,period,value,status,source_id,source_sentence,note\n"
    "ksi-casualties,essex,calendar_year,2020,722,provisional,serp-2021-06-provisional-2020,"
    '"“Seven hundred and twenty-two people were killed or seriously injured on the roads of '
    'Essex during 2020, which is a 17% reduction on the official figure for 2019.",\n'
)


@pytest.fixture(scope="session")
def topology(cluster: Cluster) -> Iterator[Topology]:
    cluster.sql("DROP TABLE IF EXISTS pcp_live, pcp_history, pcp_files, pcp_versions")
    work = Path(tempfile.mkdtemp(prefix="pcp-topology-"))
    topo: Topology | None = None
    try:
        env = {
            **os.environ,
            "PCP_STORE": cluster.url,
            "PCP_STORE_POLL_SECONDS": "1",
            "PCP_STORE_CONNECT_SECONDS": "2",
            "PCP_PROXY": "0",
            "PCP_THREADS": "4",
            "TMPDIR": str(work),
            "PYTHONPATH": str(REPO_ROOT),
        }
        env.pop("PCP_DEBUG", None)
        source = work / "filestore"
        shutil.copytree(FIXTURE, source, ignore=shutil.ignore_patterns(".*"))
        topo = Topology(cluster, [], "", work, {**env, "PCP_DATA_DIR": str(source)})
        for name, text in (("sources", SOURCES), ("observations", OBSERVATIONS)):
            topo.files[name] = work / f"{name}-2021-06.csv"
            topo.files[name].write_text(text, encoding="utf-8")
        # An operator's move from the file store: its first version, then copied into PostgreSQL.
        files_only = {k: v for k, v in topo.env.items() if k != "PCP_STORE"}
        done = topo.cli("publish", "--data-dir", str(source), env=files_only)
        assert done.returncode == 0, done.stderr
        done = topo.cli("store", "copy", "--data-dir", str(source))
        assert done.returncode == 0, done.stderr
        topo.observations = fixture_observations()
        for name in ("a", "b"):
            folder = work / f"host-{name}"
            (folder / "data").mkdir(parents=True)
            port = free_port()
            host_env = {
                **env,
                "PCP_DATA_DIR": str(folder / "data"),
                "PCP_STORE_CACHE": str(folder / "cache"),
            }
            topo.hosts.append(Host(name, f"http://127.0.0.1:{port}", folder, host_env, port))
        proxy_port = free_port()
        topo.proxy_url = f"http://127.0.0.1:{proxy_port}"
        for host in topo.hosts:
            host.start()
        topo.proxy = subprocess.Popen(
            [*CLI, "balance", "--bind", f"127.0.0.1:{proxy_port}"]
            + [a for h in topo.hosts for a in ("--upstream", f"127.0.0.1:{h.port}")],
            env=env,
            cwd=work,
            stdout=(work / "proxy.log").open("w"),
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        deadline = time.monotonic() + 20
        while healthz(topo.proxy_url).get("http") != 200:
            assert time.monotonic() < deadline, (work / "proxy.log").read_text()
            time.sleep(0.1)
        yield topo
    finally:
        if topo is not None and topo.proxy is not None:
            os.killpg(topo.proxy.pid, signal.SIGTERM)
            topo.proxy.wait(timeout=20)
        for host in topo.hosts if topo is not None else []:
            host.stop()
        shutil.rmtree(work, ignore_errors=True)


def wait_for(predicate, seconds: float, step: float = 0.05) -> float | None:
    """Seconds until ``predicate()`` held, or None if it did not within ``seconds``."""
    start = time.monotonic()
    while time.monotonic() - start < seconds:
        if predicate():
            return time.monotonic() - start
        time.sleep(step)
    return None
