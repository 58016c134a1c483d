"""The dashboard as the Docker image holds it, without a Docker engine: the Dockerfile's own
build-stage steps run here, then its CMD starts from an empty folder as its non-root user.

- The build context is what the Dockerfile's build stage COPYs from a fresh clone, nothing else.
- Its RUN lines run as written, with the image's folders moved into a temporary one
  (``/opt/venv`` -> a new virtual environment outside the repository, ``/tmp/dist`` -> a folder
  beside it): the locked, hash-checked dependencies, then the wheel, built and installed.
- The run stage's ENV applies (PATH first to the virtual environment), except that the server
  listens on a free loopback port; the CMD runs as uid 10001 (the image's USER) in an empty
  home folder, so nothing of the project is in reach but the installed package.

Checked: ``/healthz``, a priority page with its published figure, an asset served from the
installed package (not the checkout), a chart image (kaleido and Debian's Chromium), and what
the wheel holds. Not exercised: the base image, apt inside it, Docker's HEALTHCHECK and networking.
"""

from __future__ import annotations

import json
import os
import re
import shlex
import subprocess
import tempfile
import time
import zipfile
from pathlib import Path

import pytest
from smoke_support import (
    clean_env,
    free_port,
    get,
    in_own_group,
    page_text,
    reference_text,
    report,
    served_by,
    started,
)

#: The image's user (Dockerfile ``USER``) and the folders the image uses.
IMAGE_UID = 10001
VENV, DIST = "/opt/venv", "/tmp/dist"
INSTALL_TIMEOUT = 900
START_TIMEOUT = 60.0


def instructions(dockerfile: Path) -> list[list[tuple[str, str]]]:
    """The Dockerfile's stages, each a list of (INSTRUCTION, arguments), continuations joined."""
    text = re.sub(r"\\\n", " ", dockerfile.read_text(encoding="utf-8"))
    stages: list[list[tuple[str, str]]] = []
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#"):
            continue
        keyword, _, args = line.partition(" ")
        if keyword.upper() == "FROM":
            stages.append([])
        stages[-1].append((keyword.upper(), " ".join(args.split())))
    return stages


def env_pairs(args: str) -> dict[str, str]:
    return dict(pair.split("=", 1) for pair in shlex.split(args))


def shared_folder(prefix: str) -> Path:
    """A temporary folder the image's user may read (pytest's own are private to root)."""
    folder = Path(tempfile.mkdtemp(prefix=prefix))
    folder.chmod(0o755)
    return folder


@pytest.fixture
def image_root():
    root = shared_folder("pcp-image-")
    yield root
    subprocess.run(["rm", "-rf", str(root)], check=False)


