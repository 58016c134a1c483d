"""Time to ingest the reference quarterly update in each format (median of several runs).

    .venv/bin/python benchmarks/bench_ingest.py [--runs N]

The .docx and .pdf are rendered from the .txt (tests/fixtures/ingest/render.py); the PDF
from LibreOffice is included when `soffice` is installed. Measured, not asserted.
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

from render import render_docx, render_pdf  # noqa: E402

from dashboard.ingest.document import ingest  # noqa: E402
from dashboard.ingest.reference import Reference  # noqa: E402

REFERENCE = ROOT / "tests" / "fixtures" / "reference" / "2019-20-Q4-quarterly-update.txt"


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
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


if __name__ == "__main__":
    sys.exit(main())
