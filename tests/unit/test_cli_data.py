"""`pcp-dashboard validate | import | history | rollback` as a user runs them."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.config import BUNDLED_DATA

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dataset"
OBS_HEADER = "metric_id,area_id,basis,period,value,status,source_id,source_sentence,note"
ROW = "ksi-casualties,essex,quarter_count,Q4 2017/18,150,final,pcp-2019-20-q4,S.,"


@pytest.fixture
def data(tmp_path: Path, monkeypatch) -> Path:
    target = tmp_path / "data"
    shutil.copytree(FIXTURE, target)
    monkeypatch.setenv("PCP_DATA_DIR", str(target))
    return target


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err
    return code, out, err


def test_validate_uses_pcp_data_dir(data, capsys):
    code, out, _ = run(capsys, "validate")
    assert code == 0
    assert f"dataset {data}: valid" in out


def test_validate_defaults_to_the_bundled_data(monkeypatch, capsys):
    monkeypatch.delenv("PCP_DATA_DIR", raising=False)
    code, out, err = run(capsys, "validate", "--quiet")
    assert f"dataset {BUNDLED_DATA}" in out + err


def test_validate_reports_every_problem_with_its_place(data, capsys):
    obs = data / "observations.csv"
    obs.write_text(
        obs.read_text(encoding="utf-8").replace(",168,", ",n/a,").replace(",72401,", ",-1,"),
        encoding="utf-8",
    )
    metrics = data / "metrics.csv"
    metrics.write_text(
        metrics.read_text(encoding="utf-8").replace(",7,p7-o1,count,", ",7,p7-o1,counts,"),
        encoding="utf-8",
    )
    code, _, err = run(capsys, "validate")
    assert code == 1
    assert "problem(s)" in err
    assert "column 'value': found 'n/a' — error: a number" in err
    assert "column 'value': found '-1' — error: zero or more" in err
    assert "column 'unit': found 'counts' — error: one of count, percent" in err
    assert "3 problem(s)" in err


def test_validate_a_single_file_against_the_dataset(data, tmp_path, capsys):
    good = tmp_path / "good.csv"
    good.write_text(f"{OBS_HEADER}\n{ROW}\n", encoding="utf-8")
    code, out, _ = run(capsys, "validate", str(good))
    assert code == 0
    assert f"file {good}: valid" in out
    bad = tmp_path / "bad.csv"
    bad.write_text(f"{OBS_HEADER}\n{ROW.replace('ksi-casualties', 'ksi')}\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(good), str(bad))
    assert code == 1
    assert (
        "bad.csv, row 2, column 'metric_id': found 'ksi' — error: a metric listed in metrics.csv"
        in err
    )


def test_validate_a_file_that_is_no_table(data, tmp_path, capsys):
    path = tmp_path / "shopping.csv"
    path.write_text("item,qty\neggs,6\n", encoding="utf-8")
    code, _, err = run(capsys, "validate", str(path))
    assert code == 1
    assert "shopping.csv, row 1: found 'item, qty' — error: the columns of a table" in err


def test_validate_missing_path(capsys, tmp_path):
    code, _, err = run(capsys, "validate", str(tmp_path / "nowhere"))
    assert code == 2
    assert "no such file or folder" in err


def test_import_into_pcp_data_dir_then_history(data, tmp_path, capsys):
    path = tmp_path / "ksi.csv"
    path.write_text(f"{OBS_HEADER}\n{ROW}\n", encoding="utf-8")
    code, out, _ = run(capsys, "import", str(path))
    assert code == 0
    assert "observations: 1 new row(s), 0 already present" in out
    assert f"imported into {data}" in out
    assert "2017-18-Q4,150" in (data / "observations.csv").read_text(encoding="utf-8")
    code, out, _ = run(capsys, "history")
    assert "import of ksi.csv (1 new row(s)) <- live" in out


def test_history_when_there_is_none(data, capsys):
    code, out, _ = run(capsys, "history")
    assert code == 0
    assert f"no versions of {data} yet" in out


def test_import_a_missing_file(data, tmp_path, capsys):
    code, _, err = run(capsys, "import", str(tmp_path / "nope.csv"))
    assert code == 2
    assert "no such file" in err


def test_import_into_an_invalid_dataset_is_refused(data, tmp_path, capsys):
    (data / "areas.csv").write_text("area_id\n", encoding="utf-8")
    path = tmp_path / "ksi.csv"
    path.write_text(f"{OBS_HEADER}\n{ROW}\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(path))
    assert code == 1
    assert "(current dataset)" in err


def test_import_into_a_read_only_folder_is_a_message(data, tmp_path, capsys, monkeypatch):
    import dashboard.data.importer as importer

    def refuse(*args, **kwargs):
        raise PermissionError(13, "Permission denied", str(data))

    monkeypatch.setattr(importer.tempfile, "mkdtemp", refuse)
    path = tmp_path / "ksi.csv"
    path.write_text(f"{OBS_HEADER}\n{ROW}\n", encoding="utf-8")
    code, _, err = run(capsys, "import", str(path))
    assert code == 1
    assert f"{data}: Permission denied; nothing changed" in err
