"""Finding 2 of issue 14: two imports at the same time must both land, or one must be refused
with a message; never both "imported" with one file's rows silently lost.

Each trial starts two real `pcp-dashboard import` processes on the same dataset at once, each
adding a different row, and then reads the dataset back.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dataset"
OBS_HEADER = "metric_id,area_id,basis,period,value,status,source_id,source_sentence,note"
ROWS = {
    "first": "ksi-casualties,essex,quarter_count,2017-18-Q4,150,final,pcp-2019-20-q4,S.,",
    "second": "emergency-calls-999,essex,quarter_count,2017-18-Q4,70001,final,pcp-2019-20-q4,S.,",
}
TRIALS = 5


def start_import(file: Path, data: Path) -> subprocess.Popen:
    return subprocess.Popen(
        [sys.executable, "-m", "dashboard.cli", "import", str(file), "--data-dir", str(data)],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


@pytest.mark.parametrize("trial", range(TRIALS))
def test_two_imports_at_once_both_land_or_one_is_refused_with_a_message(trial, tmp_path):
    data = tmp_path / "data"
    shutil.copytree(FIXTURE, data)
    files = {}
    for name, row in ROWS.items():
        files[name] = tmp_path / f"{name}.csv"
        files[name].write_text(f"{OBS_HEADER}\n{row}\n", encoding="utf-8")
    processes = {name: start_import(file, data) for name, file in files.items()}
    results = {}
    for name, process in processes.items():
        out, err = process.communicate(timeout=120)
        results[name] = (process.returncode, out, err)
    observations = (data / "observations.csv").read_text(encoding="utf-8")
    for name, (code, out, err) in results.items():
        assert "Traceback" not in out + err
        landed = ",".join(ROWS[name].split(",")[3:5]) in observations  # period,value
        if code == 0:
            assert "imported into" in out
            assert landed, f"{name}: said 'imported' but its row is not in the dataset"
        else:
            assert "another import" in err, err
            assert not landed
    assert any(code == 0 for code, _, _ in results.values())
