"""WSGI entry point from a checkout: ``gunicorn app:server`` serves ``dashboard.wsgi:server``."""

from dashboard.wsgi import app, server

__all__ = ["app", "server"]

if __name__ == "__main__":
    # Local development only; production runs gunicorn. Dev tools only if PCP_DEBUG asks.
    from dashboard.config import Settings

    app.run(debug=Settings.from_env().debug)
