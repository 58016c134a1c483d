"""Time and size of each pack format for the full pack (all seven priorities), and for a meeting
with what changed since the last one; and the slides of meeting mode.

    .venv/bin/python benchmarks/bench_export.py [--quarter 2019-20-Q4] [--area essex] [--repeat 5]
        [--since 2018-19-Q4]

Each format is built from scratch every round (a fresh copy of the loaded dataset, hence a fresh
view model and an empty cache), so the times are what the first person to ask after a (re)load
pays. Also times one chart image through kaleido, for contrast.
Measured, not asserted.
"""

from __future__ import annotations

import argparse
import statistics
import time

from dashboard.config import Settings
from dashboard.data.model import Dataset, load_dataset
from dashboard.export import packs
from dashboard.views import views_of
from dashboard.views.meeting import Meeting
from dashboard.views.slides import LARGE, PPTX, STANDARD, deck


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--quarter", default=None)
    parser.add_argument("--area", default=None)
    parser.add_argument("--repeat", type=int, default=5)
    parser.add_argument("--since", default="2018-19-Q4", help="the last meeting's quarter")
    parser.add_argument("--no-image", action="store_true", help="skip the kaleido chart image")
    args = parser.parse_args()
    dataset = load_dataset(Settings.from_env().data_dir)
    meetings = {
        "default": Meeting(args.quarter, args.area),
        f"since {args.since}": Meeting(args.quarter, args.area, since=args.since),
    }
    for name, meeting in meetings.items():
        print(f"\n{name}")
        print(f"{'format':<8}{'median s':>10}{'max s':>9}{'bytes':>11}{'pages':>7}")
        for fmt in ("pack", "pdf", "pptx", "xlsx", "csv"):
            times, size, pages = [], 0, ""
            for _ in range(args.repeat):
                fresh = Dataset(dataset.path, dataset.tables)
                start = time.perf_counter()
                if fmt == "pack":
                    views_of(fresh).pack(meeting=meeting)
                else:
                    content = packs.build_file(fresh, fmt, meeting=meeting).content
                    size = len(content)
                times.append(time.perf_counter() - start)
            if fmt in ("pdf", "pptx"):
                pages = str(_pages(fmt, content))
            label = "content" if fmt == "pack" else fmt
            print(
                f"{label:<8}{statistics.median(times):>10.3f}{max(times):>9.3f}"
                f"{size or '':>11}{pages:>7}"
            )
        pack = views_of(dataset).pack(meeting=meeting)
        for geo in (STANDARD, LARGE, PPTX):
            start = time.perf_counter()
            slides = deck(pack, geo)
            took = time.perf_counter() - start
            print(f"slides ({geo.name}): {len(slides)} in {took * 1000:.1f} ms")
    packs.build_file(dataset, "pdf", args.quarter, args.area)
    start = time.perf_counter()
    packs.build_file(dataset, "pdf", args.quarter, args.area)
    print(f"pdf again (cached in the worker): {time.perf_counter() - start:.4f} s")
    if not args.no_image:
        from dashboard.export.charts import chart_figure, chart_image

        figure = chart_figure(dataset, "ksi-casualties", args.quarter, args.area)
        for fmt in ("png", "svg"):
            start = time.perf_counter()
            data = chart_image(figure, fmt)
            print(
                f"chart {fmt} (kaleido){time.perf_counter() - start:>8.3f} s {len(data):>9} bytes"
            )


def _pages(fmt: str, content: bytes) -> int:
    import io

    if fmt == "pdf":
        from pypdf import PdfReader

        return len(PdfReader(io.BytesIO(content)).pages)
    from pptx import Presentation

    return len(Presentation(io.BytesIO(content)).slides)


if __name__ == "__main__":
    main()
