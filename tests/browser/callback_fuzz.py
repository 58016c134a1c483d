"""Callback request bodies for fuzzing, generated from the app's own /_dash-dependencies.

``bodies(dependencies, count, seed)`` yields ``(kind, bytes)``: ``kind`` is "valid" for a body
the browser could send (a real callback, a path of the app, filter values of the right type),
else names the mutation. Mutations are the ones an attacker or a broken client produces: keys
dropped or of the wrong type, unknown outputs, pattern ids without their keys, lone surrogates,
deep nesting, huge strings, bodies that are not JSON or not UTF-8. Deterministic for a seed.
"""

from __future__ import annotations

import copy
import json
import random
from collections.abc import Iterator

PATHS = ["/", "/priority/1", "/priority/7", "/metric/ksi-casualties", "/area/south-lpa",
         "/narrative", "/about", "/present", "/nope", "/metric/nope"]  # fmt: skip
SEARCHES = ["", "?quarter=2018-19-Q4", "?area=south-lpa", "?quarter=2099-00-Q1", "?q=road",
            "?quarter=9999-00-Q4&area=%00", "?slide=3", "?priority=9"]  # fmt: skip
FILTER_VALUES = ["2019-20-Q4", "2018-19-Q4", "south-lpa", "essex", "all", "", None, "1", "7"]

ODD_STRINGS = [
    "\ud800",  # a lone surrogate: not encodable as UTF-8
    "a\udfffb",
    "\x00",
    "𝔘𝔫𝔦𝔠𝔬𝔡𝔢 ﷽",
    "<script>alert(1)</script>",
    "../../etc/passwd",
    "%",
    "?" * 3,
    "x" * 100_000,
]


def _odd_value(rng: random.Random, depth: int = 0):
    choice = rng.randrange(12)
    if choice == 0:
        return None
    if choice == 1:
        return rng.choice([True, False])
    if choice == 2:
        return rng.randint(-(2**63), 2**63)
    if choice == 3:
        return rng.choice([0.5, -1e308, 1e308, 3.0])
    if choice == 4:
        return rng.choice(ODD_STRINGS)
    if choice == 5 and depth < 3:
        return [_odd_value(rng, depth + 1) for _ in range(rng.randrange(4))]
    if choice == 6 and depth < 3:
        return {rng.choice(["id", "name", "type", "value", "x"]): _odd_value(rng, depth + 1)}
    if choice == 7:
        return _nested(rng.choice([50, 1000, 5000]))
    if choice == 8:
        return rng.choice(PATHS)
    return rng.choice(["", "abc", "2019-20-Q4", {"name": "quarter"}, [], {}])


def _nested(depth: int) -> str:
    """A marker that ``_encode`` turns into ``depth`` nested lists (json.dumps would recurse)."""
    return f"__DEEP_{depth}__"


def _encode(body: object) -> bytes:
    text = json.dumps(body)
    for depth in (50, 100, 1000, 5000, 20000):
        text = text.replace(f'"__DEEP_{depth}__"', "[" * depth + '"deep"' + "]" * depth)
    return text.encode()


def _id_of(spec_id: str):
    """A callback input's id as the browser sends it: a string, or the pattern as a dict."""
    if spec_id.startswith("{"):
        return json.loads(spec_id)
    return spec_id


def valid_body(dependency: dict, rng: random.Random) -> dict:
    def item(spec: dict) -> dict | list:
        ident = _id_of(spec["id"])
        if isinstance(ident, dict):  # pattern-matching ALL: a list of concrete items
            names = rng.sample(["quarter", "area", "priority", "q"], rng.randrange(1, 4))
            return [
                {
                    "id": {k: (n if v == ["ALL"] else v) for k, v in ident.items()},
                    "property": spec["property"],
                    "value": rng.choice(FILTER_VALUES),
                }
                for n in names
            ]
        prop = spec["property"]
        if prop == "pathname":
            value = rng.choice(PATHS)
        elif prop == "search":
            value = rng.choice(SEARCHES)
        else:
            value = rng.choice(FILTER_VALUES)
        return {"id": ident, "property": prop, "value": value}

    output = dependency["output"]
    parts = output[2:-2].split("...") if output.startswith("..") else [output]
    outputs = [
        {"id": _id_of(ident), "property": prop}
        for ident, _, prop in (part.rpartition(".") for part in parts)
    ]
    inputs = [item(s) for s in dependency["inputs"]]
    first = dependency["inputs"][0]
    return {
        "output": output,
        "outputs": outputs if output.startswith("..") else outputs[0],
        "inputs": inputs,
        "changedPropIds": [f"{first['id']}.{first['property']}"],
        "state": [item(s) for s in dependency["state"]],
    }


