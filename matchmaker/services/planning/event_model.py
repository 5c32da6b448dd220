"""The profile model of a whole event (every profile that can be matched, fitted once), kept
in the process until the event's profiles change: refills and late joiners score a few
people against those free in a slot without reading and weighing thousands of texts each
time. The same basis as a run's: scores are fitted on the whole event, not on one slot. When
a few profiles changed since the fit (someone joined late, someone edited their profile),
they are read alone and weighed into the kept model (`ProfileModel.extended`); after many,
the model is fitted again."""

import threading
from dataclasses import dataclass
from datetime import datetime

import sqlalchemy as sa
from cachetools import LRUCache
from sqlalchemy.orm import Session

from matchmaker.engine import model as engine
from matchmaker.engine.similarity import ProfileModel
from matchmaker.models import Event, Profile, ProfileVector
from matchmaker.services.planning import adapter, embeddings

_KEPT: LRUCache = LRUCache(maxsize=4)  # a few events' models, the latest of each
_LATEST: LRUCache = LRUCache(maxsize=64)  # (database, event) -> the newest model's key
_LOCK = threading.Lock()
# Profiles weighed into a kept model, at most this share of it before it is fitted again.
EXTEND_SHARE = 0.05
EXTEND_MIN = 20


@dataclass(frozen=True)
class EventModel:
    """The event's matchable attendees (engine view, by engine id) and their model."""

    model: ProfileModel
    by_id: dict[str, int]
    profiles_as_of: datetime | None  # the newest profile change it holds
    weighed_in: int = 0  # profiles added or changed since the fit

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
    # The event's join token tells apart two events that had the same id (a database made
    # again, as tests do).
    return (str(session.get_bind().url), (event.id, event.join_token), *profiles, *vectors)


def _fitted(session: Session, event: Event, as_of) -> EventModel:
    people = adapter.read_attendees(session, event_id=event.id)
    people = embeddings.with_stored_vectors(session, people)
    return EventModel(ProfileModel(people), {a.id: k for k, a in enumerate(people)}, as_of)


def _extended(session: Session, event: Event, base: EventModel, key: tuple) -> EventModel | None:
    """The kept model with the profiles changed since it weighed in, if they are few and
    its vectors did not change; else None."""
    if base.profiles_as_of is None or key[4:] != _LATEST_VECTORS.get(key[:2]):
        return None
    changed = session.scalars(
        sa.select(Profile.id).where(
            Profile.event_id == event.id, Profile.updated_at > base.profiles_as_of
        )
    ).all()
    limit = max(EXTEND_MIN, int(EXTEND_SHARE * len(base.by_id)))
    if base.weighed_in + len(changed) > limit:
        return None
    fresh = adapter.read_attendees(session, event_id=event.id, ids=list(changed))
    model = base.model.extended(fresh)
    return EventModel(
        model,
        {a.id: k for k, a in enumerate(model.attendees)},
        key[3],
        base.weighed_in + len(changed),
    )


_LATEST_VECTORS: LRUCache = LRUCache(maxsize=64)


def event_model(session: Session, event: Event) -> EventModel:
    """The event's model: kept from an earlier call with the same profiles, the kept one with
    a few changed profiles weighed in, or fitted now."""
    key = _version(session, event)
    place = key[:2]
    with _LOCK:
        found = _KEPT.get(key)
        base = _KEPT.get(_LATEST.get(place)) if found is None else None
    if found is not None:
        return found
    found = _extended(session, event, base, key) if base is not None else None
    if found is None:
        found = _fitted(session, event, key[3])
    with _LOCK:
        # One model per event: the one it replaces goes (a model of 5,000 is ~50 MB).
        _KEPT.pop(_LATEST.get(place), None)
        _KEPT[key] = found
        _LATEST[place] = key
        _LATEST_VECTORS[place] = key[4:]
    return found
