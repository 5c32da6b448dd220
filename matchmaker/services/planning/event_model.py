"""The profile model of a whole event (every profile that can be matched, fitted once), kept
in the process until any profile of the event changes: refills and late joiners score a few
people against those free in a slot without reading and weighing thousands of texts each
time. The same basis as a run's: scores are fitted on the whole event, not on one slot."""

import threading
from dataclasses import dataclass

import sqlalchemy as sa
from cachetools import LRUCache
from sqlalchemy.orm import Session

from matchmaker.engine import model as engine
from matchmaker.engine.similarity import ProfileModel
from matchmaker.models import Event, Profile, ProfileVector
from matchmaker.services.planning import adapter, embeddings

_KEPT: LRUCache = LRUCache(maxsize=4)
_LOCK = threading.Lock()


@dataclass(frozen=True)
class EventModel:
    """The event's matchable attendees (engine view, by engine id) and their model."""

    model: ProfileModel
    by_id: dict[str, int]

    def attendees(self, keys: list[str]) -> list[engine.Attendee]:
        """These attendees (engine ids), those the model holds."""
        return [self.model.attendees[self.by_id[k]] for k in keys if k in self.by_id]


def _version(session: Session, event: Event) -> tuple:
    """What the model depends on: the event's profiles and their stored vectors (every save
    of a profile sets its `updated_at`)."""
    profiles = session.execute(
        sa.select(sa.func.count(Profile.id), sa.func.max(Profile.updated_at)).where(
            Profile.event_id == event.id
        )
    ).one()
    vectors = session.execute(
        sa.select(sa.func.count(ProfileVector.profile_id), sa.func.max(ProfileVector.computed_at))
        .join(Profile, Profile.id == ProfileVector.profile_id)
        .where(Profile.event_id == event.id)
    ).one()
    return (str(session.get_bind().url), event.id, *profiles, *vectors)


def event_model(session: Session, event: Event) -> EventModel:
    """The event's model, fitted now or kept from an earlier call with the same profiles."""
    key = _version(session, event)
    with _LOCK:
        found = _KEPT.get(key)
    if found is not None:
        return found
    people = adapter.read_attendees(session, event_id=event.id)
    people = embeddings.with_stored_vectors(session, people)
    found = EventModel(ProfileModel(people), {a.id: k for k, a in enumerate(people)})
    with _LOCK:
        _KEPT[key] = found
    return found
