"""The WSGI entry gunicorn serves: ``dashboard.wsgi:server`` (the checkout's app.py re-exports it).

A served worker loads a new version in the background (``create_app(background=True)``): no
request waits on a load."""

from .app import create_app

app = create_app(background=True)
server = app.server
