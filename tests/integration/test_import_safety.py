"""Finding 8 of issue 14 (data side): validate and import agree, dates are real dates, imported
files are readable by others as the umask says, and a killed import leaves nothing behind.
"""

from __future__ import annotations

import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.data.model import load_dataset

FIXTURE = Path(__file__).resolve().parent.parent / "fixtures" / "dataset"
OBS_HEADER = "metric_id,area_id,basis,period,value,status,source_id,source_sentence,note"
SOURCES_HEADER = "source_id,title,publisher,published,version,url,kind"


@pytest.fixture
def data(data: Path, monkeypatch) -> Path:
    """The fixture dataset's copy (conftest), which the CLI reads as PCP_DATA_DIR."""
    monkeypatch.setenv("PCP_DATA_DIR", str(data))
    return data


def files_of(folder: Path) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir()) if p.is_file()}


def write(path: Path, *lines: str) -> Path:
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


DIGITS = {
    "full-width": "１５０",
    "Arabic-Indic": "١٥٠",
    "full-width with a thousands comma": "７０，００１",
}


@pytest.mark.parametrize("case", list(DIGITS))
def test_validate_and_import_agree_on_digits_in_other_scripts(case, data, tmp_path, capsys):
    value = DIGITS[case]
    figures = write(
        tmp_path / "digits.csv",
        OBS_HEADER,
        f'ksi-casualties,essex,quarter_count,2017-18-Q4,"{value}",final,pcp-2019-20-q4,S.,',
    )
    validated = main(["validate", str(figures)])
    validate_out, validate_err = capsys.readouterr()
    imported = main(["import", str(figures), "--data-dir", str(data)])
    import_out, import_err = capsys.readouterr()
    assert "Traceback" not in validate_out + validate_err + import_out + import_err
    assert validated == imported, (validate_out + validate_err, import_out + import_err)
    # Whatever either says is about the analyst's file, never about a row of the dataset.
    assert "observations.csv" not in validate_err + import_err
    assert "(dataset after import)" not in import_err
    if imported == 0:
        current = load_dataset(data).current
        row = current[
            (current["metric_id"] == "ksi-casualties") & (current["period"] == "2017-18-Q4")
        ]
        expected = float(
            value.translate(str.maketrans("１５０７，١٥٠", "1507,150")).replace(",", "")
        )
        assert row["value"].tolist() == [expected]
    else:
        assert "digits.csv, row 2, column 'value'" in validate_err + import_err


@pytest.mark.parametrize(
    "published", ["2019-99-99", "2019-02-30", "2019-13", "2019-00", "2999-01-01"]
)
def test_a_publication_date_must_be_a_real_date_not_in_the_future(
    published, data, tmp_path, capsys
):
    sources = write(
        tmp_path / "source.csv",
        SOURCES_HEADER,
        f"new-source,A title,A publisher,{published},,,official",
    )
    before = files_of(data)
    assert main(["validate", str(sources)]) == 1
    err = capsys.readouterr().err
    assert f"source.csv, row 2, column 'published': found '{published}'" in err, err
    assert main(["import", str(sources), "--data-dir", str(data)]) == 1
    assert files_of(data) == before


def test_imported_files_follow_the_umask(data, tmp_path, capsys):
    figures = write(
        tmp_path / "obs.csv",
        OBS_HEADER,
        "ksi-casualties,essex,quarter_count,2017-18-Q4,150,final,pcp-2019-20-q4,S.,",
    )
    old = os.umask(0o022)
    try:
        assert main(["import", str(figures), "--data-dir", str(data)]) == 0
    finally:
        os.umask(old)
    capsys.readouterr()
    for name in ("observations.csv", "sources.csv", "metrics.csv"):
        mode = (data / name).stat().st_mode & 0o777
        assert mode == 0o644, f"{name}: {oct(mode)}"


KILLS = 12


def test_a_killed_import_leaves_no_debris_and_no_false_history(tmp_path, capsys):
    """SIGKILL an import at a spread of moments (each on a fresh copy of the dataset); after
    each, the dataset is the old one or the new one, history lists only an import that
    happened, and the next command finds no debris."""
    figures = write(
        tmp_path / "obs.csv",
        OBS_HEADER,
        "ksi-casualties,essex,quarter_count,2017-18-Q4,150,final,pcp-2019-20-q4,S.,",
    )
    original = files_of(FIXTURE)
    command = [sys.executable, "-m", "dashboard.cli", "import", str(figures), "--data-dir"]
    # How long a whole import takes here and now (the machine is shared): kills are spread
    # over that span, from start-up to the last write.
    shutil.copytree(FIXTURE, tmp_path / "timing")
    started = time.monotonic()
    subprocess.run([*command, str(tmp_path / "timing")], capture_output=True, check=True)
    span = time.monotonic() - started
    outcomes = []
    for attempt in range(KILLS):
        data = tmp_path / f"data-{attempt}"
        shutil.copytree(FIXTURE, data)
        process = subprocess.Popen(
            [*command, str(data)], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        time.sleep(span * (0.35 + 0.7 * attempt / KILLS))
        process.send_signal(signal.SIGKILL)
        process.wait(timeout=30)
        # The next command finishes whatever the killed one left half done, then reports.
        assert main(["history", "--data-dir", str(data)]) == 0
        listing = capsys.readouterr().out
        landed = ",2017-18-Q4,150," in (data / "observations.csv").read_text(encoding="utf-8")
        outcomes.append(landed)
        if not landed:
            assert files_of(data) == original, f"attempt {attempt}: a half-changed dataset"
        assert ("obs.csv" in listing) == landed, f"attempt {attempt}: history says\n{listing}"
        assert main(["validate", "--quiet", str(data)]) == 0, f"attempt {attempt}"
        # The next import works and leaves no staging copy or temporary file behind.
        assert main(["import", str(figures), "--data-dir", str(data)]) == 0
        capsys.readouterr()
        leftovers = [
            str(p.relative_to(data))
            for p in data.rglob("*")
            if p.name.endswith(".tmp")
            or p.name.startswith(".import-")
            or p.parent.name == "staging"
        ]
        assert leftovers == [], f"attempt {attempt}: {leftovers}"
    print(
        f"killed {KILLS} imports (a whole one took {span:.1f} s): {sum(outcomes)} had landed, "
        f"{KILLS - sum(outcomes)} had not"
    )


def test_an_import_into_a_folder_that_keeps_no_versions_is_refused_with_the_way_out(
    data, tmp_path, capsys, monkeypatch
):
    """The bundled data of an installed package (or a read-only mount) is never written."""
    import dashboard.data.versions as versions

    monkeypatch.setattr(versions.VersionStore, "writable", property(lambda self: False))
    figures = write(
        tmp_path / "obs.csv",
        OBS_HEADER,
        "ksi-casualties,essex,quarter_count,2017-18-Q4,150,final,pcp-2019-20-q4,S.,",
    )
    before = files_of(data)
    assert main(["import", str(figures), "--data-dir", str(data)]) == 1
    err = capsys.readouterr().err
    assert "import refused, nothing changed" in err
    assert "set PCP_DATA_DIR to a writable folder" in err
    assert files_of(data) == before
