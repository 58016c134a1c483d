"""File -> paragraphs, per format. Each paragraph keeps its indentation and bullet glyph so that
the structure step can tell bullets from sub-bullets; running headers, page numbers and the
contents page are left in (structure.py removes them the same way for every format).

PDF: pypdf's layout mode keeps indentation; the y position of each line (from a text visitor)
tells a paragraph gap from a wrapped line. Wrapped lines are joined and hyphenation undone.
"""

from __future__ import annotations

import re
import statistics
import zipfile
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..config import Settings, installed
from ..data.files import why_not_readable
from .errors import IngestError
from .text import split_bullets

#: Bullet glyphs seen in the series (Word's "•", "o", "▪", "§" in exported text; "-" and "*"
#: in plain text). "o" only counts when followed by a space and a capital or digit.
BULLET = re.compile(
    r"^(?P<glyph>[•\-▪*◦·‣●■□–§➢✓\uf000-\uf0ff]|o(?=\s+[A-Z0-9“\"'(]))\s+(?P<text>\S.*)$"
)
SOFT_HYPHEN = "\u00ad"


@dataclass(frozen=True)
class Para:
    """One paragraph as laid out: text (glyph removed), indentation, glyph, page (1-based)."""

    text: str
    indent: float
    glyph: str | None
    page: int


_MB = 1024 * 1024


@dataclass(frozen=True)
class Limits:
    """What reading one document may cost at most (Settings ``ingest_max_*``): a real quarterly
    update is well under a megabyte, a hundred pages and a few thousand paragraphs. Before
    these (issue 25, finding 2) a .docx unpacking to 1.8 GB reached 6 GB in 14 s, a 200 MB
    text or one 52 MB bullet ran for minutes, and a 100,000-page PDF took 68 s and 632 MB."""

    file_bytes: int = 20 * _MB
    unzipped_bytes: int = 20 * _MB
    pages: int = 300
    paragraphs: int = 20_000
    line_chars: int = 20_000
    chars: int = 2_000_000

    @classmethod
    def from_settings(cls, settings: Settings) -> Limits:
        return cls(
            file_bytes=int(settings.ingest_max_mb * _MB),
            unzipped_bytes=int(settings.ingest_max_unzipped_mb * _MB),
            pages=settings.ingest_max_pages,
            paragraphs=settings.ingest_max_paragraphs,
            line_chars=settings.ingest_max_line_chars,
            chars=settings.ingest_max_chars,
        )


class _Budget:
    """Counts paragraphs and characters as they are read; past a limit, a located IngestError."""

    def __init__(self, path: Path, limits: Limits):
        self.path, self.limits = path, limits
        self.paragraphs = self.chars = 0

    def take(self, text: str, where: str) -> None:
        limits = self.limits
        if len(text) > limits.line_chars:
            raise IngestError(
                self.path,
                f"{where}: a line or paragraph of {len(text):,} characters, more than the "
                f"limit of {limits.line_chars:,} (PCP_INGEST_MAX_LINE_CHARS); reading stopped "
                "there",
            )
        self.paragraphs += 1
        self.chars += len(text)
        if self.paragraphs > limits.paragraphs:
            raise IngestError(
                self.path,
                f"{where}: more than {limits.paragraphs:,} paragraphs, the limit "
                "(PCP_INGEST_MAX_PARAGRAPHS); reading stopped there",
            )
        if self.chars > limits.chars:
            raise IngestError(
                self.path,
                f"{where}: more than {limits.chars:,} characters of text, the limit "
                "(PCP_INGEST_MAX_CHARS); reading stopped there",
            )


def read_paragraphs(path: Path, limits: Limits | None = None) -> list[Para]:
    """Paragraphs of a .txt, .docx or .pdf file; raises IngestError for unreadable input."""
    path = Path(path)
    limits = limits or Limits.from_settings(installed())
    if why := why_not_readable(path):
        raise IngestError(path, why)
    size = path.stat().st_size
    if size > limits.file_bytes:
        raise IngestError(
            path,
            f"the document is {size / _MB:,.1f} MB, more than the limit of "
            f"{limits.file_bytes / _MB:,.1f} MB (PCP_INGEST_MAX_MB); nothing was read",
        )
    data = path.read_bytes()
    if not data.strip():
        raise IngestError(path, "the file is empty; expected a quarterly update document")
    kind = _sniff(path, data)
    budget = _Budget(path, limits)
    if kind == "pdf":
        paras = _pdf(path, budget)
    elif kind == "docx":
        paras = _docx(path, budget)
    else:
        paras = _txt(path, data, budget)
    if not any(p.text.strip() for p in paras):
        raise IngestError(path, "no text found; expected a quarterly update document")
    return _split_run_together(paras)


