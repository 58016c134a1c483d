"""Download routes: packs (PDF, PowerPoint, XLSX, CSV) and a chart's PNG/SVG, built on request.

    /download/pack.<pdf|pptx|xlsx|csv>?quarter=2019-20-Q4&area=south-lpa
        [&priorities=7,1&figures=ksi-casualties,road-deaths&since=2018-19-Q4]  (a meeting's choice)
    /download/chart/<metric_id>.<png|svg>?quarter=...&area=...

Files are built in memory and sent with their filename and content type. A bad quarter, area,
metric or format is a 400 with a plain message; anything unexpected is logged and the browser gets
a plain 500 message, never a traceback. The routes pass through the request hooks the app
installs (dashboard/app.py) like every other route.
"""

from __future__ import annotations

import logging
from urllib.parse import quote

from flask import Flask, Response, request

from ..data.store import DatasetStore
from ..routing import PathRule, resolve
from ..views import PackError
from ..views.meeting import Meeting
from .charts import IMAGE_TYPES, chart_figure, chart_image
from .packs import FORMATS, build_file

log = logging.getLogger(__name__)


def _plain(message: str, status: int) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def _attachment(content: bytes, filename: str, mimetype: str) -> Response:
    response = Response(content, content_type=mimetype)
    response.headers["Content-Disposition"] = (
        f"attachment; filename=\"{filename}\"; filename*=UTF-8''{quote(filename)}"
    )
    response.headers["Content-Length"] = str(len(content))
    response.headers["Cache-Control"] = "private, max-age=300"
    return response


def meeting_from_query(dataset, query: str) -> Meeting:
    """The meeting a download's query names (as meeting mode reads it: dashboard/routing.py).
    A quarter or area the data do not have is a PackError, not a silent default."""
    route = resolve("/present", "?" + query, dataset, {"present": PathRule("present")})
    args = request.args
    return Meeting(
        args.get("quarter") or None,
        args.get("area") or None,
        route.priorities,
        route.figures,
        route.since,
    )


def register_routes(server: Flask, store: DatasetStore) -> None:
    @server.route("/download/pack.<fmt>")
    def download_pack(fmt: str):
        dataset = store.get()
        if dataset is None:
            return _plain("The data could not be loaded, so there is nothing to export.", 503)
        if fmt not in FORMATS:
            return _plain(f"There is no “{fmt}” pack; choose one of: {', '.join(FORMATS)}.", 404)
        try:
            meeting = meeting_from_query(dataset, request.query_string.decode("utf-8", "replace"))
            file = build_file(dataset, fmt, meeting=meeting)
        except PackError as exc:
            return _plain(str(exc), 400)
        except Exception:  # noqa: BLE001 - the log gets the traceback, the browser a message
            log.exception("Export failed: %s %s", fmt, request.query_string)
            return _plain("The pack could not be built. The error has been logged.", 500)
        return _attachment(file.content, file.filename, file.mimetype)

    @server.route("/download/chart/<metric_id>.<fmt>")
    def download_chart(metric_id: str, fmt: str):
        dataset = store.get()
        if dataset is None:
            return _plain("The data could not be loaded, so there is nothing to export.", 503)
        if fmt not in IMAGE_TYPES:
            return _plain(f"Charts download as {' or '.join(IMAGE_TYPES)}, not “{fmt}”.", 404)
        try:
            figure = chart_figure(
                dataset, metric_id, request.args.get("quarter"), request.args.get("area")
            )
            content = chart_image(figure, fmt)
        except PackError as exc:
            return _plain(str(exc), 400)
        except Exception:  # noqa: BLE001
            log.exception("Chart export failed: %s.%s", metric_id, fmt)
            return _plain("The chart image could not be made. The error has been logged.", 500)
        quarter = request.args.get("quarter") or dataset.latest_quarter or "latest"
        return _attachment(content, f"{metric_id}-{quarter}.{fmt}".lower(), IMAGE_TYPES[fmt])
