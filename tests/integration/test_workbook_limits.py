"""Finding 3 of issue 14: a small hostile workbook must not exhaust memory or time.

Each file is checked by a real `pcp-dashboard validate FILE` process. The process must stop by
itself at a limit, with a message that names the file (and the row where there is one), well
under 500 MB of memory. A watchdog kills it after WATCHDOG_SECONDS or above WATCHDOG_MB, so a
reader without limits fails the test instead of taking the machine down.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest
import workbook_bombs as bombs

WATCHDOG_SECONDS = 60
WATCHDOG_MB = 1500
MEMORY_LIMIT_MB = 500


def _status_mb(pid: int, field: str) -> float:
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


def _rss_mb(pid: int) -> float:
    return _status_mb(pid, "VmRSS")


def run_bounded(argv: list[str], env: dict[str, str]) -> tuple[int, str, str, float, float, str]:
    """(exit code, stdout, stderr, seconds, peak RSS in MB, why it was killed or '')."""
    out_file = env["_OUT"]
    with open(out_file, "w") as out, open(out_file + ".err", "w") as err:
        started = time.monotonic()
        process = subprocess.Popen(argv, stdout=out, stderr=err, env=env)
        killed = []
        peak = [0.0]
        done = threading.Event()

        def watch():
            # Never poll() here: that would reap the child before os.wait4 reads its usage.
            # The peak is the child's own high-water mark (VmHWM, reset when it exec'd), not
            # wait4's ru_maxrss: that counts the memory of the test process it was forked from.
            while not done.is_set():
                elapsed = time.monotonic() - started
                rss = _rss_mb(process.pid)
                peak[0] = max(peak[0], _status_mb(process.pid, "VmHWM"))
                if elapsed > WATCHDOG_SECONDS or rss > WATCHDOG_MB:
                    killed.append(f"killed after {elapsed:.0f} s at {rss:.0f} MB")
                    os.kill(process.pid, signal.SIGKILL)
                    return
                done.wait(0.01)

        watcher = threading.Thread(target=watch, daemon=True)
        watcher.start()
        _, status, _usage = os.wait4(process.pid, 0)
        done.set()
        process.returncode = os.waitstatus_to_exitcode(status)
        seconds = time.monotonic() - started
        watcher.join(timeout=5)
    return (
        process.returncode,
        Path(out_file).read_text(),
        Path(out_file + ".err").read_text(),
        seconds,
        peak[0],
        killed[0] if killed else "",
    )


def assert_refused(
    path: Path, env: dict[str, str], where: str | None, says: str, command: str = "import"
) -> None:
    """`pcp-dashboard COMMAND PATH` stops by itself at a limit: exit 1, a message naming the
    file (at ``where``; None: the whole file) and saying ``says``, under MEMORY_LIMIT_MB, the
    dataset unchanged. Its time and peak memory are printed."""
    name = path.name
    size_mb = path.stat().st_size / 2**20
    before = {p.name: p.read_bytes() for p in Path(env["PCP_DATA_DIR"]).glob("*.csv")}
    code, out, err, seconds, peak, killed = run_bounded(
        [sys.executable, "-m", "dashboard.cli", command, str(path)], env
    )
    print(
        f"{command} {name}: {size_mb:.2f} MB file, exit {code}, {seconds:.1f} s, peak {peak:.0f} MB"
    )
    assert not killed, f"{name}: {killed} (no limit stopped it)"
    assert code == 1, out + err
    assert "Traceback" not in out + err
    located = f"{name}, {where}" if where else f"{name} — error"
    assert located in err and says in err, err
    assert peak < MEMORY_LIMIT_MB, f"{name}: peak RSS {peak:.0f} MB"
    after = {p.name: p.read_bytes() for p in Path(env["PCP_DATA_DIR"]).glob("*.csv")}
    assert after == before


#: file name -> (builder, where the message points, whether it names a limit). The lying bomb
#: is stopped by the zip format itself (its sheet is longer than its header says): damaged.
CASES = {
    # 1,000,000 formatted rows of 9 cells unpack to 209 MB: refused before reading.
    "formatted-empty-rows.xlsx": (bombs.formatted_empty_rows, None, True),
    # The same rows with one formatted cell each unpack to 40 MB: stopped at the row limit.
    "formatted-narrow-rows.xlsx": (
        lambda p: bombs.formatted_empty_rows(p, columns=1),
        "row ",
        True,
    ),
    "zip-bomb.xlsx": (bombs.zip_bomb, None, True),
    "lying-zip-bomb.xlsx": (bombs.lying_zip_bomb, None, False),
    "huge-cell.xlsx": (bombs.huge_cell, "row 2, column 'source_sentence'", True),
    "wide-header.xlsx": (bombs.wide_header, "row 1", True),
    "repeated-rows.ods": (bombs.ods_repeated_rows, "row ", True),
    "repeated-columns.ods": (bombs.ods_repeated_columns, "row 1", True),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_workbook_bomb_stops_at_a_limit_quickly_and_with_little_memory(name, tmp_path, env):
    build, where, names_limit = CASES[name]
    assert_refused(build(tmp_path / name), env, where, "limit" if names_limit else "", "validate")


def test_import_of_a_bomb_is_refused_by_the_same_limit_and_changes_nothing(tmp_path, env):
    assert_refused(
        bombs.formatted_empty_rows(tmp_path / "rows.xlsx", columns=1), env, "row ", "limit"
    )
