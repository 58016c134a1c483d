"""Issue 25, finding 8: on a full disk an import says it went live or leaves the previous
version live, never both.

Before: when the disk filled up after the switch (the history line, the rewrite of the flat
files), ``import`` printed "No space left on device; nothing changed" although the new version
was live. The test makes the disk full exactly there (the rewrite of the flat files), which a
real filled tmpfs hits only in a window narrower than its 4 KB pages for the test dataset.
"""

from __future__ import annotations

import errno
import os
from pathlib import Path

from dashboard.cli import main
from dashboard.data import versions
from dashboard.data.versions import VersionStore

OBS_HEADER = "metric_id,area_id,basis,period,value,status,source_id,source_sentence,note"
NEW_ROW = "ksi-casualties,essex,quarter_count,2017-18-Q4,150,final,pcp-2019-20-q4,S.,"


def new_figures(folder: Path, row: str = NEW_ROW, name: str = "new.csv") -> Path:
    path = folder / name
    path.write_text(f"{OBS_HEADER}\n{row}\n", encoding="utf-8")
    return path


#: Imported first, so that there is a live version to keep.
FIRST_ROW = NEW_ROW.replace(",150,", ",140,").replace("2017-18-Q4", "2017-18-Q3")


def test_a_full_disk_after_the_switch_says_live_not_nothing_changed(
    tmp_path, data, monkeypatch, capsys
):
    monkeypatch.setenv("PCP_DATA_DIR", str(data))
    assert main(["import", str(new_figures(tmp_path, FIRST_ROW, "first.csv"))]) == 0
    before = VersionStore(data).current_version()
    capsys.readouterr()

    def full(source: Path, target: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(target))

    monkeypatch.setattr(versions, "copy_atomic", full)
    code = main(["import", str(new_figures(tmp_path)), "--data-dir", str(data)])
    out, err = capsys.readouterr()
    live = VersionStore(data).current_version()
    assert live != before, "the switch did not happen: the test no longer fails where meant"
    assert "nothing changed" not in out + err
    assert f"version {live} is live" in out
    assert "No space left on device" in err and "finished by the next command" in err
    assert code == 0
    # With room again, the next command finishes the flat files.
    monkeypatch.undo()
    monkeypatch.setenv("PCP_DATA_DIR", str(data))
    main(["history"])
    assert NEW_ROW.split(",")[4] in (data / "observations.csv").read_text(encoding="utf-8")
    assert not (VersionStore(data).root / "mirror-pending").exists()
