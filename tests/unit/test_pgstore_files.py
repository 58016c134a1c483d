"""Which files of a version the shared store carries, and which names it writes under a host's
cache (dashboard/data/pgstore.py; issue 26 with issue 22's records)."""

from __future__ import annotations

import pytest

pytest.importorskip("psycopg")

from dashboard.data.pgstore import carried_files, plain_name  # noqa: E402

#: A manifest as versions.py writes it (digests shortened: only their keys matter here).
MANIFEST = {
    "version": "v1",
    "files": {"observations.csv": "a1", "metrics.csv": "a2"},
    "columnar": {"files": {"observations.parquet": "b1"}, "prepared": {"prepared.parquet": "b2"}},
    "records": {
        "files": {
            "records/police_uk.parquet": "c1",
            "records/police_uk_counts.parquet": "c2",
        },
        "sources": ["2018-01-essex-street.csv"],
    },
}


def test_every_file_the_manifest_names_is_carried_records_included():
    assert carried_files(MANIFEST) == {
        "observations.csv": "a1",
        "metrics.csv": "a2",
        "observations.parquet": "b1",
        "prepared.parquet": "b2",
        "records/police_uk.parquet": "c1",
        "records/police_uk_counts.parquet": "c2",
    }
    # a version from before the columnar files and the records: its tables only
    assert carried_files({"files": {"observations.csv": "a1"}}) == {"observations.csv": "a1"}
    # files a later change lists the same way (an entry's "files" or "prepared") travel too
    later = {**MANIFEST, "indexes": {"prepared": {"indexes/areas.parquet": "d1"}, "n": 3}}
    assert carried_files(later)["indexes/areas.parquet"] == "d1"


@pytest.mark.parametrize(
    "name",
    [
        "observations.csv",
        "records/police_uk_counts.parquet",
        "records/police_uk.parquet",
        "indexes/areas.parquet",
    ],
)
def test_a_table_or_a_records_file_is_written_under_the_cache(name):
    assert plain_name(name)


@pytest.mark.parametrize(
    "name",
    [
        "../observations.csv",
        "records/../../x",
        "/etc/passwd",
        ".manifest.json",
        "records/.hidden",
        "records/sub/x.parquet",
        "records/",
        "",
        "..",
    ],
)
def test_a_name_that_would_leave_the_version_folder_or_hide_is_refused(name):
    assert not plain_name(name)