def test_installed_wheel_serves_from_an_empty_folder_as_the_image_user(clone, image_root, tmp_path):
    if os.geteuid() != 0:
        pytest.fail("this test starts the server as the image's user, so it needs root (as CI)")
    build, run = instructions(clone / "Dockerfile")
    context = image_root / "src"
    context.mkdir()
    venv, dist = image_root / "venv", image_root / "dist"

    # The build context: only what the build stage copies.
    for keyword, args in build:
        if keyword == "COPY":
            *sources, dest = args.split()
            target = context / dest  # dest is relative to the WORKDIR, the context here
            if dest.endswith("/"):
                target.mkdir(parents=True, exist_ok=True)
            for source in sources:
                subprocess.run(["cp", "-a", str(clone / source), str(target)], check=True)
    assert not (context / "tests").exists() and not (context / ".git").exists()

    # The build stage's RUN lines, as written, with the image's folders moved here.
    shim = image_root / "bin"
    shim.mkdir()
    (shim / "python").symlink_to("/usr/bin/python3")  # the image's `python`
    build_env = clean_env(path=f"{shim}:/usr/bin:/bin")
    begin = time.monotonic()
    for keyword, args in build:
        if keyword == "RUN":
            command = args.replace(VENV, str(venv)).replace(DIST, str(dist))
            result = subprocess.run(
                ["bash", "-euo", "pipefail", "-c", command], cwd=context, env=build_env,
                capture_output=True, text=True, timeout=INSTALL_TIMEOUT,
            )  # fmt: skip
            assert result.returncode == 0, f"RUN {command}\n{result.stdout}\n{result.stderr}"
    installed = time.monotonic() - begin
    report(f"Dockerfile build steps (lock + wheel) into a new venv: {installed:.1f} s")

    # What the wheel holds: the package, its assets and dataset tables; no tests, no raw files.
    (wheel,) = dist.glob("pcp_dashboard-*.whl")
    names = set(zipfile.ZipFile(wheel).namelist())
    for needed in (
        "dashboard/wsgi.py",
        "dashboard/gunicorn_conf.py",
        "dashboard/assets/screen.css",
        "dashboard/assets/plotly-basic.min.js",
        "dashboard/bundled_data/observations.csv",
        "dashboard/bundled_data/README.md",
    ):
        assert needed in names, f"the wheel has no {needed}"
    assert not [n for n in names if n.startswith(("tests/", "benchmarks/", "data/", "app.py"))]
    assert not [n for n in names if "/published/" in n or "/.history/" in n]

    # The run stage: its ENV (PATH to the venv), an empty home folder, the CMD as its user.
    (cmd,) = [json.loads(args) for keyword, args in run if keyword == "CMD"]
    (user,) = [args for keyword, args in run if keyword == "USER"]
    assert user == str(IMAGE_UID)
    port = free_port()
    env = {}
    for keyword, args in run:
        if keyword == "ENV":
            env.update(env_pairs(args))
    env["PATH"] = (
        env["PATH"].replace(f"{VENV}/bin", str(venv / "bin")).replace("$PATH", "/usr/bin:/bin")
    )
    home = image_root / "home"
    home.mkdir()
    os.chown(home, IMAGE_UID, IMAGE_UID)
    env.update(HOME=str(home), PCP_BIND=f"127.0.0.1:{port}")
    as_user = ["setpriv", f"--reuid={IMAGE_UID}", f"--regid={IMAGE_UID}", "--clear-groups"]
    command = in_own_group(env, *as_user, *cmd)
    with started(
        command, cwd=home, port=port, log=tmp_path / "serve.log", timeout=START_TIMEOUT
    ) as server:
        report(f"Docker CMD {cmd} from an empty folder: /healthz 200 after "
               f"{server.seconds_to_healthy:.1f} s")  # fmt: skip
        status, health = get(f"{server.url}/healthz")
        priority = page_text(server.url, "/priority/7")
        css_status, css = get(f"{server.url}/assets/screen.css")
        png_status, png = get(f"{server.url}/download/chart/ksi-casualties.png", timeout=60)
        argv, children, programs, server_header = served_by(server.process.pid, port)
        owner = Path(f"/proc/{server.process.pid}").stat().st_uid
        log_text = server.log_text()

    assert status == 200 and json.loads(health)["latest_quarter"] == "2019-20-Q4"
    assert "168 in 2019/20 Q4" in priority
    assert "There were 168 Killed and seriously Injured (KSI) casualties" in reference_text()
    (site,) = venv.glob("lib/python3*/site-packages")
    assert css_status == 200 and css == (site / "dashboard" / "assets" / "screen.css").read_bytes()
    assert png_status == 200 and png.startswith(b"\x89PNG"), png[:200]
    # `pcp-dashboard serve` runs gunicorn from the venv's own interpreter (python or python3, as
    # the venv was made) and Debian's nginx in front of it, which answers on the port.
    assert argv[1:3] == [f"{venv}/bin/pcp-dashboard".encode(), b"serve"]
    gunicorn = [c for c in children if c[1:3] == [b"-m", b"gunicorn"]]
    assert len(gunicorn) == 1 and gunicorn[0][0].decode().startswith(f"{venv}/bin/python")
    assert [p for p in programs if "nginx" in p] == ["/usr/sbin/nginx"]
    assert server_header == "nginx"
    assert owner == IMAGE_UID
    assert "Traceback" not in log_text
    assert "Using worker: gthread" in log_text  # the shipped gunicorn settings applied
    # The one code path of dashboard.resources finds the installed package's own folders.
    where = subprocess.run(
        [str(venv / "bin" / "python"), "-c",
         "from dashboard import resources as r; print(r.assets_dir()); print(r.bundled_data_dir())"],
        cwd=home, env=clean_env(), capture_output=True, text=True, check=True,
    ).stdout.split()  # fmt: skip
    assert where == [str(site / "dashboard" / "assets"), str(site / "dashboard" / "bundled_data")]
