"""WSGI entry point: `gunicorn app:server`."""

from dashboard.app import create_app

app = create_app()
server = app.server

if __name__ == "__main__":
    # Local development only; production runs gunicorn. Dev tools only if PCP_DEBUG asks.
    from dashboard.config import Settings

    app.run(debug=Settings.from_env().debug)
