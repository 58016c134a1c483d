"""Shared, light fixtures for every test folder: where the repository and its bundled data are.

Nothing here starts a server or a browser (see tests/browser/conftest.py for those).

Under ``CI=true`` a skipped test fails: CI installs everything the tests need (scripts/setup.sh
--test), so a skip there means a missing install step hidden by a green run, as a missing
LibreOffice (``soffice``) once was. Locally a skip stays a skip, with its reason (``-ra``).
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
BUNDLED_DATA = REPO_ROOT / "data"


def _in_ci() -> bool:
    return os.environ.get("CI", "").strip().lower() in {"1", "true", "yes"}


#: The tiers, one folder each (README "Test it"): ``-m unit`` is the one-minute loop.
TIERS = ("unit", "app", "integration", "browser", "topology", "smoke")


def pytest_collection_modifyitems(items):
    """Each test carries its folder's tier as a marker (``-m "unit or app"``)."""
    tests_dir = Path(__file__).parent
    for item in items:
        parts = Path(item.fspath).relative_to(tests_dir).parts
        if parts and parts[0] in TIERS:
            item.add_marker(getattr(pytest.mark, parts[0]))


#: Where a server or app started on the checkout's own data/ would keep its dataset versions.
CHECKOUT_VERSIONS = BUNDLED_DATA / ".versions"
_versions_before = CHECKOUT_VERSIONS.exists()


def pytest_sessionfinish(session, exitstatus):
    """A test that started an app or server on the checkout's data/ (not the session's copy,
    ``bundled_data_dir``) fails the run, naming what it left (scripts/test.sh also compares the
    whole checkout before and after)."""
    if (
        not _versions_before
        and CHECKOUT_VERSIONS.exists()
        and not hasattr(session.config, "workerinput")
    ):
        session.config.pluginmanager.get_plugin("terminalreporter").write_line(
            f"FAILED: a test wrote {CHECKOUT_VERSIONS} (the checkout's data/): use the "
            "bundled_data_dir fixture, a private copy",
            red=True,
        )
        session.exitstatus = pytest.ExitCode.TESTS_FAILED


@pytest.hookimpl(wrapper=True)
def pytest_runtest_makereport(item, call):
    report = yield
    if report.skipped and not hasattr(report, "wasxfail") and _in_ci():
        reason = report.longrepr[2] if isinstance(report.longrepr, tuple) else report.longrepr
        report.outcome = "failed"
        report.longrepr = (
            f"skipped under CI=true ({reason}): CI installs everything the tests need, "
            "so install what is missing in scripts/setup.sh"
        )
    return report


@pytest.fixture(scope="session")
def repo_root() -> Path:
    """The repository's root folder (where app.py and data/ are)."""
    return REPO_ROOT


@pytest.fixture(scope="session", autouse=True)
def bundled_data_dir(tmp_path_factory) -> Iterator[Path]:
    """A private copy of the bundled dataset, data/, made once per session (per xdist worker).

    A server or app started on a dataset folder keeps its versions inside it (``.versions/``),
    so no test may start one on the checkout's own data/: a test run leaves the checkout as it
    found it (scripts/test.sh checks). This copy is also the default for everything the tests
    start that reads ``PCP_DATA_DIR`` (``create_app()``, the CLI, the session's gunicorn).
    Tests that change data still copy this folder to their own tmp first, leaving out its
    dot-folders (``shutil.ignore_patterns(".*")``): the session's servers keep their versions
    in ``.versions`` here, and a copy with another server's versions and lock is not the
    bundled data."""
    copy = tmp_path_factory.mktemp("bundled") / "data"
    shutil.copytree(BUNDLED_DATA, copy, ignore=shutil.ignore_patterns(".*"))
    saved = os.environ.get("PCP_DATA_DIR")
    os.environ["PCP_DATA_DIR"] = str(copy)
    yield copy
    if saved is None:
        os.environ.pop("PCP_DATA_DIR", None)
    else:
        os.environ["PCP_DATA_DIR"] = saved


@pytest.fixture(scope="session")
def bundled_dataset(bundled_data_dir):
    """The bundled data, validated and loaded once for the whole session (read-only: tests that
    change data copy the folder to tmp first)."""
    from dashboard.data.model import load_dataset

    return load_dataset(bundled_data_dir)
