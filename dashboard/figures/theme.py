"""One look for every chart: Government Analysis Function palette and chart rules.

Colours in order (at most four at once): dark blue, turquoise, dark pink, orange; then dark grey
and light purple. Two series: dark blue and orange. Text is large enough for a projector.
"""

from __future__ import annotations

from typing import Any

DARK_BLUE = "#12436D"
TURQUOISE = "#28A197"
DARK_PINK = "#801650"
ORANGE = "#F46A25"
DARK_GREY = "#3D3D3D"
LIGHT_PURPLE = "#A285D1"
MID_GREY = "#BFBFBF"
TEXT = "#0B0C0C"
GRID = "#E1E1E1"

FONT_FAMILY = 'Arial, "Helvetica Neue", Helvetica, sans-serif'
BASE_FONT_SIZE = 16

#: Plotly config for every graph: no logo, no editing, the download button keeps its name. The
#: toolbar is for the mouse: assets/lazy.js takes its buttons out of the Tab order.
GRAPH_CONFIG: dict[str, Any] = {
    "displaylogo": False,
    "responsive": True,
    # "Share chart..." would upload the figures to Plotly's cloud: never wanted here.
    "modeBarButtonsToRemove": [
        "select2d",
        "lasso2d",
        "autoScale2d",
        "toggleSpikelines",
        "sendChartToCloud",
    ],
    "toImageButtonOptions": {"format": "png", "scale": 2},
}


def plotly_text(text: str) -> str:
    """Text from the data as Plotly shows it: as text. Plotly reads <a href>, <b>, <br> and
    other tags in titles and labels as markup (a metric label could carry a live link), but
    shows entities as the characters they stand for."""
    return str(text).replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;")


def wrap_title(text: str, width: int = 52) -> str:
    """Plotly titles do not wrap by themselves: break long ones into lines at word boundaries.
    The words are escaped (``plotly_text``); only the line breaks are markup."""
    lines, line = [], ""
    for word in text.split():
        if line and len(line) + 1 + len(word) > width:
            lines.append(line)
            line = word
        else:
            line = f"{line} {word}".strip()
    lines.append(line)
    return "<br>".join(plotly_text(line) for line in lines)


def two_line_tick(label: str) -> str:
    """A period's axis label on two lines ("Sep 2007" as "Sep" over "2007"), split at the space
    nearest its middle: half as wide, so ten of them fit level under a chart at 200% zoom
    instead of tilting into each other. Escaped like any text from the data."""
    words = label.split()
    if len(words) < 2:
        return plotly_text(label)
    middle = len(label) / 2
    cut = min(range(1, len(words)), key=lambda i: abs(len(" ".join(words[:i])) - middle))
    return plotly_text(" ".join(words[:cut])) + "<br>" + plotly_text(" ".join(words[cut:]))


def base_layout(title: str, *, height: int = 380) -> dict:
    """The layout every figure starts from (a plain dict: cheap to build, no validation)."""
    lines = wrap_title(title).count("<br>") + 1
    # The top margin holds the title's lines and a gap above the plot's top axis label.
    return {
        "title": {
            "text": wrap_title(title),
            "x": 0,
            "xanchor": "left",
            "font": {"size": BASE_FONT_SIZE + 2},
        },
        "font": {"family": FONT_FAMILY, "size": BASE_FONT_SIZE, "color": TEXT},
        "paper_bgcolor": "#FFFFFF",
        "plot_bgcolor": "#FFFFFF",
        "height": height,
        "margin": {"l": 64, "r": 120, "t": 48 + 24 * lines, "b": 56},
        "showlegend": False,
        "hoverlabel": {"font": {"size": BASE_FONT_SIZE}},
        "xaxis": {
            "showgrid": False,
            "linecolor": DARK_GREY,
            "ticks": "outside",
            # "strict": period labels such as "2019" stay categories, never become numbers.
            "autotypenumbers": "strict",
            "automargin": True,
        },
        "yaxis": {
            "gridcolor": GRID,
            "zeroline": True,
            "zerolinecolor": DARK_GREY,
            "rangemode": "tozero",
            "automargin": True,
            "separatethousands": True,
        },
        "separators": ".,",
    }


def pin_category_positions(figure: dict) -> dict:
    """Give annotations and shapes on a category x axis the category's position, not its label.

    Plotly reads a label such as "2020" in an annotation or shape as the number 2020 (a category
    index far off the axis), which squashes the whole chart; positions are unambiguous.
    """
    axis = figure["layout"].get("xaxis", {})
    if axis.get("type") != "category":
        return figure
    order = list(axis.get("categoryarray") or [])
    if not order:
        for trace in figure["data"]:
            for label in trace.get("x", []):
                if label not in order:
                    order.append(label)
    index = {label: position for position, label in enumerate(order)}

    def fix(value):
        return index.get(value, value) if isinstance(value, str) else value

    for note in figure["layout"].get("annotations", []):
        if note.get("xref", "x") == "x":
            note["x"] = fix(note.get("x"))
    for shape in figure["layout"].get("shapes", []):
        if shape.get("xref", "x") == "x":
            shape["x0"], shape["x1"] = fix(shape.get("x0")), fix(shape.get("x1"))
    return figure


def vertical_rule(x: object, colour: str, width: float) -> dict:
    """A dotted line from the bottom of the plot to its top at ``x``: where a series breaks
    (a discontinuity, a change of definition), labelled by an annotation beside it."""
    return {
        "type": "line",
        "xref": "x",
        "yref": "paper",
        "x0": x,
        "x1": x,
        "y0": 0,
        "y1": 1,
        "line": {"color": colour, "width": width, "dash": "dot"},
    }
