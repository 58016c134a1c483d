"""The install holds against the future: a package index that later offers a newer release of a
locked package (with extras, as fonttools[woff] is required by weasyprint) changes nothing.

scripts/install_lock.sh is what scripts/setup.sh and the Dockerfile run. Here it installs the
runtime lock into new virtual environments whose bundled pip is an old one (22.3, what Python
3.11.0's ensurepip ships; 23.0.1, Debian 12's), while a local folder, offered on top of the
index, holds a fonttools 99.0 built by the test. The locked version must go in, hash-checked.

The control shows the hazard is real: the install the project used before (the bundled pip
running ``pip install --require-hashes -r requirements.txt``) is refused in the same setting,
as it was on 2026-12-07 when the index published fonttools 4.69.1.
"""

from __future__ import annotations

import base64
import hashlib
import os
import re
import subprocess
import sys
import time
import zipfile
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parents[2]
LOCK = REPO_ROOT / "requirements.txt"
INSTALL = REPO_ROOT / "scripts" / "install_lock.sh"
TIMEOUT = 900


def locked_version(package: str) -> str:
    match = re.search(rf"^{re.escape(package)}==(\S+)", LOCK.read_text(), re.MULTILINE)
    assert match, f"{package} is not in {LOCK.name}"
    return match.group(1)


def _record_line(name: str, data: bytes) -> str:
    digest = base64.urlsafe_b64encode(hashlib.sha256(data).digest()).rstrip(b"=").decode()
    return f"{name},sha256={digest},{len(data)}"


def build_future_fonttools(folder: Path, version: str = "99.0") -> Path:
    """A valid wheel of a fonttools newer than any real one, with the ``woff`` extra."""
    dist_info = f"fonttools-{version}.dist-info"
    files = {
        "fontTools/__init__.py": b"version = '99.0'  # SYNTHETIC: built by a test\n",
        f"{dist_info}/METADATA": (
            "Metadata-Version: 2.1\nName: fonttools\n"
            f"Version: {version}\nSummary: SYNTHETIC future release built by a test\n"
            "Provides-Extra: woff\nRequires-Dist: brotli>=1.0.1; extra == 'woff'\n"
        ).encode(),
        f"{dist_info}/WHEEL": b"Wheel-Version: 1.0\nGenerator: test\nRoot-Is-Purelib: true\n"
        b"Tag: py3-none-any\n",
    }
    record = [_record_line(name, data) for name, data in files.items()]
    record.append(f"{dist_info}/RECORD,,")
    files[f"{dist_info}/RECORD"] = ("\n".join(record) + "\n").encode()
    wheel = folder / f"fonttools-{version}-py3-none-any.whl"
    with zipfile.ZipFile(wheel, "w") as archive:
        for name, data in files.items():
            archive.writestr(name, data)
    return wheel


def run(command: list[str], env: dict[str, str], **kwargs) -> subprocess.CompletedProcess:
    return subprocess.run(
        command, env=env, capture_output=True, text=True, timeout=TIMEOUT, **kwargs
    )


def venv_with_pip(folder: Path, pip_version: str, env: dict[str, str]) -> Path:
    """A new virtual environment whose pip is ``pip_version`` (as an old machine's would be)."""
    base = getattr(sys, "_base_executable", sys.executable)
    subprocess.run([base, "-m", "venv", str(folder)], check=True, timeout=TIMEOUT)
    python = folder / "bin" / "python"
    result = run([str(python), "-m", "pip", "install", "--quiet", f"pip=={pip_version}"], env)
    assert result.returncode == 0, result.stderr
    shown = run([str(python), "-m", "pip", "--version"], env).stdout
    assert shown.startswith(f"pip {pip_version} "), shown
    return python


def installed_version(python: Path, package: str) -> str:
    code = f"import importlib.metadata as m; print(m.version({package!r}))"
    return subprocess.run(
        [str(python), "-c", code], check=True, capture_output=True, text=True
    ).stdout.strip()


@pytest.fixture
def future_index(tmp_path) -> dict[str, str]:
    """The environment of an install while a local folder offers fonttools 99.0 beside the index."""
    folder = tmp_path / "future"
    folder.mkdir()
    build_future_fonttools(folder)
    env = {k: v for k, v in os.environ.items() if not k.startswith("PYTHON")}
    env["PIP_FIND_LINKS"] = " ".join(filter(None, [str(folder), env.get("PIP_FIND_LINKS")]))
    env["PIP_DISABLE_PIP_VERSION_CHECK"] = "1"
    return env


@pytest.mark.parametrize("bundled_pip", ["22.3", "23.0.1"])
def test_the_lock_installs_its_own_versions_while_a_newer_release_is_offered(
    tmp_path, future_index, bundled_pip
):
    python = venv_with_pip(tmp_path / "venv", bundled_pip, future_index)
    begin = time.monotonic()
    result = run(["bash", str(INSTALL), str(python), str(LOCK)], future_index)
    took = time.monotonic() - begin
    assert result.returncode == 0, f"{result.stdout}\n{result.stderr}"
    print(
        f"\n[install] lock with bundled pip {bundled_pip} and fonttools 99.0 offered: {took:.1f} s"
    )
    # Exactly the locked versions: the offered release was never taken.
    assert installed_version(python, "fonttools") == locked_version("fonttools")
    assert installed_version(python, "weasyprint") == locked_version("weasyprint")
    # The installer is the pinned one, whatever pip the venv came with.
    bootstrap = (REPO_ROOT / "requirements-bootstrap.txt").read_text()
    pinned_pip = re.search(r"^pip==(\S+)", bootstrap, re.MULTILINE).group(1)
    assert installed_version(python, "pip") == pinned_pip


def test_the_bundled_pip_alone_is_refused_in_the_same_setting(tmp_path, future_index):
    """The control: without the bootstrap, Debian 12's pip fails on the same lock and index."""
    python = venv_with_pip(tmp_path / "venv", "23.0.1", future_index)
    result = run(
        [str(python), "-m", "pip", "install", "--require-hashes", "-r", str(LOCK)], future_index
    )
    assert result.returncode != 0
    assert "fonttools" in result.stderr and "pinned with ==" in result.stderr, result.stderr
