"""Settings, runtime files and the serve command: one place reads the environment, a flag beats
the environment, which beats the default; the server starts from this interpreter."""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import pytest

from dashboard import resources
from dashboard.cli import main
from dashboard.config import Settings, SettingsError

REPO_ROOT = Path(__file__).resolve().parents[2]


def test_defaults_run_out_of_the_box():
    settings = Settings.from_env({})
    assert (settings.bind, settings.workers, settings.threads) == ("127.0.0.1:8050", 2, 4)
    assert settings.debug is False
    assert settings.data_dir == resources.bundled_data_dir()
    assert (settings.data_dir / "observations.csv").is_file()


def test_the_environment_beats_the_default_and_a_flag_beats_the_environment():
    environ = {"PCP_WORKERS": "3", "PCP_BIND": "0.0.0.0:9000", "PCP_DATA_DIR": "/srv/pcp"}
    from_env = Settings.from_env(environ)
    assert (from_env.workers, from_env.bind, from_env.data_dir) == (
        3,
        "0.0.0.0:9000",
        Path("/srv/pcp"),
    )
    flagged = Settings.from_env(environ, workers=4, bind=None)
    assert flagged.workers == 4
    assert flagged.bind == "0.0.0.0:9000"  # a flag not given leaves the environment's value


def test_an_empty_variable_counts_as_unset():
    settings = Settings.from_env({"PCP_DATA_DIR": "", "PCP_WORKERS": " "})
    assert settings.data_dir == resources.bundled_data_dir()
    assert settings.workers == 2


@pytest.mark.parametrize(
    ("variable", "value", "expected"),
    [
        ("PCP_WORKERS", "lots", "PCP_WORKERS='lots': expected a whole number, 1 or more"),
        ("PCP_WORKERS", "0", "PCP_WORKERS='0': expected a whole number, 1 or more"),
        ("PCP_BIND", "8050", "PCP_BIND='8050': expected HOST:PORT"),
        ("PCP_DEBUG", "maybe", "PCP_DEBUG='maybe': expected 1/true/yes/on or 0/false/no/off"),
        ("PCP_RELOAD_SECONDS", "-1", "PCP_RELOAD_SECONDS='-1': expected a number greater than 0"),
    ],
)
def test_a_bad_value_names_the_variable_and_what_it_should_be(variable, value, expected):
    with pytest.raises(SettingsError) as error:
        Settings.from_env({variable: value})
    assert expected in str(error.value)


def test_a_bad_size_limit_falls_back_to_the_default():
    assert Settings.from_env({"PCP_MAX_FILE_MB": "lots"}).max_file_mb == 50.0
    assert Settings.from_env({"PCP_MAX_FILE_MB": "0.5"}).max_file_mb == 0.5


def test_chart_images_use_browser_path_or_the_system_chromium():
    assert (
        Settings.from_env({"BROWSER_PATH": "/opt/chrome/chrome"}).browser_path
        == "/opt/chrome/chrome"
    )
    assert Settings.from_env({}).browser_path == "/usr/bin/chromium"  # setup.sh installs it


class _Calls(list[tuple[str, list[str]]]):
    """The gunicorn command started; ``proxied``: (settings, nginx) when behind nginx."""

    def __init__(self) -> None:
        super().__init__()
        self.proxied: list[tuple[Settings, str]] = []


@pytest.fixture
def exec_calls(monkeypatch):
    """``pcp-dashboard serve`` runs gunicorn behind nginx (dashboard/proxy.py), or replaces
    itself by gunicorn with PCP_PROXY=0: record either call instead; nothing is started."""
    calls = _Calls()
    monkeypatch.setattr(
        "dashboard.commands.os.execv", lambda path, argv: calls.append((path, argv))
    )

    def behind_nginx(settings, gunicorn, nginx):
        calls.append((gunicorn[0], gunicorn))
        calls.proxied.append((settings, nginx))
        return 0

    monkeypatch.setattr("dashboard.proxy.serve_behind_nginx", behind_nginx)
    monkeypatch.setattr("dashboard.proxy.find_nginx", lambda settings: "/usr/sbin/nginx")
    monkeypatch.delenv("PCP_PROXY", raising=False)
    return calls


def _option(argv: list[str], name: str) -> str:
    return argv[argv.index(name) + 1]


def test_serve_starts_gunicorn_from_this_interpreter_with_the_shipped_settings(
    exec_calls, monkeypatch
):
    for name in ("PCP_WORKERS", "PCP_BIND", "PCP_THREADS"):
        monkeypatch.delenv(name, raising=False)
    assert main(["serve"]) == 0
    ((path, argv),) = exec_calls
    assert path == sys.executable  # never a `gunicorn` looked up on PATH
    assert argv[:3] == [sys.executable, "-m", "gunicorn"]
    assert _option(argv, "--config") == "python:dashboard.gunicorn_conf"
    assert (_option(argv, "--bind"), _option(argv, "--workers")) == ("127.0.0.1:8050", "2")
    assert argv[-1] == "dashboard.wsgi:server"


def test_serve_flags_beat_the_environment(exec_calls, monkeypatch):
    monkeypatch.setenv("PCP_WORKERS", "3")
    monkeypatch.setenv("PCP_BIND", "127.0.0.1:9100")
    assert main(["serve", "--workers", "4"]) == 0
    ((_, argv),) = exec_calls
    assert _option(argv, "--workers") == "4"
    assert _option(argv, "--bind") == "127.0.0.1:9100"


