"""The app as gunicorn serves it in production, plus the load test's reference page."""

from matchmaker import create_app
from matchmaker.bench import reference

app = create_app()
app.register_blueprint(reference.bp)
