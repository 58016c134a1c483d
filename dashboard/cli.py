"""`pcp-dashboard`: serve, validate, import, history, rollback, ingest, review, export, build-data.

Each subcommand lives in the module that does the work; this file only wires them. A module
offers ``register(subparsers)`` which adds its parser and sets ``func(args) -> int``.
"""

from __future__ import annotations

import argparse
import importlib
import sys

from .config import Settings, SettingsError, install

#: Modules that add subcommands; a module that is not there yet is skipped, not fatal.
COMMAND_MODULES = (
    "dashboard.commands",
    "dashboard.ingest.command",
    "dashboard.ingest.review",
    "dashboard.export.command",
    "dashboard.publishers.command",
    "dashboard.data.command",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="pcp-dashboard",
        description="Police and Crime Plan performance dashboard: data tools and server.",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND", required=True)
    for name in COMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        module.register(subparsers)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        # The environment is read here, once: code below reads the installed settings.
        settings = Settings.from_env()
    except SettingsError as exc:  # a bad environment variable: say which, no traceback
        print(f"pcp-dashboard: {exc}", file=sys.stderr)
        return 2
    before = install(settings)
    try:
        return int(args.func(args) or 0)
    except SettingsError as exc:  # a bad environment variable: say which, no traceback
        print(f"pcp-dashboard: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        return 130
    finally:
        install(before)


if __name__ == "__main__":
    sys.exit(main())
