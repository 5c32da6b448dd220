"""The WSGI entry point: `gunicorn wsgi:app`."""

from matchmaker import create_app

app = create_app()

if app.config["RATELIMIT_STORAGE_URI"].startswith("memory://") and (
    app.config["MATCHMAKER_ENV"] != "development"
):
    # gunicorn imports this once per worker: with several, each counts failed logins alone.
    app.logger.warning(
        "Login and sign-up limits are counted in this process's memory. With several "
        "workers or machines, set RATELIMIT_STORAGE_URI=redis://... so that they share counts."
    )