def test_serve_puts_nginx_in_front_of_gunicorn_by_default(exec_calls):
    assert main(["serve"]) == 0
    ((path, _),) = exec_calls
    ((settings, nginx),) = exec_calls.proxied
    assert path == sys.executable and nginx == "/usr/sbin/nginx"
    assert settings.proxy is True


def test_serve_without_the_proxy_replaces_itself_by_gunicorn(exec_calls, monkeypatch):
    monkeypatch.setenv("PCP_PROXY", "0")
    assert main(["serve"]) == 0
    assert len(exec_calls) == 1 and not exec_calls.proxied


def test_serve_without_nginx_says_how_to_get_it_and_starts_nothing(exec_calls, monkeypatch, capsys):
    monkeypatch.setattr("dashboard.proxy.find_nginx", lambda settings: None)
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "nginx" in err and "scripts/setup.sh" in err and "PCP_PROXY=0" in err
    assert not exec_calls


def test_nginx_is_found_at_its_setting_without_path(monkeypatch, tmp_path):
    from dashboard.proxy import find_nginx

    program = tmp_path / "nginx"
    program.write_text("#!/bin/sh\n")
    program.chmod(0o755)
    monkeypatch.setenv("PATH", "/nonexistent")
    assert find_nginx(Settings.from_env({"PCP_NGINX": str(program)})) == str(program)
    assert find_nginx(Settings.from_env({"PCP_NGINX": str(tmp_path / "none")})) is None
    assert Settings.from_env({}).nginx_path == "/usr/sbin/nginx"  # Debian's nginx-light


def test_the_nginx_config_follows_the_settings_and_keeps_every_file_in_its_run_folder(tmp_path):
    from dashboard.proxy import nginx_config

    settings = Settings.from_env(
        {
            "PCP_BIND": "127.0.0.1:9123",
            "PCP_PROXY_CLIENT_SECONDS": "7",
            "PCP_PROXY_CONNECTIONS": "12",
            "PCP_MAX_REQUEST_MB": "2",
        }
    )
    text = nginx_config(settings, tmp_path, "unix:/run/x.sock")
    assert "daemon off;" in text and "listen 127.0.0.1:9123;" in text
    assert "client_header_timeout 7s;" in text and "client_body_timeout 7s;" in text
    assert "client_max_body_size 2m;" in text and "limit_conn per_client 12;" in text
    assert "proxy_request_buffering on;" in text
    # a GET whose worker died is passed once more (the socket twice), on an error only
    assert text.count("server unix:/run/x.sock max_fails=0;") == 2
    assert "proxy_next_upstream error;" in text and "proxy_next_upstream_tries 2;" in text
    for line in text.splitlines():
        words = line.split()
        if words and (words[0].endswith("_temp_path") or words[0] in ("pid", "error_log")):
            assert words[1].startswith(str(tmp_path)), line


def test_serve_with_a_bad_setting_says_so_and_starts_nothing(exec_calls, monkeypatch, capsys):
    monkeypatch.setenv("PCP_WORKERS", "two")
    assert main(["serve"]) == 2
    err = capsys.readouterr().err
    assert "PCP_WORKERS='two': expected a whole number, 1 or more" in err
    assert "Traceback" not in err and not exec_calls


def test_a_bad_setting_stops_a_data_command_with_a_message(monkeypatch, capsys):
    monkeypatch.setenv("PCP_DEBUG", "perhaps")
    assert main(["validate", "--quiet"]) == 2
    assert "PCP_DEBUG='perhaps'" in capsys.readouterr().err


def test_gunicorn_settings_module_reads_settings(monkeypatch):
    monkeypatch.setenv("PCP_WORKERS", "3")
    monkeypatch.setenv("PCP_THREADS", "6")
    module = importlib.reload(importlib.import_module("dashboard.gunicorn_conf"))
    assert (module.workers, module.threads, module.worker_class) == (3, 6, "gthread")
    assert (module.timeout, module.graceful_timeout) == (60, 20)
    assert module.control_socket_disable is True  # two servers would collide on it in $HOME


def test_runtime_files_come_from_the_package_which_is_this_checkout_when_editable():
    assert resources.assets_dir() == REPO_ROOT / "assets"
    assert resources.bundled_data_dir() == REPO_ROOT / "data"


def test_dash_serves_the_assets_found_through_resources(bundled_data_dir):
    from dashboard.app import create_app

    app = create_app(Settings(data_dir=bundled_data_dir, reload_interval=3600))
    client = app.server.test_client()
    html = client.get("/").get_data(as_text=True)
    assert "/assets/screen.css" in html and "/assets/plotly-basic.min.js" in html
    response = client.get("/assets/screen.css")
    assert response.status_code == 200
    assert response.get_data() == (resources.assets_dir() / "screen.css").read_bytes()


def _environment_reads(path: Path) -> list[int]:
    """Lines of ``path`` that touch ``os.environ`` or call ``os.getenv``."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return [
        node.lineno
        for node in ast.walk(tree)
        if isinstance(node, ast.Attribute)
        and node.attr in {"environ", "getenv", "putenv"}
        and isinstance(node.value, ast.Name)
        and node.value.id == "os"
    ]


def test_only_the_settings_read_the_environment():
    package = REPO_ROOT / "dashboard"
    readers = {
        str(path.relative_to(REPO_ROOT)): lines
        for path in sorted(package.rglob("*.py"))
        if path != package / "config.py" and (lines := _environment_reads(path))
    }
    assert readers == {}, "read the environment through dashboard.config.Settings instead"
