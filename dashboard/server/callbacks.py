"""Every callback request is checked against the callback it names before Dash dispatches it.

The browser POSTs ``/_dash-update-component`` with the output it wants and the inputs and state
the callback declared. Anything else (not JSON, not an object, an output no callback has, ids or
properties the callback did not declare, a pattern id without its keys, text that is not valid
Unicode, nesting deeper than any real request) is answered 400 with a short plain message,
instead of reaching Dash's dispatcher or the callback and ending in a 500 and a traceback.

The expected shape comes from ``app.callback_map`` (what the app registered), so the check
does not depend on how the callbacks are written; values are checked by property: a
``dcc.Location``'s ``pathname``/``search``/``hash``/``href`` are text, a ``value`` is text, a
number, a boolean or a list of those.
"""

from __future__ import annotations

import json
import logging
import math

from dash import Dash
from flask import request

from .limits import plain

log = logging.getLogger(__name__)

#: Deeper than any request the browser sends (a few levels): refused before anything recurses.
MAX_DEPTH = 32
#: Properties whose value is text (or absent).
TEXT_PROPERTIES = {"pathname", "search", "hash", "href", "title"}
#: Properties whose value is a scalar, or a list of scalars (multi-selects).
VALUE_PROPERTIES = {"value"}
MAX_TEXT = 10_000
MAX_LIST = 1_000
WILDCARDS = ({"ALL"}, {"MATCH"}, {"ALLSMALLER"})


class BadCallback(ValueError):
    """The request does not match the callback it names."""


def _refuse_constant(name: str):
    raise BadCallback(f"{name} is not a JSON number")


def parse(raw: bytes) -> object:
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise BadCallback("the body is not UTF-8 text") from exc
    try:
        body = json.loads(text, parse_constant=_refuse_constant)
    except BadCallback:
        raise
    except RecursionError as exc:  # json's C parser stops itself at Python's recursion limit
        raise BadCallback(f"the body is nested more than {MAX_DEPTH} levels deep") from exc
    except ValueError as exc:
        raise BadCallback("the body is not valid JSON") from exc
    _check_depth(body)
    return body


def _check_depth(value: object) -> None:
    """Refuse nesting deeper than MAX_DEPTH, without recursion of our own."""
    stack = [(value, 1)]
    while stack:
        item, depth = stack.pop()
        if isinstance(item, dict | list):
            if depth > MAX_DEPTH:
                raise BadCallback(f"the body is nested more than {MAX_DEPTH} levels deep")
            children = item.values() if isinstance(item, dict) else item
            stack.extend((child, depth + 1) for child in children)


def _check_text(value: object, where: str) -> None:
    """Every string anywhere in ``value`` encodes as UTF-8 (no lone surrogates)."""
    stack = [value]
    while stack:
        item = stack.pop()
        if isinstance(item, str):
            try:
                item.encode("utf-8")
            except UnicodeEncodeError as exc:
                raise BadCallback(f"{where} holds text that is not valid Unicode") from exc
        elif isinstance(item, dict):
            stack.extend(item.keys())
            stack.extend(item.values())
        elif isinstance(item, list):
            stack.extend(item)


def _scalar(value: object) -> bool:
    if isinstance(value, float):
        return math.isfinite(value)
    return value is None or isinstance(value, str | int | bool)


def check_value(prop: str, value: object, where: str) -> None:
    if prop in TEXT_PROPERTIES:
        if value is not None and not isinstance(value, str):
            raise BadCallback(f"{where} ({prop}) must be text")
        if isinstance(value, str) and len(value) > MAX_TEXT:
            raise BadCallback(f"{where} ({prop}) is longer than {MAX_TEXT:,} characters")
    elif prop in VALUE_PROPERTIES:
        items = value if isinstance(value, list) else [value]
        if len(items) > MAX_LIST or not all(_scalar(v) for v in items):
            raise BadCallback(f"{where} ({prop}) must be text, a number or a list of them")
        if any(isinstance(v, str) and len(v) > MAX_TEXT for v in items):
            raise BadCallback(f"{where} ({prop}) is longer than {MAX_TEXT:,} characters")


def _pattern(spec_id: str) -> dict | None:
    if not spec_id.startswith("{"):
        return None
    try:
        pattern = json.loads(spec_id)
    except ValueError:
        return None
    return pattern if isinstance(pattern, dict) else None


