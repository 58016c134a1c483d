"""`pcp-dashboard export`: write a pack to a file.

    pcp-dashboard export --quarter 2019-20-Q4 --area south-lpa --format pdf --out pack.pdf
    pcp-dashboard export --quarter 2019-20-Q4 --priorities 7,3 --figures ksi-casualties,dvpo-granted \
        --since 2018-19-Q4 --out meeting.pptx

A meeting's choice (--priorities, --figures, --since) is written as the meeting builder writes it
in its link (see dashboard/routing.py), so the command makes the same papers as the download.

The quarter may be written in any spelling the tables accept ("2019/20 Q4", "Q4 2019/20"); the
default is the latest quarter. The format defaults to the --out file's extension. Exit codes:
0 written, 1 the data could not be loaded, 2 a bad argument (quarter, area, format), 3 the file
could not be written.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

from . import formats


def register(subparsers) -> None:
    parser = subparsers.add_parser(
        "export",
        help=f"write the quarter's pack as {formats.labels()}",
        description="Write the quarter's pack (all seven priorities) to a file.",
    )
    parser.add_argument("--quarter", help="quarter, for example 2019-20-Q4 (default: latest)")
    parser.add_argument("--area", help="area id or name (default: force-wide)")
    parser.add_argument("--priorities", help="the meeting's priorities, in order, e.g. 7,1,3")
    parser.add_argument("--figures", help="the meeting's figures (metric ids), in order")
    parser.add_argument("--since", help="the last meeting's quarter: what changed since then")
    parser.add_argument(
        "--format", choices=formats.extensions(), help="default: from --out's extension"
    )
    parser.add_argument("--out", required=True, type=Path, help="file to write")
    parser.add_argument(
        "--data-dir", type=Path, help="dataset folder (default: PCP_DATA_DIR or data/)"
    )
    parser.set_defaults(func=run)


def _meeting(args: argparse.Namespace, dataset):
    """The meeting the arguments name, read as a meeting link is (a problem is an error)."""
    from urllib.parse import urlencode

    from ..routing import PathRule, resolve
    from ..views import PackError
    from ..views.meeting import Meeting

    given = {"priorities": args.priorities, "figures": args.figures, "since": args.since}
    query = urlencode({k: v for k, v in given.items() if v})
    route = resolve("/present", "?" + query, dataset, {"present": PathRule("present")})
    if route.problems:
        raise PackError(" ".join(route.problems))
    return Meeting(args.quarter, args.area, route.priorities, route.figures, args.since)


def run(args: argparse.Namespace) -> int:
    from ..config import Settings
    from ..data.errors import DataError
    from ..data.model import load_dataset
    from ..views import PackError
    from .packs import build_file

    fmt = args.format or args.out.suffix.lower().lstrip(".")
    if formats.find(fmt) is None:
        print(
            f"error: give --format ({', '.join(formats.extensions())}) or an --out file ending "
            "in one of them",
            file=sys.stderr,
        )
        return 2
    folder = args.data_dir or Settings.from_env().data_dir
    try:
        dataset = load_dataset(folder)
    except DataError as exc:
        print(f"error: the data in {folder} did not validate:\n{exc}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"error: could not read the data in {folder}: {exc}", file=sys.stderr)
        return 1
    started = time.perf_counter()
    try:
        file = build_file(dataset, fmt, meeting=_meeting(args, dataset))
    except PackError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    try:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_bytes(file.content)
    except OSError as exc:
        print(f"error: could not write {args.out}: {exc}", file=sys.stderr)
        return 3
    took = time.perf_counter() - started
    print(f"Wrote {args.out} ({fmt}, {len(file.content):,} bytes, {took:.2f} s)")
    return 0
