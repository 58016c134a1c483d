"""Regenerate the bundled data/narrative.csv from the reference quarterly update.

    .venv/bin/python scripts/regenerate_narrative.py [REPORT]

REPORT defaults to tests/fixtures/reference/2019-20-Q4-quarterly-update.txt (a copy of the published report).
Only narrative.csv is written: the other bundled tables are curated by hand.
tests/unit/test_ingest_bundled.py checks the committed file equals this output.
"""

from __future__ import annotations

import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from dashboard.ingest.document import ingest  # noqa: E402
from dashboard.ingest.reference import Reference  # noqa: E402

REFERENCE = ROOT / "tests" / "fixtures" / "reference" / "2019-20-Q4-quarterly-update.txt"


def narrative_csv(report: Path = REFERENCE) -> str:
    result = ingest(report, Reference.load(ROOT / "data"))
    return result.tables["narrative"].to_csv(index=False, lineterminator="\n")


def main(argv: list[str]) -> int:
    report = Path(argv[0]) if argv else REFERENCE
    target = ROOT / "data" / "narrative.csv"
    target.write_text(narrative_csv(report), encoding="utf-8")
    print(f"wrote {target}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