def _split_run_together(paras: list[Para]) -> list[Para]:
    """A paragraph holding bullets that run together on one line ("... £5.4m. • Operation
    SCEPTRE: ...") becomes one paragraph per bullet, at the same indentation: the bullets
    after the first take the paragraph's glyph, or "•" after an unbulleted opening."""
    out: list[Para] = []
    for para in paras:
        parts = split_bullets(para.text)
        out.append(Para(parts[0], para.indent, para.glyph, para.page))
        out += [Para(part, para.indent, para.glyph or "•", para.page) for part in parts[1:]]
    return out


def _sniff(path: Path, data: bytes) -> str:
    suffix = path.suffix.lower()
    if data.startswith(b"%PDF") or suffix == ".pdf":
        if not data.startswith(b"%PDF"):
            raise IngestError(path, "not a PDF file (no %PDF signature); expected a text PDF")
        return "pdf"
    if data.startswith(b"PK") or suffix == ".docx":
        if not data.startswith(b"PK"):
            raise IngestError(path, "not a Word .docx file (not a zip package)")
        return "docx"
    if suffix in (".txt", ".text", "") or suffix not in (".doc", ".rtf", ".odt"):
        return "txt"
    raise IngestError(path, f"unsupported format {suffix}; expected .txt, .docx or .pdf")


def split_glyph(line: str) -> tuple[str | None, str]:
    match = BULLET.match(line.strip())
    if match:
        return match["glyph"], match["text"].strip()
    return None, line.strip()


def _indent(line: str) -> float:
    expanded = line.replace("\t", "    ")
    return float(len(expanded) - len(expanded.lstrip()))


# --- plain text ---------------------------------------------------------------------------


def _txt(path: Path, data: bytes, budget: _Budget) -> list[Para]:
    if b"\x00" in data[:4096]:
        raise IngestError(path, "binary content; expected a text, .docx or .pdf document")
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        text = data.decode("cp1252", errors="replace")
    if len(text) > budget.limits.chars:
        raise IngestError(
            path,
            f"{len(text):,} characters of text, more than the limit of "
            f"{budget.limits.chars:,} (PCP_INGEST_MAX_CHARS); nothing was read",
        )
    paras: list[Para] = []
    page = 1
    lines = text.replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, raw in enumerate(lines, start=1):
        budget.take(raw, f"line {number:,}")
        if raw.startswith("\f"):
            page += 1
            raw = raw.lstrip("\f")
        if not raw.strip():
            continue
        glyph, body = split_glyph(raw)
        paras.append(Para(body.replace(SOFT_HYPHEN, ""), _indent(raw), glyph, page))
    return paras


# --- Word ---------------------------------------------------------------------------------

_W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"


def _docx(path: Path, budget: _Budget) -> list[Para]:
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    try:
        with zipfile.ZipFile(path) as archive:
            unpacked = sum(info.file_size for info in archive.infolist())
    except (zipfile.BadZipFile, OSError) as exc:
        raise IngestError(path, f"the .docx is truncated or damaged ({exc})") from exc
    if unpacked > budget.limits.unzipped_bytes:
        raise IngestError(
            path,
            f"the .docx unpacks to {unpacked / _MB:,.1f} MB, more than the limit of "
            f"{budget.limits.unzipped_bytes / _MB:,.1f} MB (PCP_INGEST_MAX_UNZIPPED_MB); "
            "nothing was read",
        )
    try:
        document = docx.Document(str(path))
    except (zipfile.BadZipFile, KeyError, ValueError, PackageNotFoundError) as exc:
        raise IngestError(path, f"the .docx is truncated or damaged ({exc})") from exc
    except Exception as exc:  # lxml syntax errors and the like from a damaged package
        raise IngestError(path, f"the .docx cannot be read ({type(exc).__name__}: {exc})") from exc
    paras: list[Para] = []
    for number, paragraph in enumerate(document.paragraphs, start=1):
        budget.take(paragraph.text, f"paragraph {number:,}")
        text = re.sub(r"\s*\n\s*", " ", paragraph.text).replace(SOFT_HYPHEN, "").strip()
        if not text:
            continue
        level = _list_level(paragraph)
        glyph, body = split_glyph(text)
        if level is not None:
            paras.append(Para(body, 10.0 * (level + 1), glyph or "•", 1))
        else:
            indent = paragraph.paragraph_format.left_indent
            paras.append(Para(body, (indent.pt / 3.6) if indent else 0.0, glyph, 1))
    return paras


