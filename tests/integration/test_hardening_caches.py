"""Issue 25, finding 6: the pack and chart caches are bounded within a dataset version.

Before: every distinct meeting choice added a file (about 159 KB for a PDF pack) and a lock
file to ``<cache>/<version>/``, without end; the choices number hundreds of thousands. Now each
version keeps at most ``export_cache_files`` files and ``export_cache_mb`` megabytes, the least
recently used going first, and the lock files are a fixed few.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from dashboard.app import create_app
from dashboard.config import Settings, SettingsError
from dashboard.export.charts import ChartImages
from dashboard.export.filecache import FileCache


def entries(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if not p.name.startswith("."))


def made(name: str, size: int = 10):
    return lambda: name.encode().ljust(size, b".")


def test_a_version_keeps_at_most_max_files_and_a_few_locks(tmp_path):
    cache = FileCache(tmp_path, max_files=3)
    for number in range(40):
        cache.get("v1", f"pack-{number}.pdf", made(str(number)))
    folder = tmp_path / "v1"
    assert len(entries(folder)) == 3
    everything = os.listdir(folder)
    assert len(everything) <= 3 + FileCache.LOCK_STRIPES, everything


def test_the_least_recently_used_goes_first(tmp_path):
    cache = FileCache(tmp_path, max_files=3)
    for name in ("a", "b", "c"):
        cache.get("v1", name, made(name))
        time.sleep(0.02)
    cache.get("v1", "a", made("never"))  # a read: "a" is now the most recently used
    time.sleep(0.02)
    cache.get("v1", "d", made("d"))
    assert entries(tmp_path / "v1") == ["a", "c", "d"]
    assert cache.get("v1", "a", made("never")).startswith(b"a")


def test_a_version_keeps_at_most_max_bytes(tmp_path):
    cache = FileCache(tmp_path, max_bytes=2500, max_files=100)
    for number in range(10):
        cache.get("v1", f"chart-{number}.png", made(str(number), 1000))
    sizes = [p.stat().st_size for p in (tmp_path / "v1").iterdir() if not p.name.startswith(".")]
    assert sum(sizes) <= 2500 and len(sizes) == 2


def test_a_file_beside_an_entry_goes_with_it(tmp_path):
    cache = FileCache(tmp_path, max_files=1)
    for name in ("pack-1.pdf", "pack-2.pdf"):

        def build(name=name) -> bytes:
            cache.path("v1", name + ".name").write_text(f"{name} download", encoding="utf-8")
            return b"%PDF"

        cache.get("v1", name, build)
    assert entries(tmp_path / "v1") == ["pack-2.pdf", "pack-2.pdf.name"]


def test_chart_images_take_the_same_bounds(tmp_path):
    images = ChartImages(tmp_path, draw=lambda figure, fmt: b"x" * 100, max_files=2)
    for number in range(5):
        images.get("v1", {"data": [], "layout": {"title": str(number)}}, "png")
    assert len(entries(tmp_path / "v1")) == 2


@pytest.mark.parametrize("variable", ["PCP_EXPORT_CACHE_MB", "PCP_EXPORT_CACHE_FILES"])
def test_a_bad_bound_names_its_variable(variable):
    with pytest.raises(SettingsError, match=variable):
        Settings.from_env({variable: "lots"})


def test_pack_downloads_stay_within_the_bound(bundled_copy, tmp_path):
    data = bundled_copy
    cache = tmp_path / "cache"
    settings = Settings(
        data_dir=data, debug=False, reload_interval=3600, cache_dir=cache, export_cache_files=2
    )
    client = create_app(settings).server.test_client()
    for priorities in ("1", "2", "3", "1,2"):
        response = client.get(f"/download/pack.xlsx?priorities={priorities}")
        assert response.status_code == 200, response.get_data(as_text=True)[:200]
    (version,) = [p for p in cache.iterdir() if not p.name.startswith(".")]
    packs = [n for n in entries(version) if n.endswith(".xlsx")]
    print(f"packs kept after 4 distinct downloads: {len(packs)}; folder: {entries(version)}")
    assert len(packs) == 2
    # The most recent one is still served, with its own name.
    again = client.get("/download/pack.xlsx?priorities=1,2")
    assert again.status_code == 200 and "attachment" in again.headers["Content-Disposition"]
