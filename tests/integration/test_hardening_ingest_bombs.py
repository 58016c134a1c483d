"""Issue 25, finding 2: `ingest` is bounded in bytes, time and memory, whatever the document.

Before: an 8.5 MB .docx whose document.xml unpacks to 1.8 GB reached a 6 GB cap in 14 s; a
200 MB text file was at 1.4 GB after 165 s; a text with one 52 MB bullet still ran at 300 s; a
100,000-page PDF took 68 s and 632 MB to be refused. Each document here (smaller, generated,
the same shapes) goes to a real `pcp-dashboard ingest` child under the watchdog of
test_workbook_limits.py (killed past 60 s or 1.5 GB), which reports the child's own peak
memory; each must stop at its limit, with the document and the place named, well under 500 MB.
"""

from __future__ import annotations

import sys
import zipfile
from pathlib import Path

import pytest
from test_workbook_limits import MEMORY_LIMIT_MB, run_bounded

MB = 1024 * 1024
BULLET = "• Essex Police welcomed 75 new Special Constables in the quarter. "


def docx_bomb(path: Path, unpacked_mb: int = 300) -> Path:
    """A real .docx (python-docx's own parts) whose document.xml unpacks to ``unpacked_mb`` MB."""
    import io

    import docx

    buffer = io.BytesIO()
    docx.Document().save(buffer)
    paragraph = "<w:p><w:r><w:t>Essex Police welcomed 75 new Special Constables.</w:t></w:r></w:p>"
    with zipfile.ZipFile(buffer) as template:
        parts = {name: template.read(name) for name in template.namelist()}
    head, _, _ = parts["word/document.xml"].partition(b"<w:body>")
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED, compresslevel=9) as archive:
        for name, content in parts.items():
            if name != "word/document.xml":
                archive.writestr(name, content)
        with archive.open("word/document.xml", "w", force_zip64=True) as out:
            out.write(head + b"<w:body>")
            block = (paragraph * 10_000).encode()
            for _ in range(unpacked_mb * MB // len(block)):
                out.write(block)
            out.write(b"</w:body></w:document>")
    return path


def big_text(path: Path) -> Path:
    """30 MB of ordinary bullets: over the 20 MB limit."""
    line = (BULLET + "\n").encode()
    path.write_bytes(line * (30 * MB // len(line)))
    return path


def one_long_bullet(path: Path) -> Path:
    """A heading, then one bullet of 1.5 million characters (under the 2,000,000 characters of
    a whole document; the line limit is 20,000)."""
    path.write_text("Priority 7\n" + BULLET * (1_500_000 // len(BULLET)) + "\n", encoding="utf-8")
    return path


def many_paragraphs(path: Path) -> Path:
    """40,000 short paragraphs (the limit is 20,000)."""
    path.write_text("Priority 7\n" + "• 75 new Special Constables.\n" * 40_000, encoding="utf-8")
    return path


def many_pages(path: Path) -> Path:
    """A PDF of 5,000 blank pages (the limit is 300)."""
    from pypdf import PdfWriter

    writer = PdfWriter()
    for _ in range(5_000):
        writer.add_blank_page(width=595, height=842)
    with path.open("wb") as out:
        writer.write(out)
    return path


CASES = {
    "unpacks-to-300mb.docx": (docx_bomb, "PCP_INGEST_MAX_UNZIPPED_MB"),
    "big.txt": (big_text, "PCP_INGEST_MAX_MB"),
    "one-long-bullet.txt": (one_long_bullet, "line 2: a line or paragraph of"),
    "many-paragraphs.txt": (many_paragraphs, "PCP_INGEST_MAX_PARAGRAPHS"),
    "many-pages.pdf": (many_pages, "PCP_INGEST_MAX_PAGES"),
}


@pytest.mark.parametrize("name", list(CASES))
def test_a_costly_document_stops_at_a_limit_quickly_and_with_little_memory(name, tmp_path, env):
    build, says = CASES[name]
    path = build(tmp_path / name)
    size_mb = path.stat().st_size / MB
    code, out, err, seconds, peak, killed = run_bounded(
        [sys.executable, "-m", "dashboard.cli", "ingest", str(path), "--out", str(tmp_path / "o")],
        env,
    )
    print(f"ingest {name}: {size_mb:.1f} MB file, exit {code}, {seconds:.1f} s, peak {peak:.0f} MB")
    assert not killed, f"{name}: {killed} (no limit stopped it)"
    assert code == 1, out + err
    assert "Traceback" not in out + err
    assert name in err and says in err, err
    assert peak < MEMORY_LIMIT_MB, f"{name}: peak RSS {peak:.0f} MB"


def test_a_bad_ingest_limit_names_its_variable():
    from dashboard.config import Settings, SettingsError

    with pytest.raises(SettingsError, match="PCP_INGEST_MAX_PAGES"):
        Settings.from_env({"PCP_INGEST_MAX_PAGES": "many"})
