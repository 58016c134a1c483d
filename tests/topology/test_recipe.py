"""docs/shared-store.md's "two-host topology by hand" works as written: its bash block is taken
from the file and run (only its first line, the addresses and the folder, set to free ports and
a temporary folder; as root, initdb and pg_ctl run as the postgres user, as its comment says).
The two hosts are served the shipped way (``pcp-dashboard serve``: nginx in front of gunicorn,
dashboard/proxy.py) with ``PCP_STORE`` set, the balancer in front of them; the first start
seeds the bundled dataset. Through the front: /healthz names the version the database holds,
and a page is drawn; each host says it serves that version from PostgreSQL."""

from __future__ import annotations

import json
import os
import pwd
import re
import shutil
import signal
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

import pytest

from dashboard.shell import page_request

from .conftest import REPO_ROOT, RUNUSER, free_port, healthz, postgres_bin, wait_for

DOCS = REPO_ROOT / "docs" / "shared-store.md"
FIRST_LINE = re.compile(r"^DB_PORT=\d+ HOST_A=\S+ HOST_B=\S+ FRONT=\S+ RUN=\S+$")


def recipe() -> list[str]:
    """The lines of the bash block under "The two-host topology by hand"."""
    text = DOCS.read_text(encoding="utf-8")
    section = text[text.index("## The two-host topology by hand") :]
    block = section[section.index("```bash\n") + len("```bash\n") :]
    return block[: block.index("```")].splitlines()


def sql(port: int, query: str) -> list[tuple]:
    import psycopg

    url = f"postgresql://pcp@127.0.0.1:{port}/postgres"
    with psycopg.connect(url, connect_timeout=5, autocommit=True) as conn:
        return list(conn.execute(query).fetchall())


def test_the_documented_two_host_topology_serves_through_its_front(tmp_path):
    bindir = postgres_bin()
    if bindir is None or shutil.which("nginx", path="/usr/sbin:/usr/bin") is None:
        pytest.skip("PostgreSQL or nginx is missing (bash scripts/setup.sh --test installs them)")
    lines = recipe()
    assert FIRST_LINE.match(lines[0]), lines[0]  # the line this test sets
    run = Path(tempfile.mkdtemp(prefix="pcp-recipe-"))
    run.chmod(0o755)  # the postgres user reaches its cluster inside it
    db_port, port_a, port_b, front = free_port(), free_port(), free_port(), free_port()
    first = (
        f"DB_PORT={db_port} HOST_A=127.0.0.1:{port_a} HOST_B=127.0.0.1:{port_b} "
        f"FRONT=127.0.0.1:{front} RUN={run}"
    )
    prelude = ["set -e"]
    if os.geteuid() == 0:  # the block's own comment: as root, initdb and pg_ctl as postgres
        (run / "pg").mkdir()
        owner = pwd.getpwnam("postgres")
        os.chown(run / "pg", owner.pw_uid, owner.pw_gid)
        prelude += [
            f'initdb() {{ {RUNUSER} -u postgres -- "$(type -P initdb)" "$@"; }}',
            f'pg_ctl() {{ {RUNUSER} -u postgres -- "$(type -P pg_ctl)" "$@"; }}',
        ]
    script = run / "recipe.sh"
    script.write_text("\n".join([*prelude, first, *lines[1:]]) + "\n", encoding="utf-8")
    env = {
        **os.environ,
        # the programs the block names: PostgreSQL's, nginx, and pcp-dashboard (this checkout's)
        "PATH": os.pathsep.join([str(bindir), "/usr/sbin", str(Path(sys.executable).parent)])
        + os.pathsep
        + os.environ.get("PATH", "/usr/bin:/bin"),
        "TMPDIR": str(tmp_path),
        "PYTHONPATH": str(REPO_ROOT),
    }
    for name in ("PCP_STORE", "PCP_DATA_DIR", "PCP_STORE_CACHE", "PCP_PROXY", "PCP_DEBUG"):
        env.pop(name, None)
    log = (run / "recipe.log").open("w")
    process = subprocess.Popen(
        ["bash", str(script)],
        cwd=run,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    front_url = f"http://127.0.0.1:{front}"
    try:
        urls = [front_url, f"http://127.0.0.1:{port_a}", f"http://127.0.0.1:{port_b}"]
        up = wait_for(lambda: all(healthz(u).get("http") == 200 for u in urls), 240, step=0.5)
        assert up is not None, (run / "recipe.log").read_text(errors="replace")[-4000:]
        live = sql(db_port, "SELECT version FROM pcp_live")[0][0]
        for port in (port_a, port_b):  # each host: its own nginx, then gunicorn
            health = healthz(f"http://127.0.0.1:{port}")
            assert health["http"] == 200 and health["status"] == "ok", health
            assert health["store"] == "postgresql" and health["version"] == live, health
        # seeded once, by whichever host started first: the bundled dataset, one history line
        assert sql(db_port, "SELECT count(*) FROM pcp_history")[0][0] == 1
        request = urllib.request.Request(
            f"{front_url}/_dash-update-component",
            data=json.dumps(page_request("/", "")).encode(),
            headers={"Content-Type": "application/json"},
        )
        with urllib.request.urlopen(request, timeout=60) as response:
            assert response.status == 200 and b'"response"' in response.read()
        assert healthz(front_url)["version"] == live
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
        as_user = [RUNUSER, "-u", "postgres", "--"] if os.geteuid() == 0 else []
        subprocess.run(
            [*as_user, str(bindir / "pg_ctl"), "-D", str(run / "pg" / "db"), "-m", "immediate"]
            + ["-w", "stop"],
            capture_output=True,
            timeout=60,
            check=False,
        )
        for _ in range(100):  # the hosts' gunicorn and nginx end with their serve
            try:
                os.killpg(process.pid, 0)
            except ProcessLookupError:
                break
            time.sleep(0.1)
        else:
            os.killpg(process.pid, signal.SIGKILL)
        shutil.rmtree(run, ignore_errors=True)
