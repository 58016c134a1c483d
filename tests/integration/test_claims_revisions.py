"""Issue 20, finding 7: revisions counted for the series shown, and said for what they are.

* ``/metric/ho-special-constables-headcount`` counts the revisions of Essex's series (the area
  shown, that basis), not of every force in the table: of Essex's values, 30 Sep 2015 was
  restated (361 in the 2015 edition, 353 in the 2016 edition: sep15 Table_5 row 36 column D,
  sep16 Table_5 row 36 column B), and 30 Sep 2016 and 30 Sep 2017 were published again with
  the same value (358 and 390) by the next edition.
* A value published again unchanged is "republished unchanged", never "superseded".
* ``pcp-dashboard import`` of a new Home Office edition says the unchanged republications in
  one line and lists each real restatement.
"""

from __future__ import annotations

import io
import sys
from contextlib import redirect_stdout
from pathlib import Path

import pytest

from dashboard.cli import main
from dashboard.data.importer import write_table
from dashboard.data.model import load_dataset
from dashboard.data.readers import read_table
from dashboard.data.schema import TABLES
from dashboard.data.validate import validate_folder
from dashboard.publishers.build import _set_aside
from dashboard.shell import render_page
from dashboard.views import views_of

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "app"))
from shell_helpers import SharedStore, text_of  # noqa: E402

REPO = Path(__file__).resolve().parents[2]
DATA = REPO / "data"
NATIONAL = DATA / "national"
WORKFORCE = DATA / "published" / "home-office-workforce"
SEP15 = WORKFORCE / "police-workforce-tabs-30sep15.ods"
SEP16 = WORKFORCE / "police-workforce-tables-sep16.ods"
SPECIALS = "/metric/ho-special-constables-headcount"


def page_text(dataset, path: str, search: str = "") -> str:
    update = render_page(SharedStore(dataset), path, search)
    return text_of([update.head, update.filters, update.body])


def revisions_section(text: str) -> str:
    start = text.index("Revisions")
    return text[start : text.index("Notes for analysts", start)]


def test_the_metric_page_counts_the_revisions_of_essexs_series_only(bundled_dataset):
    said = revisions_section(page_text(bundled_dataset, SPECIALS))
    assert (
        "Essex (force-wide): 1 period was published again with a different value: 30 Sep 2015 "
        "was 361 (published January 2016), now 353 (published January 2017). The latest "
        "publication is shown as current." in said
    )
    assert (
        "2 periods were republished unchanged (30 Sep 2016, 30 Sep 2017): the same value "
        "again, not a revision." in said
    )
    # Every force's count (2 restated, 130 the same) is not Essex's.
    assert "130" not in said


def test_another_area_gets_its_own_count(bundled_dataset):
    vm = views_of(bundled_dataset)
    herts = vm.evidence("ho-special-constables-headcount", "hertfordshire")
    essex = vm.evidence("ho-special-constables-headcount", "essex")
    assert [s.unchanged for s in essex.revisions] == [("30 Sep 2016", "30 Sep 2017")]
    assert [r.period for s in essex.revisions for r in s.restated] == ["30 Sep 2015"]
    assert herts.revisions != essex.revisions


def test_a_value_republished_unchanged_is_not_called_superseded(bundled_dataset):
    rows = views_of(bundled_dataset).evidence("ho-special-constables-headcount", "essex").rows
    statuses = {(period, value, status) for period, value, status, _ in rows}
    assert ("30 Sep 2015", "361", "superseded") in statuses  # 353 in the 2016 edition
    assert ("30 Sep 2016", "358", "republished unchanged") in statuses
    assert ("30 Sep 2017", "390", "republished unchanged") in statuses
    assert ("30 Sep 2016", "358", "superseded") not in statuses
    hint = page_text(bundled_dataset, SPECIALS)
    assert "Republished unchanged: a later publication gave the same value again." in hint
    assert "current and superseded" not in hint


def test_the_exported_observations_say_republished_unchanged(bundled_dataset):
    from dashboard.export.tabular import observation_rows

    rows = observation_rows(views_of(bundled_dataset), "2019-20-Q4", None)
    specials = {
        (r["period"], r["value"], r["revision"])
        for r in rows
        if r["metric_id"] == "ho-special-constables-headcount" and r["area_id"] == "essex"
    }
    assert ("2015-09-30", 361.0, "superseded") in specials
    assert ("2016-09-30", 358.0, "republished unchanged") in specials
    assert ("2017-09-30", 390.0, "republished unchanged") in specials


def _without_national(target: Path) -> Path:
    """data/ without anything the national build adds (as tests/unit/test_national_dataset.py)."""
    target.mkdir(parents=True, exist_ok=True)
    base, problems = validate_folder(DATA)
    assert not [p for p in problems if p.severity == "error"]
    national = [read_table(p) for p in sorted(NATIONAL.glob("*.csv"))]
    source_ids = {
        s
        for s in base["sources"]["source_id"]
        if str(s).startswith(
            ("ons-prc-pfa-", "ho-police-workforce-", "ons-pfa-tables-", "dft-stats19-")
        )
    }
    reduced, _ = _set_aside(base, national, source_ids)
    for name, frame in reduced.items():
        if len(frame):
            write_table(frame, TABLES[name], target)
    return target


@pytest.fixture(scope="module")
def after_new_edition(tmp_path_factory) -> tuple[Path, str]:
    """A copy of the data with the 2015 Home Office edition, then the 2016 edition imported
    as the new one: the import's printed output."""
    folder = _without_national(tmp_path_factory.mktemp("editions") / "data")
    catalogue = [str(NATIONAL / "metrics.csv"), str(NATIONAL / "areas.csv")]
    out = io.StringIO()
    with redirect_stdout(io.StringIO()):
        assert main(["import", "--data-dir", str(folder), *catalogue, str(SEP15)]) == 0
    with redirect_stdout(out):
        assert main(["import", "--data-dir", str(folder), str(SEP16)]) == 0
    return folder, out.getvalue()


def test_the_import_summarises_unchanged_republications_in_one_line(after_new_edition):
    folder, out = after_new_edition
    assert "confirms" not in out
    lines = out.splitlines()
    unchanged = [line for line in lines if line.startswith("republished unchanged: ")]
    assert len(unchanged) == 1, unchanged
    restated = [line for line in lines if line.startswith("revision: ")]
    assert all("restated as" in line for line in restated)
    # One line per real restatement, none for the rest: the two counts make up every value
    # the 2016 edition gave again.
    again = load_dataset(folder).revisions
    again = again[again["metric_id"].str.startswith("ho-")]  # the Home Office editions' values
    keys = again.groupby(["metric_id", "area_id", "basis", "period"])["value"].nunique()
    assert len(restated) == int((keys > 1).sum())
    assert (
        f"{int((keys == 1).sum()):,} value(s) published again with the same value" in unchanged[0]
    )
    assert (
        "revision: ho-special-constables-headcount / essex / 2015-09-30: 361 "
        "(ho-police-workforce-2015-09, published 2016-01-28) restated as 353 "
        "(ho-police-workforce-2016-09, published 2017-01-26)"
    ) in out


def test_after_the_new_edition_the_page_counts_essexs_series(after_new_edition):
    folder, _ = after_new_edition
    said = revisions_section(page_text(load_dataset(folder), SPECIALS))
    assert "Essex (force-wide): 1 period was published again with a different value" in said
    assert "30 Sep 2015 was 361 (published January 2016), now 353 (published January 2017)" in (
        said
    )
    assert "republished unchanged" not in said  # Essex's only other overlap is that restatement