def _paths(value, prefix=()):
    yield prefix
    if isinstance(value, dict):
        for key, inner in value.items():
            yield from _paths(inner, (*prefix, key))
    elif isinstance(value, list):
        for index, inner in enumerate(value):
            yield from _paths(inner, (*prefix, index))


def _set(body, path, value):
    target = body
    for step in path[:-1]:
        target = target[step]
    target[path[-1]] = value


def _delete(body, path):
    target = body
    for step in path[:-1]:
        target = target[step]
    del target[path[-1]]


def mutate(body: dict, rng: random.Random) -> tuple[str, object]:
    body = copy.deepcopy(body)
    kind = rng.choice(
        [
            "replace",
            "replace",
            "replace",
            "drop",
            "drop",
            "output",
            "pattern-id",
            "surrogate",
            "deep",
            "top-level",
            "extra",
            "length",
        ]  # fmt: skip
    )
    paths = [p for p in _paths(body) if p]
    if kind == "replace":
        _set(body, rng.choice(paths), _odd_value(rng))
    elif kind == "drop":
        _delete(body, rng.choice(paths))
    elif kind == "output":
        body["output"] = rng.choice(["nope.children", "", "page-content", "url.search..x", 5])
    elif kind == "pattern-id":
        for path in paths:
            if path[-1] == "id" and isinstance(_get(body, path), dict):
                ident = _get(body, path)
                ident.pop(rng.choice(list(ident)), None)
                break
        else:
            kind = "replace"
            _set(body, rng.choice(paths), {"type": "filter"})
    elif kind == "surrogate":
        values = [p for p in paths if p[-1] == "value"] or paths
        _set(body, rng.choice(values), rng.choice(ODD_STRINGS[:2]))
    elif kind == "deep":
        _set(body, rng.choice(paths), _nested(rng.choice([100, 1000, 20000])))
    elif kind == "top-level":
        return kind, rng.choice([[], None, 5, "x", [body], {"inputs": body["inputs"]}])
    elif kind == "extra":
        body[rng.choice(["__proto__", "outputs2", "inputs", "state"])] = _odd_value(rng)
    elif kind == "length":
        body["inputs"] = body["inputs"] + body["inputs"] if rng.random() < 0.5 else []
    return kind, body


def _get(body, path):
    for step in path:
        body = body[step]
    return body


RAW_BODIES = [
    b"",
    b"{",
    b'{"output": "page-content.children", "inputs": [',
    b"\xff\xfe\x00{}",
    b'{"output": "\xc3\x28"}',
    b"null",
    b"[" * 100_000,
    b'{"a":' * 5000 + b"1" + b"}" * 5000,
    b"NaN",
    b'{"output": "page-content.children", "inputs": Infinity}',
]


def bodies(dependencies: list[dict], count: int, seed: int) -> Iterator[tuple[str, bytes]]:
    """Valid bodies for the callbacks the server runs; mutated ones for any callback (a body
    for a clientside one is itself malformed: the server never runs it)."""
    rng = random.Random(seed)
    served = [d for d in dependencies if not d.get("clientside_function")]
    for number in range(count):
        roll = rng.random()
        dependency = rng.choice(served if roll < 0.3 else dependencies)
        body = valid_body(dependency, rng)
        if roll < 0.3:
            yield "valid", _encode(body)
        elif roll < 0.35:
            yield "raw", RAW_BODIES[number % len(RAW_BODIES)]
        else:
            kind, mutated = mutate(body, rng)
            yield kind, _encode(mutated)
