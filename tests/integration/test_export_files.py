"""The pack files are opened and read back, not only created: the PDF's structure tree (pikepdf),
PowerPoint's font sizes, labels and notes, the Excel summary sheet, the CSV's provenance.

veraPDF, the reference PDF/UA checker, is a Java program distributed through Maven, which this
machine cannot reach; the checks below read the tagged structure with pikepdf instead: the
document's language, title and PDF/UA identification, that it is marked as tagged, headings in
reading order, and alternative text on every figure."""

from __future__ import annotations

import csv
import io
import re
from pathlib import Path

import pikepdf
import pytest
from openpyxl import load_workbook
from pptx import Presentation
from pypdf import PdfReader

from dashboard.cli import main as cli_main
from dashboard.data.model import load_dataset
from dashboard.export.packs import build_file
from dashboard.export.tabular import safe_cell
from dashboard.views import views_of
from dashboard.views.meeting import Meeting

DATA = Path(__file__).resolve().parents[2] / "data"
PROVENANCE = [
    "Source title",
    "Published",
    "Source sentence",
    "Status",
    "Current, superseded or republished unchanged",
]


@pytest.fixture(scope="module")
def dataset(bundled_dataset):
    return bundled_dataset


@pytest.fixture(scope="module")
def pdf_pages(dataset):
    content = build_file(dataset, "pdf", "2019-20-Q4").content
    assert content.startswith(b"%PDF")
    return [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]


@pytest.fixture(scope="module")
def deck(dataset):
    return Presentation(io.BytesIO(build_file(dataset, "pptx", "2019-20-Q4").content))


# ----------------------------------------------------------------------------------- PDF


def test_pdf_every_page_has_as_at_sources_and_page_number(pdf_pages):
    total = len(pdf_pages)
    for number, text in enumerate(pdf_pages, start=1):
        assert "Data as at" in text, number
        assert "Sources:" in text, number
        assert f"Page {number} of {total}" in text, number


def test_pdf_has_title_each_priority_and_sources(pdf_pages):
    assert "Police and Crime Plan: progress report" in pdf_pages[0]
    starts = [i for i, t in enumerate(pdf_pages) if t.lstrip().startswith("Priority ")]
    assert len(starts) == 7  # each priority starts a page (long narratives continue overleaf)
    assert pdf_pages[-1].lstrip().startswith("Sources and notes")


def test_pdf_priority_7_page_has_the_ksi_figure_as_text(pdf_pages):
    page = " ".join(next(t for t in pdf_pages if t.lstrip().startswith("Priority 7")).split())
    assert "168" in page
    assert "Killed or seriously injured (KSI)" in page
    assert "down 2 (1.2%) on the same quarter last year" in page
    assert "Too early to tell if this is a real change" in page  # plain words for members
    assert "Signal or noise" not in page and "Common-cause" not in page


def _tree(pdf: pikepdf.Pdf) -> list[tuple[str, str | None]]:
    """(tag, alternative text) of every element of the structure tree, in reading order."""
    found: list[tuple[str, str | None]] = []

    def walk(node):
        if isinstance(node, pikepdf.Array):
            for child in node:
                walk(child)
        elif isinstance(node, pikepdf.Dictionary):
            if "/S" in node:
                alt = node.get("/Alt")
                found.append((str(node.S), str(alt) if alt is not None else None))
            if "/K" in node:
                walk(node.K)

    walk(pdf.Root.StructTreeRoot)
    return found


@pytest.fixture(scope="module")
def tagged(dataset):
    content = build_file(dataset, "pdf", "2019-20-Q4").content
    return pikepdf.open(io.BytesIO(content))


def test_pdf_is_tagged_with_language_title_and_pdf_ua_identification(tagged):
    root = tagged.Root
    assert str(root.Lang) == "en-GB"
    assert bool(root.MarkInfo.Marked)
    assert bool(root.ViewerPreferences.DisplayDocTitle)
    with tagged.open_metadata() as meta:
        assert meta.get("pdfuaid:part") == "1"
        assert "Police and Crime Plan: progress report" in meta.get("dc:title")


def test_pdf_structure_has_headings_in_reading_order_and_alt_text_on_every_figure(tagged, dataset):
    tree = _tree(tagged)
    tags = [tag for tag, _ in tree]
    assert tags.count("/H1") == 1 and tags.index("/H1") < tags.index("/H2")
    assert tags.count("/H2") == 8  # seven priorities, then the sources
    for needed in ("/P", "/L", "/LI", "/Table", "/TH", "/TD", "/Caption"):
        assert needed in tags, needed
    figures = [alt for tag, alt in tree if tag == "/Figure"]
    pack = views_of(dataset).pack("2019-20-Q4")
    charts = [s.chart.summary for s in pack.sections if s.chart is not None]
    assert figures == charts  # every chart, with its summary as its alternative text


