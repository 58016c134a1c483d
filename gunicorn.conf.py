"""gunicorn reads this file from the working folder: a bare ``gunicorn app:server`` in a checkout
gets the same settings as ``pcp-dashboard serve`` (they live in dashboard/gunicorn_conf.py)."""

from dashboard.gunicorn_conf import *  # noqa: F403