def _list_level(paragraph) -> int | None:
    """List level of a Word paragraph (numbering or a list style), or None if not a list item."""
    ppr = paragraph._p.pPr
    if ppr is not None and ppr.numPr is not None:
        ilvl = ppr.numPr.ilvl
        return int(ilvl.val) if ilvl is not None else 0
    style = paragraph.style
    while style is not None:
        name = (style.name or "").lower()
        if name.startswith(("list bullet", "list number", "list paragraph")):
            match = re.search(r"(\d+)$", name)
            return int(match[1]) - 1 if match else 0
        spr = style.element.pPr
        if spr is not None and spr.numPr is not None:
            ilvl = spr.numPr.ilvl
            return int(ilvl.val) if ilvl is not None else 0
        style = style.base_style
    return None


# --- PDF ----------------------------------------------------------------------------------


def _pdf(path: Path, budget: _Budget) -> list[Para]:
    import pypdf
    from pypdf.errors import PdfReadError

    try:
        reader = pypdf.PdfReader(str(path), strict=False)
        if reader.is_encrypted and not reader.decrypt(""):
            raise IngestError(path, "the PDF is password-protected; supply an unprotected copy")
        count = len(reader.pages)
        if count > budget.limits.pages:
            raise IngestError(
                path,
                f"the PDF has {count:,} pages, more than the limit of {budget.limits.pages:,} "
                "(PCP_INGEST_MAX_PAGES); nothing was read",
            )
        pages = list(reader.pages)
    except IngestError:
        raise
    except (PdfReadError, ValueError, KeyError, OSError) as exc:
        raise IngestError(path, f"the PDF is truncated or damaged ({exc})") from exc
    except Exception as exc:  # pypdf raises assorted errors on damaged files
        if "password" in str(exc).lower() or "decrypt" in str(exc).lower():
            raise IngestError(
                path, "the PDF is password-protected; supply an unprotected copy"
            ) from exc
        raise IngestError(path, f"the PDF cannot be read ({type(exc).__name__}: {exc})") from exc
    if not pages:
        raise IngestError(path, "the PDF has no pages (truncated?)")
    lines: list[tuple[int, str, float | None]] = []
    try:
        for number, page in enumerate(pages[: budget.limits.pages], start=1):
            for text, gap in _page_lines(page):
                budget.take(text, f"page {number:,}")
                lines.append((number, text, gap))
    except IngestError:
        raise
    except Exception as exc:
        raise IngestError(
            path, f"the PDF is truncated or damaged ({type(exc).__name__}: {exc})"
        ) from exc
    if not any(text.strip() for _, text, _ in lines):
        raise IngestError(
            path, "the PDF has no text layer (a scan?); expected a text-based PDF — run OCR first"
        )
    return _join_lines(lines)


def _page_lines(page) -> list[tuple[str, float | None]]:
    """(text with layout indentation, vertical gap above the line in line heights or None)."""
    ys: list[tuple[float, float]] = []

    def visit(text, cm, tm, _font, size) -> None:
        if text.strip():
            y = tm[4] * cm[1] + tm[5] * cm[3] + cm[5]
            ys.append((round(y, 1), float(size or 10) * abs(cm[3] or 1)))

    layout = page.extract_text(extraction_mode="layout", layout_mode_space_vertically=False)
    page.extract_text(visitor_text=visit)
    texts = [line.rstrip() for line in layout.splitlines() if line.strip()]
    rows: list[tuple[float, float]] = []
    for y, size in sorted(ys, key=lambda item: -item[0]):
        if rows and abs(rows[-1][0] - y) <= 2.0:
            continue
        rows.append((y, size))
    if not rows or len(rows) != len(texts):
        return [(text, None) for text in texts]
    steps = [rows[i - 1][0] - rows[i][0] for i in range(1, len(rows))]
    pitch = statistics.median(steps) if steps else 12.0
    pitch = min(pitch, statistics.median(size for _, size in rows) * 1.35)
    gaps: list[float | None] = [None] + [step / pitch for step in steps]
    return list(zip(texts, gaps, strict=True))