def test_pdf_narrative_is_in_full(pdf_pages, dataset):
    text = " ".join(" ".join(pdf_pages).split())
    bullet = dataset.narrative.query("item_id == '2019-20-q4-p7-3'")["text"].iloc[0]
    assert " ".join(bullet.split()[-8:]) in text  # the end of a long bullet, not just its lead


# ------------------------------------------------------------------------------ PowerPoint


def _text(slide) -> str:
    return " ".join(s.text_frame.text for s in slide.shapes if s.has_text_frame)


def first_slides(deck) -> dict[int, object]:
    """Each priority's first slide (a priority may continue on follow-on slides)."""
    found = {}
    for slide in deck.slides:
        match = re.match(r"Priority (\d):", _text(slide))
        if match and int(match.group(1)) not in found:
            found[int(match.group(1))] = slide
    return found


def test_deck_has_title_seven_priorities_and_sources(deck):
    slides = list(deck.slides)
    assert "Police and Crime Plan: progress report" in _text(slides[0])
    assert sorted(first_slides(deck)) == list(range(1, 8))
    assert "Sources" in _text(slides[-1])
    # The sources run over more than one slide since the pack names its national tables too
    # (issue 20): together they list the quarter's update.
    sources = [_text(s) for s in slides if _text(s).startswith("Sources")]
    assert "Quarterly Update, Quarter 4" in "".join(sources)
    assert any("Office for National Statistics" in text for text in sources)


def test_deck_body_text_is_18pt_or_more_and_never_shrinks(deck):
    from pptx.enum.text import MSO_AUTO_SIZE

    sizes = []
    for slide in deck.slides:
        for shape in slide.shapes:
            if not shape.has_text_frame or shape.name in ("Footer", "Slide number"):
                continue
            assert shape.text_frame.auto_size in (None, MSO_AUTO_SIZE.NONE), shape.name
            sizes += [r.font.size.pt for p in shape.text_frame.paragraphs for r in p.runs]
        for shape in slide.shapes:
            if getattr(shape, "has_chart", False):
                chart = shape.chart
                assert chart.font.size.pt >= 18
                assert chart.value_axis.tick_labels.font.size.pt >= 18
                assert chart.category_axis.tick_labels.font.size.pt >= 18
    assert sizes and min(sizes) >= 18


def test_deck_chart_labels_have_the_titles_decimals(dataset):
    from dashboard.views.meeting import Meeting

    meeting = Meeting("2019-20-Q4", priorities=(3,), figures=("domestic-abuse-change-pct",))
    deck = Presentation(io.BytesIO(build_file(dataset, "pptx", meeting=meeting).content))
    chart = next(s for sl in deck.slides for s in sl.shapes if getattr(s, "has_chart", False))
    labels = [p.data_label.text_frame.text for p in chart.chart.plots[0].series[0].points]
    assert labels == ["46.4%", "46.3%", "43.8%"]
    assert (
        "43.8%" in chart.chart.chart_title.text_frame.text
        and "46.4%" in chart.chart.chart_title.text_frame.text
    )


def test_every_chart_and_picture_has_alt_text(deck, dataset):
    found = 0
    for slide in deck.slides:
        for shape in slide.shapes:
            if shape.shape_type is not None and (
                getattr(shape, "has_chart", False) or shape.shape_type == 13  # PICTURE
            ):
                descr = shape._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
                assert descr and len(descr) > 20, shape.name
                found += 1
    pack = views_of(dataset).pack("2019-20-Q4")
    assert found == sum(s.chart is not None for s in pack.sections) == 2  # priorities 1 and 7


def test_ksi_chart_alt_text_is_the_chart_summary(deck, dataset):
    slide = next(
        s
        for s in deck.slides
        if s.slide_id and any(getattr(x, "has_chart", False) and "ksi" in x.name for x in s.shapes)
    )
    chart = next(s for s in slide.shapes if getattr(s, "has_chart", False))
    descr = chart._element.xpath("./*[1]/p:cNvPr")[0].get("descr")
    summary = views_of(dataset).pack("2019-20-Q4").sections[6].chart.summary
    assert descr == summary
    assert list(chart.chart.plots[0].categories) == ["2018/19 Q4", "2019/20 Q4"]
    assert list(chart.chart.plots[0].series[0].values) == [170.0, 168.0]


def test_speaker_notes_hold_the_narrative(deck, dataset):
    notes = first_slides(deck)[7].notes_slide.notes_text_frame.text
    for bullet in dataset.narrative.query("priority == 7 and quarter == '2019-20-Q4'")["text"]:
        assert bullet in notes


