"""setuptools: the ``dashboard`` packages plus the two runtime folders kept at the top level.

Everything else is in pyproject.toml. This file adds only what the static ``[tool.setuptools]``
table cannot say at once: find every ``dashboard`` package (so a new one needs no edit here) and
map ``assets/`` and ``data/`` into the package (see dashboard/resources.py). The raw published
files under ``data/published/`` and the import history ``data/.history/`` are not shipped.
"""

from setuptools import find_packages, setup

RUNTIME_FOLDERS = {"dashboard.assets": "assets", "dashboard.bundled_data": "data"}

setup(
    packages=[*find_packages(include=["dashboard", "dashboard.*"]), *RUNTIME_FOLDERS],
    package_dir=RUNTIME_FOLDERS,
    package_data={
        "dashboard.assets": ["*.css", "*.js", "*.ico", "*.png", "*.svg", "README.md", "geo/*"],
        "dashboard.bundled_data": ["*.csv", "README.md", "records/*"],
    },
)
