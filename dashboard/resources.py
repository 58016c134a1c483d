"""Where the files the server needs at run time are: assets, the bundled dataset, gunicorn settings.

They are found through :mod:`importlib.resources`, so the same code finds them in a checkout
(an editable install) and in an installed wheel. The repository keeps ``assets/`` and ``data/``
at its top level (the design card's layout); ``pyproject.toml`` maps them into the package as
``dashboard.assets`` and ``dashboard.bundled_data`` (setuptools ``package-dir``), so a wheel
carries them inside ``dashboard/`` and an editable install points at the checkout's folders.

Each of the two folders holds an ``__init__.py`` for one reason: setuptools' editable finder
resolves a mapped subpackage only when it is a regular package (a namespace package mapped
outside its parent's folder is not found), and a regular package is found the same way in a
wheel. Only the dataset tables (``data/*.csv``) and ``data/README.md`` are shipped; the raw
published files (``data/published/``) and import history (``data/.history/``) are not.

The gunicorn settings are a module, :mod:`dashboard.gunicorn_conf`, named to gunicorn as
``python:dashboard.gunicorn_conf``: nothing is read from the working folder.
"""

from __future__ import annotations

from importlib import resources
from pathlib import Path

ASSETS_PACKAGE = "dashboard.assets"
BUNDLED_DATA_PACKAGE = "dashboard.bundled_data"
#: ``gunicorn -c`` value for the server settings (a module, so it works from any folder).
GUNICORN_CONFIG = "python:dashboard.gunicorn_conf"
#: The WSGI callable gunicorn serves.
WSGI_APP = "dashboard.wsgi:server"


class ResourceError(RuntimeError):
    """A runtime folder is missing from the installed package."""


def _folder(package: str) -> Path:
    try:
        root = resources.files(package)
    except ModuleNotFoundError as exc:
        raise ResourceError(
            f"{package} is not installed with the dashboard; reinstall it (bash scripts/setup.sh)"
        ) from exc
    # Dash and pandas need a real folder: pip always installs a wheel unzipped.
    path = Path(str(root))
    if not path.is_dir():
        raise ResourceError(
            f"{package} is not a folder on disk ({root}); install the wheel unzipped"
        )
    return path


def assets_dir() -> Path:
    """CSS and browser scripts Dash serves under /assets/."""
    return _folder(ASSETS_PACKAGE)


def bundled_data_dir() -> Path:
    """The bundled real dataset (the default when ``PCP_DATA_DIR`` is not set)."""
    return _folder(BUNDLED_DATA_PACKAGE)


def repository_data_dir() -> Path:
    """The checkout's ``data/``, where ``build-data`` finds the published tables
    (``published/``) and curated national rows (``national/``): the bundled data folder, which
    an editable install maps to the checkout's. A wheel ships neither: there the folder has
    no ``published/`` and ``build-data`` says so."""
    return bundled_data_dir()