# ---------------------------------------------------------------------------- XLSX / CSV


def test_safe_cell_neutralises_formula_starts_and_keeps_numbers():
    assert safe_cell("=HYPERLINK(1)") == "'=HYPERLINK(1)"
    assert safe_cell("+1") == "'+1"
    assert safe_cell("-1 fewer") == "'-1 fewer"
    assert safe_cell("@SUM(A1)") == "'@SUM(A1)"
    assert safe_cell("plain") == "plain"
    assert safe_cell(168) == 168
    assert safe_cell(-7.5) == -7.5


def test_xlsx_has_provenance_and_no_formulas(dataset):
    book = load_workbook(io.BytesIO(build_file(dataset, "xlsx", "2019-20-Q4").content))
    assert book.sheetnames[0] == "Summary"
    sheet = book["Observations"]
    header = [c.value for c in sheet[1]]
    for column in PROVENANCE:
        assert column in header
    rows = list(sheet.iter_rows(min_row=2, values_only=True))
    ksi = [r for r in rows if r[1] == "ksi-casualties" and r[6] == "2019-20-Q4"]
    assert ksi and ksi[0][header.index("Value")] == 168
    revision = header.index("Current, superseded or republished unchanged")
    assert {r[revision] for r in rows} <= {"current", "superseded", "republished unchanged"}
    for ws in book.worksheets:
        for row in ws.iter_rows():
            for cell in row:
                assert cell.data_type != "f", (ws.title, cell.coordinate)


def test_xlsx_opens_on_a_summary_of_the_figures_as_the_slides_show_them(dataset):
    book = load_workbook(io.BytesIO(build_file(dataset, "xlsx", "2019-20-Q4").content))
    rows = list(book["Summary"].iter_rows(values_only=True))
    assert rows[0][0] == "Police and Crime Plan: progress report"
    headings = [r[0] for r in rows if r[0] and str(r[0]).startswith("Priority ")]
    assert len(headings) == 7
    header = next(r for r in rows if r[0] == "Figure")
    assert list(header) == [
        "Figure", "Value", "Unit", "Period", "Compared with earlier", "What it means",
        "Since the last meeting",
    ]  # fmt: skip
    ksi = next(r for r in rows if r[0] == "Killed or seriously injured (KSI) road casualties")
    assert ksi[1:5] == (
        "168",
        "number",
        "2019/20 Q4",
        "down 2 (1.2%) on the same quarter last year",
    )
    assert ksi[5].startswith("Lower is better. Too early to tell")
    hours = next(r for r in rows if r[0] == "Hours contributed by Special Constables")
    assert hours[1:3] == ("48,144 hours", "hours")


def test_formula_text_in_the_data_is_neutralised(tmp_path, bundled_copy):
    """A note starting with '=' (copied dataset, never data/) is text in both files."""
    folder = bundled_copy
    obs = (folder / "observations.csv").read_text(encoding="utf-8")
    marker = "End of March 2020."
    assert marker in obs
    (folder / "observations.csv").write_text(obs.replace(marker, "=2+5|cmd", 1), encoding="utf-8")
    dataset = load_dataset(folder)
    book = load_workbook(io.BytesIO(build_file(dataset, "xlsx", "2019-20-Q4").content))
    sheet = book["Observations"]
    header = [c.value for c in sheet[1]]
    notes = [
        r[header.index("Note for analysts")] for r in sheet.iter_rows(min_row=2, values_only=True)
    ]
    assert "'=2+5|cmd" in notes
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)
    text = build_file(dataset, "csv", "2019-20-Q4").content.decode("utf-8-sig")
    cells = [cell for row in csv.reader(io.StringIO(text)) for cell in row]
    assert "'=2+5|cmd" in cells
    assert not any(cell.startswith(("=", "+", "@")) for cell in cells)


def test_csv_reads_back_with_provenance(dataset):
    text = build_file(dataset, "csv", "Q4 2019/20").content.decode("utf-8-sig")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert rows and all(r["Source title"] and r["Source sentence"] for r in rows)
    ksi = next(
        r for r in rows if r["Metric id"] == "ksi-casualties" and r["Period"] == "2019-20-Q4"
    )
    assert ksi["Value"] == "168"
    assert "168" in ksi["Source sentence"]


# ----------------------------------------------------------------------------- command


@pytest.mark.parametrize("fmt", ["pdf", "pptx", "xlsx", "csv"])
def test_export_command_writes_each_format(tmp_path, fmt, capsys):
    out = tmp_path / f"pack.{fmt}"
    assert cli_main(["export", "--quarter", "2019-20-Q4", "--format", fmt, "--out", str(out)]) == 0
    assert out.stat().st_size > 1000
    assert "Wrote" in capsys.readouterr().out


