"""nginx in front of several app hosts (issue 26): every host named, a failed request passed
to the next host, idle connections closed before gunicorn closes them; one host's config
(``pcp-dashboard serve``) as before."""

from __future__ import annotations

from dashboard.config import Settings
from dashboard.proxy import nginx_config


def test_two_hosts_are_balanced_and_a_failed_request_goes_to_the_other(tmp_path):
    text = nginx_config(Settings(), tmp_path, ["127.0.0.1:8051", "127.0.0.1:8052"])
    upstream = next(line for line in text.splitlines() if line.strip().startswith("upstream app"))
    assert "server 127.0.0.1:8051 max_fails=3 fail_timeout=5s;" in upstream
    assert "server 127.0.0.1:8052 max_fails=3 fail_timeout=5s;" in upstream
    assert "keepalive_timeout 1s;" in upstream  # gunicorn closes idle ones after 2 s
    assert (
        "proxy_next_upstream error timeout http_502 http_503 non_idempotent;" in text
        and "proxy_next_upstream_tries 3;" in text
    )


def test_one_host_is_proxied_as_before(tmp_path):
    text = nginx_config(Settings(), tmp_path, "unix:/run/x.sock")
    # The one gunicorn socket twice, no idle connections kept: a GET whose worker died is
    # passed once more, to a live worker; a POST never (nginx passes only idempotent requests).
    assert (
        "upstream app {\n        server unix:/run/x.sock max_fails=0;\n"
        "        server unix:/run/x.sock max_fails=0;\n    }" in text
    )
    assert "keepalive 16" not in text and "non_idempotent" not in text
    assert "proxy_next_upstream error;" in text and "proxy_next_upstream_tries 2;" in text
