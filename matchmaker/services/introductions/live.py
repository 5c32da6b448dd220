"""The event as it happens, for its organisers: per slot of the published schedule, how many
meetings take place and are confirmed, how many people checked in, how many did not come,
how many meetings a standby pick made, the answer rate and the average rating. Counts only:
nobody's answer, check-in or rating is shown."""

from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.models import Event, Meeting, MeetingSeat, Slot
from matchmaker.services.introductions.at_the_table import NO_SHOW_AFTER
from matchmaker.vocabulary import MeetingKind, MeetingOrigin, Outcome, Response


@dataclass(frozen=True)
class SlotFigures:
    slot_id: int
    starts_at: datetime  # aware, in the event's time zone
    ends_at: datetime
    label: str
    state: str  # "to come", "on now" or "over"
    meetings: int  # taking place
    confirmed: int  # one-to-ones both accepted (and groups, which need no answer)
    seats: int  # people expected
    checked_in: int
    no_shows: int  # people who did not come to a meeting someone else came to
    standby: int  # meetings made at once from standby
    answered: int  # one-to-one seats answered (accepted or declined)
    to_answer: int  # one-to-one seats of meetings planned in the slot
    rating: float | None  # the average of the ratings given, None for none
    rated: int = 0  # how many ratings the average is of
    held: int = 0  # meetings that took place: someone checked in or said "we met"
    connections: int = 0  # pairs of people who both said "we met"

    @property
    def answer_rate(self) -> float | None:
        return self.answered / self.to_answer if self.to_answer else None

    def as_json(self) -> dict:
        return {
            "slot_id": self.slot_id,
            "starts_at": self.starts_at.isoformat(),
            "ends_at": self.ends_at.isoformat(),
            "label": self.label,
            "state": self.state,
            "meetings": self.meetings,
            "confirmed": self.confirmed,
            "seats": self.seats,
            "checked_in": self.checked_in,
            "no_shows": self.no_shows,
            "standby": self.standby,
            "answer_rate": None if self.answer_rate is None else round(self.answer_rate, 3),
            "rating": None if self.rating is None else round(self.rating, 2),
            "held": self.held,
            "connections": self.connections,
        }


@dataclass(frozen=True)
class Live:
    published: bool
    slots: list[SlotFigures]
    now: datetime  # aware, in the event's time zone


def live_view(session: Session, *, event: Event, now: datetime) -> Live:
    """The published schedule's figures per slot as of `now`, in two queries whatever the
    event's size."""
    zone = event.zone
    here = now.astimezone(zone)
    if event.published_run_id is None:
        return Live(False, [], here)
    seats = session.execute(
        sa.select(
            Meeting.id, Meeting.slot_id, Meeting.kind, Meeting.origin, Meeting.cancelled_at,
            MeetingSeat.response, MeetingSeat.checked_in_at, MeetingSeat.outcome,
            MeetingSeat.rating,
        )
        .join(MeetingSeat, MeetingSeat.meeting_id == Meeting.id)
        .where(Meeting.run_id == event.published_run_id)
    ).all()  # fmt: skip
    by_meeting: dict[int, list] = {}
    for row in seats:
        by_meeting.setdefault(row.id, []).append(row)
    slots = session.scalars(
        sa.select(Slot)
        .where(Slot.event_id == event.id, Slot.retired_at.is_(None))
        .order_by(Slot.starts_at, Slot.id)
    ).all()
    figures = []
    for slot in slots:
        starts, ends = slot.starts_at.replace(tzinfo=zone), slot.ends_at.replace(tzinfo=zone)
        late = here >= starts + NO_SHOW_AFTER
        count = dict.fromkeys(
            ("meetings", "confirmed", "seats", "checked_in", "no_shows", "standby", "answered",
             "to_answer", "held", "connections"), 0,
        )  # fmt: skip
        begun = here >= starts
        ratings = []
        for rows in by_meeting.values():
            if rows[0].slot_id != slot.id:
                continue
            first, one_to_one = rows[0], rows[0].kind == MeetingKind.ONE_TO_ONE
            taking_place = first.cancelled_at is None
            came = [r for r in rows if r.checked_in_at is not None]
            if one_to_one and first.origin != MeetingOrigin.STANDBY:
                count["to_answer"] += len(rows)
                count["answered"] += sum(
                    r.response in (Response.ACCEPTED, Response.DECLINED) for r in rows
                )
            # Someone came and someone did not (whether the one who came then found someone
            # else, which took the meeting out, or not); without check-ins, what the people
            # who came said afterwards ("they did not come").
            standby = first.origin == MeetingOrigin.STANDBY  # the one picked is on their way
            if late and came and len(came) < len(rows) and not standby:
                count["no_shows"] += len(rows) - len(came)
            elif one_to_one:
                count["no_shows"] += sum(r.outcome == Outcome.NO_SHOW for r in rows)
            ratings += [r.rating for r in rows if r.rating is not None]
            if not taking_place:
                continue
            met = sum(r.outcome == Outcome.MET for r in rows)
            count["held"] += begun and bool(came or met)
            count["connections"] += met * (met - 1) // 2
            count["meetings"] += 1
            count["seats"] += len(rows)
            count["checked_in"] += len(came)
            count["standby"] += standby
            count["confirmed"] += not one_to_one or all(
                r.response == Response.ACCEPTED for r in rows
            )
        state = "to come" if here < starts else "on now" if here < ends else "over"
        figures.append(
            SlotFigures(
                slot_id=slot.id, starts_at=starts, ends_at=ends, label=slot.label or "",
                state=state, rating=sum(ratings) / len(ratings) if ratings else None,
                rated=len(ratings), **count,
            )
        )  # fmt: skip
    return Live(True, figures, here)
