"""gunicorn settings for every start of the server: ``pcp-dashboard serve``, Docker, the tests.

Named to gunicorn as ``-c python:dashboard.gunicorn_conf`` (dashboard.resources.GUNICORN_CONFIG),
so they hold whatever folder the server starts in; the checkout's top-level ``gunicorn.conf.py``
imports this module, so a bare ``gunicorn app:server`` there gets the same settings. Values come
from :class:`dashboard.config.Settings` (environment, then defaults); gunicorn's command-line
flags beat a config file, which is how ``pcp-dashboard serve --workers 4`` wins over
``PCP_WORKERS``.

Threads let a slow request (a chart image takes about 2 s in Chromium) run beside page requests
instead of holding a whole worker.
"""

import gc

from dashboard.config import Settings

_settings = Settings.from_env()

bind = _settings.bind
workers = _settings.workers
worker_class = "gthread"
threads = _settings.threads
timeout = 60
graceful_timeout = 20
# The app and its dataset are loaded once, in the master, and the workers are forked from it:
# they start without loading anything and share the read-only pages of the dataset (issue 22,
# benchmarks/bench_store.py --preload: at 10^6 SYNTHETIC observations, start to /healthz
# 29.8 s -> 12.7 s and PSS per worker 646 -> 208 MiB). The app starts no thread at creation, so
# forking after it is safe; each worker then follows the live version itself (data/store.py).
preload_app = True


def pre_fork(server, worker) -> None:
    """Before each worker is forked from the preloaded master: the master's objects (the
    dataset, its view model) move to the collector's permanent generation, so a worker's
    garbage collections never write to their pages and the pages stay shared (a collection
    walks every tracked object and writes its header: each page it touches is copied)."""
    gc.freeze()


# gunicorn 27 opens a control socket in $HOME by default: two servers on one machine (tests in
# parallel, a benchmark beside a test run) collide on it, and the dashboard has no use for it.
control_socket_disable = True
