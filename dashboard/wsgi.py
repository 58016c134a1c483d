"""The WSGI entry gunicorn serves: ``dashboard.wsgi:server`` (the checkout's app.py re-exports it)."""

from .app import create_app

app = create_app()
server = app.server
