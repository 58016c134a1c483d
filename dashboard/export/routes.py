"""Download routes: packs (every format of ``export/formats.py``) and a chart's PNG/SVG, built
on request.

    /download/pack.<extension>?quarter=2019-20-Q4&area=south-lpa
        [&priorities=7,1&figures=ksi-casualties,road-deaths&since=2018-19-Q4]  (a meeting's choice)
    /download/chart/<metric_id>.<png|svg>?quarter=...&area=...

Packs and chart images are made once per dataset version and kept on disk (filecache.py), and
a worker makes at most Settings.export_builds of them at a time (packs and images share the
bound) with Settings.export_queue waiting; beyond that the answer is 503 with Retry-After, so
the worker's other threads stay free for pages.

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
from ..views import PackError, views_of
from ..views.meeting import Meeting
from . import formats
from .charts import IMAGE_TYPES, ChartImages, chart_figure
from .filecache import Busy, FileCache, Gate, default_folder
from .packs import build_file, file_stem

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


def _busy() -> Response:
    response = _plain("Files are being made for other people; try again in a few seconds.", 503)
    response.headers["Retry-After"] = str(Busy.retry_after)
    return response


def _files(server: Flask) -> tuple[FileCache, ChartImages]:
    """One cache and one gate per worker, made at the first download from the app's settings
    (``create_app`` keeps them in ``server.config["PCP_SETTINGS"]``)."""
    made = server.config.get("PCP_EXPORT_FILES")
    if made is None:
        settings = server.config["PCP_SETTINGS"]
        folder = settings.cache_dir or default_folder(settings.data_dir)
        gate = Gate(settings.export_builds, settings.export_queue)
        max_bytes = int(settings.export_cache_mb * 1024 * 1024)
        max_files = settings.export_cache_files
        images = ChartImages(
            folder,
            gate=gate,
            browsers=settings.chart_browsers,
            browser=settings.browser_path,
            max_bytes=max_bytes,
            max_files=max_files,
        )
        made = (FileCache(folder, gate, max_bytes=max_bytes, max_files=max_files), images)
        server.config["PCP_EXPORT_FILES"] = made
    return made


def _pack(server: Flask, dataset, fmt: formats.ExportFormat, meeting: Meeting):
    """(content, filename, mimetype): from the cache, or built now under the worker's gate.
    Each meeting's choice is its own file (its stem carries a digest of the choice)."""
    chosen = meeting.resolved(views_of(dataset))
    files, _ = _files(server)
    made: dict = {}

    name = f"pack-{file_stem(chosen)}.{fmt.extension}"
    # The download's name is the pack's own, as build_file gives it: recorded beside the file.
    name_file = files.path(dataset.version, name + ".name")

    def build() -> bytes:
        made["file"] = build_file(dataset, fmt.extension, meeting=chosen)
        name_file.write_text(made["file"].filename, encoding="utf-8")
        return made["file"].content

    content = files.get(dataset.version, name, build)
    if "file" in made:
        return content, made["file"].filename, made["file"].mimetype
    try:
        filename = name_file.read_text(encoding="utf-8")
    except OSError:
        filename = build_file(dataset, fmt.extension, meeting=chosen).filename
    return content, filename, fmt.media_type


def register_routes(server: Flask, store: DatasetStore) -> None:
    @server.route("/download/pack.<fmt>")
    def download_pack(fmt: str):
        dataset = store.get()
        if dataset is None:
            return _plain("The data could not be loaded, so there is nothing to export.", 503)
        found = formats.find(fmt)
        if found is None:
            known = ", ".join(formats.extensions())
            return _plain(f"There is no “{fmt}” pack; choose one of: {known}.", 404)
        try:
            meeting = meeting_from_query(dataset, request.query_string.decode("utf-8", "replace"))
            content, filename, mimetype = _pack(server, dataset, found, meeting)
        except PackError as exc:
            return _plain(str(exc), 400)
        except Busy:
            return _busy()
        except Exception:  # noqa: BLE001 - the log gets the traceback, the browser a message
            log.exception("Export failed: %s %s", fmt, request.query_string)
            return _plain("The pack could not be built. The error has been logged.", 500)
        return _attachment(content, filename, mimetype)

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
            content = _files(server)[1].get(dataset.version, figure, fmt)
        except PackError as exc:
            return _plain(str(exc), 400)
        except Busy:
            return _busy()
        except Exception:  # noqa: BLE001
            log.exception("Chart export failed: %s.%s", metric_id, fmt)
            return _plain("The chart image could not be made. The error has been logged.", 500)
        quarter = request.args.get("quarter") or dataset.latest_quarter or "latest"
        return _attachment(content, f"{metric_id}-{quarter}.{fmt}".lower(), IMAGE_TYPES[fmt])