def _join_lines(lines: list[tuple[int, str, float | None]]) -> list[Para]:
    """Join wrapped PDF lines into paragraphs."""
    vocabulary = {w.lower() for _, text, _ in lines for w in re.findall(r"[A-Za-z]+", text)}
    paras: list[Para] = []
    # The paragraph being built, or None. Any: mypy does not narrow a variable that the nested
    # flush() assigns, so `current is None or current[...]` would not type-check.
    current: Any = None

    def flush() -> None:
        nonlocal current
        if current:
            paras.append(
                Para(current["text"], current["indent"], current["glyph"], current["page"])
            )
        current = None

    noise: list[Para] = []
    for page, raw, gap in lines:
        glyph, body = split_glyph(raw)
        indent = _indent(raw)
        body = body.replace(SOFT_HYPHEN, "")
        if glyph is None and _NOISE.match(body):
            noise.append(Para(body, indent, None, page))  # kept aside: may split a paragraph
            continue
        if (
            current is not None
            and current["page"] != page
            and _continues(current, glyph, body, indent)
        ):
            current["text"] = join_wrapped(current["text"], body, vocabulary)
            current["page"] = page
            paras.extend(noise)
            noise = []
            continue
        if noise:
            flush()
            paras.extend(noise)
            noise = []
        starts_new = (
            current is None
            or glyph is not None
            or current["page"] != page
            or (gap is not None and gap > 1.3)
            or _standalone(body)
            or _standalone(current["text"])
            or _PREAMBLE_END.search(current["text"]) is not None
            or (gap is None and _ends_paragraph(current, body, indent))
        )
        if not starts_new and current["glyph"] is None and indent < current["indent"] - 1:
            starts_new = True
        if starts_new:
            flush()
            text_indent = indent
            if glyph is not None:
                offset = raw.find(body[:8]) if body else -1
                text_indent = float(offset) if offset >= 0 else indent + 2
            current = {
                "text": body,
                "indent": indent,
                "glyph": glyph,
                "page": page,
                "text_indent": text_indent,
            }
        else:
            current["text"] = join_wrapped(current["text"], body, vocabulary)
    flush()
    paras.extend(noise)
    return paras


_NOISE = re.compile(
    r"^(?:(?:page\s*)?\d{1,3}(?:\s*(?:of|/)\s*\d{1,3})?"
    r"|(?:\[official\]\s*)?.{0,60}\bPlan\b.{0,40}\bquarterly update\b.{0,60})$",
    re.I,
)


def _continues(current: dict, glyph: str | None, body: str, indent: float) -> bool:
    """A bullet carried over a page break: the new page opens with an unbulleted line at the
    bullet's text indentation that does not start a sentence after a finished one."""
    if glyph is not None or current["glyph"] is None or not body:
        return False
    if abs(indent - current["text_indent"]) > 1.5:
        return False
    return body[0].islower() or not re.search(r"[.:!?)]$", current["text"].rstrip())


_STANDALONE = re.compile(r"^(\d{1,3}|page \d+( of \d+)?|priority \d\b.*|contents)$", re.I)
_PREAMBLE_END = re.compile(r"\bwe will:?\s*$", re.I)


def _standalone(text: str) -> bool:
    """Lines that are always a paragraph of their own: page numbers, priority headings, etc."""
    return bool(_STANDALONE.match(text.strip()))


def _ends_paragraph(current: dict, body: str, indent: float) -> bool:
    """Without gap information: a line ending in ':' closes its paragraph."""
    return current["text"].rstrip().endswith(":") and body[:1].isupper()


def join_wrapped(left: str, right: str, vocabulary: set[str]) -> str:
    """Join a wrapped line; undo hyphenation only where the document spells the word whole."""
    left = left.rstrip()
    right = right.lstrip()
    match = re.search(r"([A-Za-z]+)-$", left)
    if match and right[:1].islower():
        head = match[1]
        tail = re.match(r"[A-Za-z]+", right)
        if tail and (head + tail[0]).lower() in vocabulary:
            return left[:-1] + right
        return left + right
    return f"{left} {right}"
