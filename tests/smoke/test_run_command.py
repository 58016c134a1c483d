"""The README's run command, as a new user runs it: a fresh clone, nothing of the project on
PATH, only ``HOME`` and the system ``PATH`` in the environment.

    env -i HOME=$HOME PATH=/usr/bin:/bin PCP_BIND=127.0.0.1:<free port> setsid bash scripts/run.sh

It must set everything up, validate the bundled data and serve it: ``/healthz`` answers 200 and
the plan at a glance shows the 2019/20 Q4 headline figures. Then the process group is stopped.
"""

from __future__ import annotations

from smoke_support import (
    clean_env,
    free_port,
    in_own_group,
    page_text,
    reference_text,
    report,
    served_by,
    started,
)

#: Setting up a new virtual environment from a warm pip cache takes about a minute here; a cold
#: cache several. Generous, because CI shares two cores with other work.
SETUP_AND_START = 900.0

#: Headline figures of 2019/20 Q4 as the plan at a glance shows them, with the words of the
#: published report that state them (tests/fixtures/reference/2019-20-Q4-quarterly-update.txt).
HEADLINES = {
    "507 at the quarter's end": "The Special Constable headcount fell to 507 at the end of March 2020",
    "82,344 in the quarter": "82,344 emergency calls (999) were taken this quarter",
    "48,144 hours in the quarter": "Specials Constables contributed a total of 48,144 hours",
}


def test_readme_run_command_serves_the_bundled_data_from_a_fresh_clone(clone, tmp_path):
    assert "bash scripts/run.sh" in (clone / "README.md").read_text(encoding="utf-8")
    port = free_port()
    command = in_own_group(clean_env(PCP_BIND=f"127.0.0.1:{port}"), "bash", "scripts/run.sh")
    log = tmp_path / "run.log"
    with started(command, cwd=clone, port=port, log=log, timeout=SETUP_AND_START) as server:
        report(f"run.sh in a fresh clone: /healthz 200 after {server.seconds_to_healthy:.1f} s")
        text = page_text(server.url, "/")
        # run.sh ends by exec-ing `pcp-dashboard serve`, so the group leader is serve: it runs
        # gunicorn from the clone's own interpreter and Debian's nginx in front, nothing from PATH.
        argv, children, programs, server_header = served_by(server.process.pid, port)
        log_text = server.log_text()
    assert "Plan at a glance: 2019/20 Q4" in text
    published = reference_text()
    for shown, sentence in HEADLINES.items():
        assert shown in text, f"the plan at a glance does not show {shown!r}"
        assert sentence in published  # the figure is the published one
    assert argv[1:3] == [f"{clone}/.venv/bin/pcp-dashboard".encode(), b"serve"]
    gunicorn = [c for c in children if c[1:3] == [b"-m", b"gunicorn"]]
    assert [c[0].decode() for c in gunicorn] == [f"{clone}/.venv/bin/python"]
    assert [p for p in programs if "nginx" in p] == ["/usr/sbin/nginx"]
    assert server_header == "nginx"  # the port is nginx's; gunicorn is behind it
    assert "Listening at: unix:" in log_text  # gunicorn on a socket only nginx reaches
    assert "Traceback" not in log_text
    assert "Using worker: gthread" in log_text  # the shipped gunicorn settings applied
