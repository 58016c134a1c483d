"""District pages benchmark: prints figures, asserts nothing.

    .venv/bin/python benchmarks/bench_districts.py [--calls 50]

The page callback (POST /_dash-update-component, as the browser sends it) of a district profile
(/area/<district>, the 14 districts in turn) and of the districts page with its map
(/districts, cycling through measures, periods and rankings), ``--calls`` calls each, in
process through Flask's test client on the bundled data (or ``$PCP_DATA_DIR``), so the time is
the server's own. Each is measured twice: each URL's first call on a fresh app (nothing cached: the
first person to ask for each view; several fresh apps until there are --calls of them) and the
--calls URLs again with the views kept (everyone after).
"""

from __future__ import annotations

import argparse
import json
import statistics
import time

from dashboard.app import create_app
from dashboard.shell import page_request


def percentile(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(q / 100 * (len(ordered) - 1))))]


def run(client, urls: list[tuple[str, str]]) -> list[float]:
    times = []
    for pathname, search in urls:
        body = json.dumps(page_request(pathname, search)).encode()
        start = time.perf_counter()
        response = client.post(
            "/_dash-update-component", data=body, content_type="application/json"
        )
        times.append((time.perf_counter() - start) * 1000)
        assert response.status_code == 200, (pathname, search, response.status_code)
    return times


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=50)
    args = parser.parse_args()
    districts = [
        "basildon", "braintree", "brentwood", "castle-point", "chelmsford", "colchester",
        "epping-forest", "harlow", "maldon", "rochford", "southend", "tendring", "thurrock",
        "uttlesford",
    ]  # fmt: skip
    measures = [
        "policeuk-anti-social-behaviour",
        "policeuk-violence-and-sexual-offences",
        "policeuk-criminal-damage-and-arson",
        "policeuk-burglary",
        "policeuk-vehicle-crime",
    ]
    periods = ["3m-2019-02", "2019-02", "2019-01", "2018-03", "3m-2018-03"]
    ways = ["rate", "count", "change"]
    profile = [(f"/area/{districts[i % 14]}", "") for i in range(args.calls)]
    side = [
        (
            "/districts",
            f"?measure={measures[i % 5]}&period={periods[(i // 5) % 5]}&by={ways[i % 3]}",
        )
        for i in range(args.calls)
    ]
    for name, urls in (("district profile", profile), ("districts page with map", side)):
        # First calls: each URL once on a fresh app (a fresh view model, nothing cached), on
        # as many fresh apps as it takes to make --calls first calls.
        unique = list(dict.fromkeys(urls))
        cold: list[float] = []
        while len(cold) < args.calls:
            client = create_app().server.test_client()
            cold += run(client, unique[: args.calls - len(cold)])
        warm = run(client, urls)  # the last app again: every view already kept
        for label, t in (("first call of each view", cold), ("views kept", warm)):
            print(
                f"{name:26} {label:24} n={len(t):3}  p50 {percentile(t, 50):7.1f} ms  "
                f"p95 {percentile(t, 95):7.1f} ms  mean {statistics.mean(t):7.1f} ms"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
