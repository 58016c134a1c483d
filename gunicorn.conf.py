"""gunicorn settings read by every start of the server (tests, `pcp-dashboard serve`, Docker).

gunicorn loads this file from the working folder by itself, so the same settings hold however
the server is started. Threads let a slow request (a chart image takes about 2 s in Chromium)
run beside page requests instead of holding a whole worker.
"""

import os

bind = os.environ.get("PCP_BIND", "127.0.0.1:8050")
workers = int(os.environ.get("PCP_WORKERS", "2"))
worker_class = "gthread"
threads = int(os.environ.get("PCP_THREADS", "4"))
timeout = 60
graceful_timeout = 20
