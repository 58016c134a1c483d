"""Figure reading on the variation set (precision and recall per category), and the time to
ingest the reference quarterly update in each format (median of several runs).

    .venv/bin/python benchmarks/bench_ingest.py [--runs N] [--show-misses]

The variation set is tests/fixtures/paraphrases/paraphrases.csv (invented rewordings of the
reference report's figure sentences, labelled; the held-out batch was written after the
matcher was tuned on the rest). The .docx and .pdf are rendered from the .txt
(tests/fixtures/ingest/render.py); the PDF from LibreOffice is included when `soffice` is
installed. Measured, not asserted (the test asserts only "no wrong metric or period").
"""

from __future__ import annotations

import argparse
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "ingest"))
sys.path.insert(0, str(ROOT / "tests" / "fixtures" / "paraphrases"))

from render import render_docx, render_pdf  # noqa: E402
from score import score  # noqa: E402

from dashboard.ingest.document import ingest  # noqa: E402
from dashboard.ingest.reference import Reference  # noqa: E402

REFERENCE = ROOT / "tests" / "fixtures" / "reference" / "2019-20-Q4-quarterly-update.txt"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    parser.add_argument("--show-misses", action="store_true")
    args = parser.parse_args()
    paraphrases(args.show_misses)
    reference = Reference.load(ROOT / "data")
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        text = REFERENCE.read_text(encoding="utf-8")
        files = {
            "txt": REFERENCE,
            "docx": render_docx(text, folder / "update.docx"),
            "pdf (reportlab)": render_pdf(text, folder / "update.pdf"),
        }
        if shutil.which("soffice"):
            subprocess.run(
                ["soffice", "--headless", f"-env:UserInstallation=file://{folder}/profile",
                 "--convert-to", "pdf", "--outdir", str(folder / "lo"), str(files["docx"])],
                check=True, capture_output=True, timeout=180,
            )  # fmt: skip
            files["pdf (LibreOffice)"] = folder / "lo" / "update.pdf"
        print(f"{'format':<20}{'median s':>10}{'min s':>9}  items  figures  review")
        for name, path in files.items():
            times = []
            for _ in range(args.runs):
                start = time.perf_counter()
                result = ingest(path, reference)
                times.append(time.perf_counter() - start)
            n = result.tables["narrative"]
            print(
                f"{name:<20}{statistics.median(times):>10.3f}{min(times):>9.3f}  {len(n):>5}"
                f"  {len(result.tables['observations']):>7}  {len(result.review):>6}"
            )
    return 0


def paraphrases(show_misses: bool) -> None:
    scores = score(ROOT / "data")
    print(f"{'variation set':<34}{'expected':>9}{'found':>7}{'right':>7}{'wrong':>7}"
          f"{'precision':>11}{'recall':>8}")  # fmt: skip
    order = sorted(scores, key=lambda k: (k == "all", k.startswith("batch"), k))
    for name in order:
        s = scores[name]
        print(f"{name:<34}{s.expected:>9}{s.found:>7}{s.right:>7}{len(s.wrong):>7}"
              f"{s.precision:>11.1%}{s.recall:>8.1%}")  # fmt: skip
    if show_misses:
        for line in scores["all"].wrong:
            print(f"  wrong: {line}")
        for line in scores["all"].missed:
            print(f"  missed: {line}")
    print()


if __name__ == "__main__":
    sys.exit(main())