def test_export_command_bad_quarter_is_exit_2(tmp_path, capsys):
    code = cli_main(["export", "--quarter", "2031-32-Q9", "--out", str(tmp_path / "x.pdf")])
    assert code == 2
    assert "error:" in capsys.readouterr().err
    assert not (tmp_path / "x.pdf").exists()


# ------------------------------------------------------------------------------ routes


@pytest.fixture(scope="module")
def client():
    from dashboard.app import create_app

    return create_app().server.test_client()


@pytest.mark.parametrize(
    ("fmt", "kind"),
    [
        ("pdf", "application/pdf"),
        ("pptx", "presentationml"),
        ("xlsx", "spreadsheetml"),
        ("csv", "text/csv"),
    ],
)
def test_download_routes_send_files(client, fmt, kind):
    response = client.get(f"/download/pack.{fmt}?quarter=2019-20-Q4&area=south-lpa")
    assert response.status_code == 200
    assert kind in response.headers["Content-Type"]
    assert "attachment" in response.headers["Content-Disposition"]
    assert "2019-20-q4-south-lpa" in response.headers["Content-Disposition"]


def test_download_bad_input_is_plain_400(client):
    response = client.get("/download/pack.pdf?quarter=<script>")
    assert response.status_code == 400
    assert response.headers["Content-Type"].startswith("text/plain")
    assert b"Traceback" not in response.data
    assert client.get("/download/pack.pdf?area=nowhere").status_code == 400
    assert client.get("/download/pack.exe").status_code == 404
    assert client.get("/download/chart/no-such-metric.png").status_code == 400


def test_pdf_pages_that_continue_a_priority_name_it(pdf_pages):
    current = None
    for number, text in enumerate(pdf_pages[1:], start=2):
        first = text.lstrip()
        match = re.match(r"(Priority \d: [^\n]+|Sources and notes)", first)
        if match:
            current = match.group(1).strip()
        else:
            assert f"{current} (continued)" in " ".join(text.split()), number


def test_pdf_figures_caption_is_never_left_apart_from_its_table(dataset):
    """A meeting with a long "since the last meeting" box pushed Priority 1's figures table to
    the next page and left its caption, "Figures", alone at the foot of the page before."""
    meeting = Meeting("2019-20-Q4", since="2018-19-Q4")
    content = build_file(dataset, "pdf", meeting=meeting).content
    pages = [page.extract_text() for page in PdfReader(io.BytesIO(content)).pages]
    captions = 0
    for number, text in enumerate(pages, start=1):
        lines = [line.strip() for line in text.splitlines()]
        if "Figures" in lines:
            captions += 1
            assert "Compared with earlier" in text, f"page {number}: the caption without its table"
    assert captions >= 5  # each priority with headline figures has its table


def test_each_meetings_pack_is_its_own_file_in_the_download_cache(
    tmp_path, monkeypatch, bundled_data_dir
):
    """The route keeps packs on disk per dataset version (issue 14): a meeting's choice must be
    part of the file's name there, or a member asking for the default pack after the
    presenter's would get the presenter's (or the other way round)."""
    import dashboard.export.routes as routes
    from dashboard.app import create_app
    from dashboard.config import Settings

    built = []
    real = routes.build_file

    def counting(*args, **kwargs):
        built.append(kwargs.get("meeting"))
        return real(*args, **kwargs)

    monkeypatch.setattr(routes, "build_file", counting)
    settings = Settings(data_dir=bundled_data_dir, cache_dir=tmp_path, reload_interval=3600)
    client = create_app(settings).server.test_client()
    plain = client.get("/download/pack.pptx?quarter=2019-20-Q4")
    chosen = client.get("/download/pack.pptx?quarter=2019-20-Q4&priorities=7&since=2018-19-Q4")
    again = client.get("/download/pack.pptx?quarter=2019-20-Q4&priorities=7&since=2018-19-Q4")
    assert plain.status_code == chosen.status_code == again.status_code == 200
    assert "-meeting-" not in plain.headers["Content-Disposition"]
    assert "-meeting-" in chosen.headers["Content-Disposition"]
    assert again.headers["Content-Disposition"] == chosen.headers["Content-Disposition"]
    assert len(built) == 2 and built[1].priorities == (7,) and built[1].since == "2018-19-Q4"
    slides = [len(Presentation(io.BytesIO(r.data)).slides) for r in (plain, chosen, again)]
    assert slides[1] == slides[2] < slides[0]
