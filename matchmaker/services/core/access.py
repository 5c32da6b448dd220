"""What an organiser may load: their event (once per request, by the web layer), and rows
of it by id, so that ids of other events look like missing ones."""

import functools

import sqlalchemy as sa
from sqlalchemy.orm import Session, undefer

from matchmaker.models import Event, EventOrganiser
from matchmaker.services.errors import NotFound

NO_SUCH_EVENT = "There is no such event."


def load_for_event(session: Session, model, row_id: int, *, event_id: int, missing: str):
    """The row of `model` with this id if it belongs to event `event_id`; NotFound(missing)
    otherwise, so that ids of other events look like missing ones. A slot or location
    removed from the timetable (retired) is missing too."""
    row = session.get(model, row_id)
    if row is None or row.event_id != event_id or getattr(row, "retired_at", None) is not None:
        raise NotFound(missing)
    return row


def organised_event(session: Session, *, event_id: int, actor_id: int) -> Event:
    """The event, if `actor_id` organises it; NotFound otherwise, the same whether it does not
    exist or belongs to someone else, so that nobody learns which event ids exist."""
    event = session.scalar(_organised_event(), {"event_id": event_id, "actor_id": actor_id})
    if event is None:
        raise NotFound(NO_SUCH_EVENT)
    return event


@functools.cache
def _organised_event() -> sa.Select:
    """The event if the actor organises it, with its revision: one query, built once."""
    return (
        sa.select(Event)
        .join(
            EventOrganiser,
            sa.and_(
                EventOrganiser.event_id == Event.id,
                EventOrganiser.user_id == sa.bindparam("actor_id"),
            ),
        )
        .where(Event.id == sa.bindparam("event_id"))
        .options(undefer(Event.revision))
    )


def find_event(session: Session, ref: str) -> Event:
    """An event by id or slug (for the command line)."""
    event = session.get(Event, int(ref)) if ref.isdigit() else None
    event = event or session.scalar(sa.select(Event).where(Event.slug == ref))
    if event is None:
        raise NotFound(f"There is no event {ref!r}.")
    return event
