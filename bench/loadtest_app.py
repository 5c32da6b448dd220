"""The app as gunicorn serves it in production, plus the load test's reference page."""

from bench import reference
from matchmaker import create_app

app = create_app()
app.register_blueprint(reference.bp)
