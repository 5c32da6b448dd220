"""What changed in an event, and figures kept until it changes again.

Every committed transaction that writes an event's data (its profiles, slots, locations, runs,
meetings, answers ...) counts up the event's revision, just before it commits: the session
hooks below see each written object and find its event. Pages that aggregate a whole event
(the organiser's overview, the plan review) keep what they computed under the revision they
read first (`remembered`), so that they compute again only after a change. The revision is a
row of its own (`event_revisions`), written as the last statement of a transaction: it never
waits behind the locks that publishing or a refill take on the event or the run.
"""

import threading
import weakref
from collections.abc import Callable, Hashable
from typing import TypeVar

import sqlalchemy as sa
from cachetools import LRUCache
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from matchmaker.models import (
    Event,
    EventRevision,
    Meeting,
    MeetingSeat,
    Profile,
    ProfileIntent,
    ProfileVector,
)
from matchmaker.models.matching import MatchRun

T = TypeVar("T")

# session.info keys: what this transaction wrote, by the ids that lead to its events.
_EVENTS, _RUNS, _MEETINGS, _PROFILES, _GONE = (
    "changes.events",
    "changes.runs",
    "changes.meetings",
    "changes.profiles",
    "changes.gone",
)


def _pending(session: Session, key: str) -> set[int]:
    return session.info.setdefault(key, set())


def _note(session: Session, obj: object, *, load: bool) -> None:
    """Remember which event `obj` belongs to, or the ids that lead to it. Attributes that
    were expired are read from the row (`load`) or from the object's identity."""
    state = sa.inspect(obj)
    ident = state.identity or ()

    def value(name: str):
        if name in state.dict:
            return state.dict[name]
        return getattr(obj, name) if load else None

    if isinstance(obj, Event):
        _pending(session, _EVENTS).add(ident[0] if ident else obj.id)
    elif isinstance(obj, Meeting):
        run_id = value("run_id")
        if run_id is not None:
            _pending(session, _RUNS).add(run_id)
        elif ident:
            _pending(session, _MEETINGS).add(ident[0])
    elif isinstance(obj, MeetingSeat):
        meeting_id, profile_id = ident or (value("meeting_id"), value("profile_id"))
        _pending(session, _MEETINGS).add(meeting_id)
        _pending(session, _PROFILES).add(profile_id)
    elif isinstance(obj, ProfileIntent | ProfileVector):
        _pending(session, _PROFILES).add(value("profile_id"))
    elif hasattr(type(obj), "event_id"):  # profiles, tags, slots, locations, runs, rules ...
        event_id = value("event_id")
        if event_id is not None:
            _pending(session, _EVENTS).add(event_id)
        elif ident and isinstance(obj, Profile):
            _pending(session, _PROFILES).add(ident[0])
        elif ident and isinstance(obj, MatchRun):
            _pending(session, _RUNS).add(ident[0])


@sa.event.listens_for(Session, "before_flush")
def _before_flush(session: Session, _context, _instances) -> None:
    # Deleted rows are still there to be asked about; new ones have no ids yet.
    for obj in session.deleted:
        if isinstance(obj, Event):
            _pending(session, _GONE).add(sa.inspect(obj).identity[0])
        else:
            _note(session, obj, load=True)


@sa.event.listens_for(Session, "after_flush")
def _after_flush(session: Session, _context) -> None:
    for obj in (*session.new, *session.dirty):
        _note(session, obj, load=False)


def _forget(session: Session) -> None:
    for key in (_EVENTS, _RUNS, _MEETINGS, _PROFILES, _GONE):
        session.info.pop(key, None)


@sa.event.listens_for(Session, "after_rollback")
def _after_rollback(session: Session) -> None:
    _forget(session)


def _events_written(session: Session) -> set[int]:
    events = set(_pending(session, _EVENTS))
    lookups = (
        (_RUNS, sa.select(MatchRun.event_id), MatchRun.id),
        (_MEETINGS, sa.select(MatchRun.event_id).join(Meeting), Meeting.id),
        (_PROFILES, sa.select(Profile.event_id), Profile.id),
    )
    for key, query, id_column in lookups:
        ids = sorted(i for i in _pending(session, key) if i is not None)
        for start in range(0, len(ids), 1000):
            chunk = ids[start : start + 1000]
            events.update(session.scalars(query.where(id_column.in_(chunk)).distinct()))
    events -= _pending(session, _GONE)
    events.discard(None)
    return events


@sa.event.listens_for(Session, "before_commit")
def _before_commit(session: Session) -> None:
    if session.in_nested_transaction():
        return  # a savepoint: the outer transaction counts its writes when it commits
    session.flush()  # the last writes are seen too
    if not any(session.info.get(key) for key in (_EVENTS, _RUNS, _MEETINGS, _PROFILES)):
        return
    events = _events_written(session)
    _forget(session)
    if events:
        bump(session, events)


def bump(session: Session, event_ids: set[int]) -> None:
    """Count up the revision of these events (in id order: two writers never wait in a
    circle)."""
    dialect = session.get_bind().dialect.name
    insert = postgresql.insert if dialect == "postgresql" else sqlite.insert
    statement = insert(EventRevision).values(
        [{"event_id": event_id, "revision": 1} for event_id in sorted(event_ids)]
    )
    session.execute(
        statement.on_conflict_do_update(
            index_elements=[EventRevision.event_id],
            set_={"revision": EventRevision.revision + 1},
        )
    )


class _Kept:
    """A small least-recently-used store of figures (each worker process has its own), with
    a lock per key being computed: threads that miss a key at once compute it once."""

    def __init__(self, size: int) -> None:
        self.items: LRUCache = LRUCache(maxsize=size)
        self.lock = threading.Lock()
        self.computing: dict[Hashable, threading.Lock] = {}

    def lock_for(self, key: Hashable) -> threading.Lock:
        with self.lock:
            return self.computing.setdefault(key, threading.Lock())

    def get(self, key: Hashable):
        with self.lock:
            if key in self.items:
                return True, self.items[key]  # (reading it marks it used)
        return False, None

    def put(self, key: Hashable, value: object) -> None:
        with self.lock:
            self.items[key] = value


KEPT_FIGURES = 256
# One store per database engine, i.e. per app in each process: a new app (a test's) starts
# with nothing kept.
_KEPT: "weakref.WeakKeyDictionary[object, _Kept]" = weakref.WeakKeyDictionary()


def remembered(event: Event, what: Hashable, compute: Callable[[], T]) -> T:
    """`compute()` once per revision of the event. The revision is read with the event, before
    `compute` reads anything, so that what is kept under it is never older than it. `compute`
    must return plain values, not rows of a session."""
    bind = sa.inspect(event).session.get_bind()
    kept = _KEPT.get(bind) or _KEPT.setdefault(bind, _Kept(KEPT_FIGURES))
    key = (what, event.id, event.revision)
    found, value = kept.get(key)
    if found:
        return value
    with kept.lock_for(key):
        found, value = kept.get(key)
        if not found:
            value = compute()
            kept.put(key, value)
    with kept.lock:
        kept.computing.pop(key, None)
    return value
