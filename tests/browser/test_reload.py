"""A running server takes new data without a restart, in every worker, once they are published
(`pcp-dashboard publish`: files edited in the folder never go live by themselves, issue 25,
finding 4), and keeps serving the last good data when the new files are invalid.

The server (gunicorn, 2 workers, the shipped reload interval) serves a copy of data/ in a
temporary folder; the test changes files there the way an import does (write beside, then
rename over), never in data/. Requests go over fresh connections, and the server's access log
(which names the worker process) shows that both workers answered each batch that is checked.
"""

from __future__ import annotations

import json
import os
import time
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from playwright.sync_api import expect

from dashboard.cli import main
from dashboard.shell import page_request

OLD_LABEL = "Killed or seriously injured (KSI) road casualties"
NEW_LABEL = "Killed or seriously injured (KSI) road casualties (relabelled)"
ROW_START = f"ksi-casualties,{OLD_LABEL},7,p7-o1,count,quarter_count,"
REQUESTS = 40
#: The shipped PCP_RELOAD_SECONDS is 2: every worker must have looked again well within this.
WAIT_SECONDS = 15


def replace_file(path: Path, text: str) -> None:
    """Write beside the file, then rename over it: readers never see half a file."""
    temporary = path.with_name(path.name + ".new")
    temporary.write_text(text, encoding="utf-8")
    os.replace(temporary, path)


def render(url: str, pathname: str, search: str = "") -> str:
    """The page's content as the page callback returns it (a new connection each time)."""
    request = urllib.request.Request(
        f"{url}/_dash-update-component",
        data=json.dumps(page_request(pathname, search)).encode(),
        headers={"Content-Type": "application/json"},
    )
    with urllib.request.urlopen(request, timeout=10) as response:
        assert response.status == 200
        return response.read().decode()


def healthz(url: str) -> tuple[int, dict]:
    with urllib.request.urlopen(f"{url}/healthz", timeout=5) as response:
        return response.status, json.loads(response.read())


def answers(url: str, pathname: str, count: int = REQUESTS) -> list[str]:
    """``count`` renders, four at a time: one request after another may all be taken by the
    worker that happens to be waiting first (seen on a loaded machine), four at once cannot."""
    with ThreadPoolExecutor(max_workers=4) as pool:
        return list(pool.map(lambda _: render(url, pathname), range(count)))


def answers_from_every_worker(server, pathname: str, count: int = REQUESTS) -> list[str]:
    """``count`` renders of a page; fails unless both workers answered some of them."""
    start = len(server.log_text())
    seen = answers(server.url, pathname, count)
    time.sleep(0.2)  # the access log is written after the response
    pids = server.worker_pids(start, "/_dash-update-component")
    assert len(pids) == 2, f"only worker(s) {pids} answered {count} requests"
    return seen


def wait_until(condition, what: str) -> None:
    deadline = time.monotonic() + WAIT_SECONDS
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"after {WAIT_SECONDS} s: {what}")
        time.sleep(0.25)


def test_new_data_reach_every_worker_and_bad_data_are_refused(
    live_server_tmp_data, page, open_page
):
    server = live_server_tmp_data
    url = server.url
    metrics = server.data_dir / "metrics.csv"
    original = metrics.read_text(encoding="utf-8")
    assert original.count(ROW_START) == 1

    # Before: every worker shows the bundled label.
    assert all(
        f"{OLD_LABEL}" in a and NEW_LABEL not in a for a in answers(url, "/metric/ksi-casualties")
    )

    # 1. A valid change: reported, not shown, until published; then every worker shows it,
    #    without a restart.
    replace_file(metrics, original.replace(ROW_START, ROW_START.replace(OLD_LABEL, NEW_LABEL)))
    wait_until(
        lambda: healthz(url)[1]["unpublished_files"] == ["metrics.csv"], "the edit not reported"
    )
    assert all(NEW_LABEL not in a for a in answers(url, "/metric/ksi-casualties", 10))
    assert main(["publish", "--data-dir", str(server.data_dir)]) == 0
    wait_until(
        lambda: NEW_LABEL in render(url, "/metric/ksi-casualties"), "no worker took the new label"
    )
    # A worker that is asked while another holds the dataset's lock keeps serving what it has
    # and looks again after its reload interval (2 s): within WAIT_SECONDS, every worker's
    # every answer has the new label.
    wait_until(
        lambda: all(
            NEW_LABEL in a for a in answers_from_every_worker(server, "/metric/ksi-casualties")
        ),
        "some worker still answered with the old data",
    )
    assert all(NEW_LABEL in a for a in answers(url, "/priority/7", 10))
    open_page(f"{url}/metric/ksi-casualties")
    expect(page.locator("h1")).to_have_text(NEW_LABEL)
    status, health = healthz(url)
    assert status == 200 and health["serving_last_good_data"] is False

    # 2. An invalid file: refused; the last good data (with the new label) keep being served.
    bad = original.replace(ROW_START + "down,", ROW_START + "sideways,")
    assert bad != original
    replace_file(metrics, bad)
    assert main(["publish", "--data-dir", str(server.data_dir)]) == 1  # refused: not valid
    time.sleep(2.5)

    def all_workers_refused() -> bool:
        return all(healthz(url)[1]["serving_last_good_data"] for _ in range(REQUESTS))

    wait_until(all_workers_refused, "not every worker noticed the invalid file")
    for _ in range(REQUESTS // 2):
        status, health = healthz(url)
        assert status == 200 and health["status"] == "ok"
    for answer in answers_from_every_worker(server, "/metric/ksi-casualties"):
        assert NEW_LABEL in answer
        assert "Traceback" not in answer
    for answer in answers_from_every_worker(server, "/about"):
        assert "Files in the data folder are not live" in answer
        assert "metrics.csv" in answer  # says which file
    open_page(f"{url}/metric/ksi-casualties")
    expect(page.locator("h1")).to_have_text(NEW_LABEL)
    open_page(f"{url}/about")
    expect(
        page.get_by_role("heading", name="Files in the data folder are not live")
    ).to_be_visible()
    expect(page.get_by_role("alert")).to_contain_text("metrics.csv")

    # 3. Fixed files, published: the warning goes and the fixed data are shown, again in
    #    every worker.
    replace_file(metrics, original)
    assert main(["publish", "--data-dir", str(server.data_dir)]) == 0
    wait_until(lambda: not healthz(url)[1]["serving_last_good_data"], "the fix was not taken")
    wait_until(
        lambda: not any("not live" in a for a in answers_from_every_worker(server, "/about")),
        "some worker still said the files were not live",
    )
    assert all(
        OLD_LABEL in a and NEW_LABEL not in a for a in answers(url, "/metric/ksi-casualties")
    )
    assert "Traceback" not in server.log_text()
