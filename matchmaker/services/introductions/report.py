"""After the event, for its organisers: how it went. The live view's figures per slot, added
up: meetings held, people who did not come, meetings found at once from standby, the answer
rate, the ratings and the connections made (pairs who both said "we met"). Counts only."""

from dataclasses import dataclass
from datetime import datetime

from sqlalchemy.orm import Session

from matchmaker.models import Event
from matchmaker.services.introductions.live import SlotFigures, live_view


@dataclass(frozen=True)
class Report:
    published: bool
    slots: list[SlotFigures]
    meetings: int
    held: int
    no_shows: int
    standby: int
    answer_rate: float | None
    rating: float | None  # the average of every rating given
    connections: int

    @property
    def per_slot_rows(self) -> list[dict]:
        """A row per slot, as the CSV has them."""
        return [s.as_json() for s in self.slots]

    @property
    def totals(self) -> dict:
        """The totals as a row of the CSV."""
        return {
            "label": "all slots",
            "meetings": self.meetings,
            "held": self.held,
            "no_shows": self.no_shows,
            "standby": self.standby,
            "answer_rate": None if self.answer_rate is None else round(self.answer_rate, 3),
            "rating": None if self.rating is None else round(self.rating, 2),
            "connections": self.connections,
        }


def outcome_report(session: Session, *, event: Event, now: datetime) -> Report:
    """The event's outcome, per slot and in all, as of `now`."""
    live = live_view(session, event=event, now=now)
    slots = live.slots
    answered = sum(s.answered for s in slots)
    to_answer = sum(s.to_answer for s in slots)
    weights = [(s.rating, s.rated) for s in slots if s.rating is not None]
    rated = sum(n for _, n in weights)
    return Report(
        published=live.published,
        slots=slots,
        meetings=sum(s.meetings for s in slots),
        held=sum(s.held for s in slots),
        no_shows=sum(s.no_shows for s in slots),
        standby=sum(s.standby for s in slots),
        answer_rate=answered / to_answer if to_answer else None,
        rating=sum(r * n for r, n in weights) / rated if rated else None,
        connections=sum(s.connections for s in slots),
    )
