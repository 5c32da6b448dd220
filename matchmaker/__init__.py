"""matchmaker: conference and event matchmaking.

The app factory is imported lazily so that `matchmaker.engine` stays free of Flask.
"""


def create_app(test_config: dict | None = None):
    """Build the Flask app (see matchmaker.app)."""
    from matchmaker.app import create_app as _create_app

    return _create_app(test_config)
