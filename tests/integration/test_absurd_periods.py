"""Finding 1 and 5 of issue 14: an absurd period must never take the dashboard down or become
the default quarter.

Each period below is one that validation used to accept: its date range cannot be built
("9999/00 Q4" ends in the year 10000, "12m-to-0000-12" ends in the year 0) or it lies far after
every publication (one 2099/00 Q1 row). After trying to import it, every page, /healthz and the
export command must still work and the front page must open on the real latest quarter.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.cli import main
from dashboard.config import Settings

OBS_HEADER = "metric_id,area_id,basis,period,value,status,source_id,source_sentence,note"
BROKEN = ("Traceback", "Something went wrong")

ABSURD = {
    "quarter ending in the year 10000": "ksi-casualties,essex,quarter_count,9999/00 Q4,5,final,"
    "pcp-2019-20-q4,S.,",
    "financial year ending in the year 10000": "ksi-casualties,essex,financial_year,9999-00,5,"
    "final,pcp-2019-20-q4,S.,",
    "rolling year ending in the year 0": "ksi-casualties,essex,rolling_12m,12m-to-0000-12,5,final,"
    "pcp-2019-20-q4,S.,",
    "one quarter eighty years after its source": "ksi-casualties,essex,quarter_count,2099/00 Q1,"
    "5,final,pcp-2019-20-q4,S.,",
}


@pytest.fixture
def data(bundled_copy: Path) -> Path:
    return bundled_copy


def page_body(app, pathname: str, search: str = "") -> dict:
    """The body the browser POSTs for the page callback (the shell's own description of it)."""
    from dashboard.shell import page_request

    return page_request(pathname, search)


def every_path(data: Path) -> list[str]:
    metrics = [line.split(",")[0] for line in (data / "metrics.csv").read_text().splitlines()[1:]]
    areas = [line.split(",")[0] for line in (data / "areas.csv").read_text().splitlines()[1:]]
    return [
        "/",
        *(f"/priority/{n}" for n in range(1, 8)),
        *(f"/metric/{m}" for m in metrics),
        *(f"/area/{a}" for a in areas),
        "/narrative",
        "/about",
        "/present",
    ]


@pytest.mark.parametrize("case", list(ABSURD))
def test_an_absurd_period_leaves_every_page_working_and_the_default_quarter_real(
    case, data, tmp_path, capsys
):
    figures = tmp_path / "absurd.csv"
    figures.write_text(f"{OBS_HEADER}\n{ABSURD[case]}\n", encoding="utf-8")
    code = main(["import", str(figures), "--data-dir", str(data)])
    out, err = capsys.readouterr()
    assert "Traceback" not in out + err

    app = create_app(Settings(data_dir=data, debug=False, reload_interval=0))
    client = app.server.test_client()
    health = client.get("/healthz")
    assert health.status_code == 200
    assert health.get_json()["latest_quarter"] == "2019-20-Q4"
    for path in every_path(data):
        response = client.post("/_dash-update-component", json=page_body(app, path))
        assert response.status_code == 200, path
        text = response.get_data(as_text=True)
        assert not any(b in text for b in BROKEN), path
    overview = json.dumps(
        client.post("/_dash-update-component", json=page_body(app, "/")).get_json()
    )
    assert "Plan at a glance: 2019/20 Q4" in overview

    out_file = tmp_path / "pack.csv"
    assert main(["export", "--format", "csv", "--out", str(out_file), "--data-dir", str(data)]) == 0
    assert "Traceback" not in "".join(capsys.readouterr())
    # And it was refused, with the analyst's file, row and column named: not a real period.
    assert code == 1, out
    assert "absurd.csv, row 2, column 'period'" in err, err


@pytest.mark.parametrize("case", list(ABSURD))
def test_validate_refuses_the_absurd_period_with_its_place(
    case, data, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("PCP_DATA_DIR", str(data))
    figures = tmp_path / "absurd.csv"
    figures.write_text(f"{OBS_HEADER}\n{ABSURD[case]}\n", encoding="utf-8")
    assert main(["validate", str(figures)]) == 1
    err = capsys.readouterr().err
    assert "absurd.csv, row 2, column 'period'" in err, err


def test_a_dataset_written_with_an_absurd_period_is_refused_and_the_last_good_one_kept(
    data, capsys
):
    """Files changed behind the importer's back (by hand, by another tool) get the same check:
    the store never publishes them (issue 25, finding 4), `publish` refuses them as a whole,
    and the last good data keep being served."""
    from dashboard.data.store import DatasetStore

    store = DatasetStore(data, reload_interval=0)
    good = store.get()
    assert good is not None and good.latest_quarter == "2019-20-Q4"
    observations = data / "observations.csv"
    observations.write_text(
        observations.read_text(encoding="utf-8")
        + ABSURD["quarter ending in the year 10000"]
        + "\n",
        encoding="utf-8",
    )
    served = store.get()
    assert served is not None
    assert served.latest_quarter == "2019-20-Q4"
    assert served.data_as_at is not None
    assert store.unpublished and store.last_problems
    capsys.readouterr()
    assert main(["publish", "--data-dir", str(data)]) == 1
    assert "9999" in capsys.readouterr().err
    assert store.get().latest_quarter == "2019-20-Q4"
