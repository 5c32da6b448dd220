"""Mail out of the app: requests and commands write messages into the outbox of their own
transaction (`current_mailer()`), and the mail job sends them once it is committed
(matchmaker/runner/transports.py: SMTP, one connection per batch, or the log).

Services never reach for the app: they take a `Mailer` argument. Tests pass a
`RecordingMailer` (tests/fakes.py), or set one as app.extensions["mailer"] for the mail job.
"""

from matchmaker import runner
from matchmaker.boundary import after_commit
from matchmaker.extensions import db
from matchmaker.services.core.messages import Mailer
from matchmaker.services.core.outbox import Outbox


def current_mailer() -> Mailer:
    """The request's (or command's) mailer: its messages are written with its transaction
    and the mail job sends them once it is committed."""
    return Outbox(db.session(), lambda: after_commit(runner.dispatch_mail))
