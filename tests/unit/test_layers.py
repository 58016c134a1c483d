"""The house's layers (docs/architecture.md): a module imports only from lower layers or its own
package, and nothing below the components imports Dash.

Read from the source with ast (nothing is imported), so a wrong-way import fails here with the
file and line, before anyone notices a cycle.
"""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

PACKAGE = Path(__file__).resolve().parents[2] / "dashboard"

#: Lowest first. A package may import its own modules and any package of a lower layer; packages
#: of one layer do not import each other.
LAYERS: list[set[str]] = [
    {"resources"},  # where the installed runtime files are
    {"formatting", "config", "ids"},  # numbers as people write them, settings, component ids
    {"data"},  # files in, validated tables out, the in-memory model
    {"analysis"},  # pure: comparisons, SPC
    {"views", "ingest", "publishers"},  # the view model; quarterly documents and published
    # national tables read into dataset tables
    {"figures", "routing"},  # plain Plotly dicts from views; URL -> page and filters
    {"export"},  # PDF, PowerPoint, CSV/XLSX, images; the pack formats' registry
    {"components"},  # Dash building blocks (the download links read the formats' registry)
    {"pages"},  # one module per page, and the page table
    {"shell", "server", "proxy"},  # the persistent shell and its callbacks; the server's
    # hardening; nginx in front of gunicorn
    {"app", "commands", "gunicorn_conf"},  # the Dash app; the data commands; server settings
    {"cli", "wsgi"},  # `pcp-dashboard`; what gunicorn serves
]
RANK = {name: rank for rank, names in enumerate(LAYERS) for name in names}
#: Dash (and its Bootstrap components) only where pages are built.
DASH_ALLOWED = {"components", "pages", "shell", "server", "app"}
DASH = {"dash", "dash_bootstrap_components"}


def _module_name(path: Path) -> list[str]:
    parts = list(path.relative_to(PACKAGE.parent).with_suffix("").parts)
    return parts[:-1] if parts[-1] == "__init__" else parts


def _imports(path: Path) -> list[tuple[int, str]]:
    """(line, absolute module name) of every import in the file."""
    here = _module_name(path)
    package = here if path.name == "__init__.py" else here[:-1]
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            found += [(node.lineno, alias.name) for alias in node.names]
        elif isinstance(node, ast.ImportFrom):
            base = package[: len(package) - node.level + 1] if node.level else []
            module = ".".join(base + ([node.module] if node.module else []))
            # `from . import ids` names modules: count each one.
            found += [(node.lineno, f"{module}.{alias.name}") for alias in node.names]
    return found


def _layer_of(module: str) -> str | None:
    parts = module.split(".")
    if parts[0] != "dashboard" or len(parts) < 2:
        return None
    return parts[1]


def test_every_package_has_a_layer():
    packages = {p.stem if p.is_file() else p.name for p in PACKAGE.iterdir()}
    packages = {p for p in packages if not p.startswith("_")}
    assert packages - RANK.keys() == set(), "add new packages to LAYERS and docs/architecture.md"


FILES = sorted(PACKAGE.rglob("*.py"))


def _own_layer(path: Path) -> str | None:
    """The package a file belongs to; a package's ``command.py`` (its `pcp-dashboard`
    subcommand) sits with the commands."""
    name = _module_name(path)
    if len(name) < 2:
        return None  # dashboard/__init__.py
    return "commands" if path.name == "command.py" and len(name) > 2 else name[1]


@pytest.mark.parametrize("path", FILES, ids=[str(f.relative_to(PACKAGE)) for f in FILES])
def test_imports_point_down(path):
    own = _own_layer(path)
    if own is None:
        return
    wrong = []
    for line, module in _imports(path):
        target = _layer_of(module)
        top = module.split(".")[0]
        if top in DASH and own not in DASH_ALLOWED:
            wrong.append(f"line {line}: {module} (Dash belongs to components, pages, shell, app)")
        if target is None or target == own or target not in RANK:
            continue
        if own == "commands" and target == _module_name(path)[1]:
            continue  # a package's command uses its own package
        if RANK[target] >= RANK[own]:
            wrong.append(
                f"line {line}: {own} imports {module} (layer {RANK[target]} >= {RANK[own]})"
            )
    assert wrong == [], f"{path.relative_to(PACKAGE)}:\n" + "\n".join(wrong)


def test_the_check_sees_a_wrong_way_import(tmp_path, monkeypatch):
    """The test would fail for a view model that imports a page (made up, in tmp)."""
    fake = tmp_path / "dashboard" / "views"
    fake.mkdir(parents=True)
    (fake / "bad.py").write_text("from ..pages import overview\nimport dash\n", encoding="utf-8")
    monkeypatch.setattr(f"{__name__}.PACKAGE", tmp_path / "dashboard")
    with pytest.raises(AssertionError) as failure:
        test_imports_point_down(fake / "bad.py")
    assert "views imports dashboard.pages.overview" in str(failure.value)
    assert "line 2: dash" in str(failure.value)


#: Where settings are read from the environment: the entry points (and config, which reads it).
ENTRY_POINTS = {"config.py", "app.py", "cli.py", "wsgi.py", "gunicorn_conf.py", "commands.py"}


def _reads_settings_from_the_environment(path: Path) -> list[str]:
    """Lines that read the environment, or Settings from it, in a module below the entry
    points: ``Settings.from_env()``, ``os.environ``, ``os.getenv``, ``config.data_dir()``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Attribute) and node.attr in ("from_env", "environ", "getenv"):
            found.append(f"line {node.lineno}: .{node.attr}")
        elif isinstance(node, ast.ImportFrom) and node.module in ("os", "config"):
            for alias in node.names:
                if alias.name in ("environ", "getenv", "data_dir"):
                    found.append(f"line {node.lineno}: from {node.module} import {alias.name}")
    return found


@pytest.mark.parametrize("path", FILES, ids=[str(f.relative_to(PACKAGE)) for f in FILES])
def test_settings_are_passed_in_from_the_entry_points(path):
    """create_app and pcp-dashboard read the environment once and pass Settings down (or
    install them: config.installed()); nothing below them reads it."""
    relative = path.relative_to(PACKAGE)
    if str(relative) in ENTRY_POINTS or path.name == "command.py":
        return
    assert _reads_settings_from_the_environment(path) == [], f"{relative} reads the environment"


def test_the_check_sees_an_environment_read(tmp_path):
    fake = tmp_path / "bad.py"
    fake.write_text(
        "import os\nfrom ..config import Settings, data_dir\n"
        "limit = os.environ.get('X')\nsettings = Settings.from_env()\n",
        encoding="utf-8",
    )
    assert sorted(_reads_settings_from_the_environment(fake)) == [
        "line 2: from config import data_dir",
        "line 3: .environ",
        "line 4: .from_env",
    ]