def _check_id(ident: object, pattern: dict, where: str) -> None:
    if not isinstance(ident, dict) or set(ident) != set(pattern):
        raise BadCallback(f"{where}: the id must have exactly the keys {sorted(pattern)}")
    for key, expected in pattern.items():
        value = ident[key]
        if isinstance(expected, list) and set(expected) in WILDCARDS:
            if not (_scalar(value) and value is not None):
                raise BadCallback(f"{where}: id key {key!r} must be text or a number")
        elif value != expected:
            raise BadCallback(f"{where}: id key {key!r} must be {expected!r}")


def _check_item(item: object, spec: dict, where: str) -> None:
    if not isinstance(item, dict):
        raise BadCallback(f"{where} must be an object with id, property and value")
    if item.get("property") != spec["property"]:
        raise BadCallback(f"{where}: the property must be {spec['property']!r}")
    pattern = _pattern(spec["id"])
    if pattern is None:
        if item.get("id") != spec["id"]:
            raise BadCallback(f"{where}: the id must be {spec['id']!r}")
    else:
        _check_id(item.get("id"), pattern, where)
    check_value(spec["property"], item.get("value"), where)


def _check_items(items: object, specs: list[dict], name: str) -> None:
    if not isinstance(items, list) or len(items) != len(specs):
        raise BadCallback(
            f"{name} must be a list of {len(specs)} item(s), as the callback declares"
        )
    for position, (item, spec) in enumerate(zip(items, specs, strict=True)):
        where = f"{name}[{position}]"
        pattern = _pattern(spec["id"])
        many = pattern is not None and any(
            isinstance(v, list) and set(v) in ({"ALL"}, {"ALLSMALLER"}) for v in pattern.values()
        )
        if many:
            if not isinstance(item, list) or len(item) > MAX_LIST:
                raise BadCallback(f"{where} must be a list (a pattern-matching input)")
            for index, element in enumerate(item):
                _check_item(element, spec, f"{where}[{index}]")
        else:
            _check_item(item, spec, where)


def _declared_outputs(output: str) -> list[tuple[str, str]]:
    """'id.prop' or '..id1.prop1...id2.prop2..' -> [(id, prop)] as Dash registered them."""
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    declared = []
    for part in parts:
        ident, _, prop = part.rpartition(".")
        if ident:
            declared.append((ident, prop))
    return declared


def _check_outputs(outputs: object, output: str) -> None:
    declared = _declared_outputs(output)
    items = outputs if isinstance(outputs, list) else [outputs]
    if output.startswith("..") != isinstance(outputs, list) or len(items) != len(declared):
        raise BadCallback("outputs do not match the output the request names")
    for item, (spec_id, prop) in zip(items, declared, strict=True):
        if not isinstance(item, dict) or item.get("property") != prop:
            raise BadCallback(f"each output must be an object with the property {prop!r}")
        pattern = _pattern(spec_id)
        if pattern is None:
            if item.get("id") != spec_id:
                raise BadCallback(f"the output id must be {spec_id!r}")
        else:
            _check_id(item.get("id"), pattern, "outputs")


def check_body(body: object, callback_map: dict) -> None:
    """Raises BadCallback unless ``body`` is a request for a registered callback, shaped as
    that callback declares."""
    if not isinstance(body, dict):
        raise BadCallback("the body must be a JSON object")
    output = body.get("output")
    if not isinstance(output, str) or output not in callback_map:
        raise BadCallback("the request names no callback of this app")
    if "callback" not in callback_map[output]:  # a clientside callback runs in the browser
        raise BadCallback("the request names a callback that runs in the browser, not here")
    spec = callback_map[output]
    _check_text(body, "the body")
    _check_outputs(body.get("outputs"), output)
    _check_items(body.get("inputs"), spec.get("inputs", []), "inputs")
    _check_items(body.get("state", []), spec.get("state", []), "state")
    changed = body.get("changedPropIds", [])
    if not isinstance(changed, list) or not all(isinstance(c, str) for c in changed):
        raise BadCallback("changedPropIds must be a list of text")


def install(app: Dash) -> None:
    server = app.server
    path = (app.config.routes_pathname_prefix or "/") + "_dash-update-component"

    @server.before_request
    def check_callback_request():
        if request.path != path or request.method != "POST":
            return None
        try:
            body = parse(request.get_data(cache=True))
            check_body(body, app.callback_map)
        except BadCallback as exc:
            log.info("callback request refused: %s", exc, extra={"event": "callback_refused"})
            return plain(f"Bad request: {exc}.", 400)
        return None
