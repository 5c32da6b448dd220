"""Stand-ins for what the app talks to, for tests (and the benchmarks that drive services)."""

from dataclasses import dataclass, field

from matchmaker.services.core.messages import Mail


@dataclass
class RecordingMailer:
    """A mailer that keeps what it is given."""

    sent: list[Mail] = field(default_factory=list)

    def send(self, message: Mail) -> None:
        self.sent.append(message)
