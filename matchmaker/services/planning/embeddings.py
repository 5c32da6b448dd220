"""Profiles' sentence embeddings (the semantic channel): computed once per text, outside the
request, and stored, so that a matching run pays nothing for them."""

import dataclasses
import hashlib
from collections.abc import Callable
from datetime import UTC, datetime

import numpy as np
import sqlalchemy as sa
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from matchmaker.engine import model as engine
from matchmaker.engine.embedder import (
    DEFAULT_NAME,
    Embedder,
    free_texts,
    semantic_text,
)
from matchmaker.engine.embedder import embed_profiles as embed_attendees
from matchmaker.models import Profile, ProfileVector
from matchmaker.services.planning.adapter import read_attendees, row_id

# A profile's embeddings: its text's, and [2, dimensions] for "looking for", "can help with".
Vectors = tuple[np.ndarray, np.ndarray]


def text_digest(attendee: engine.Attendee, model: str) -> str:
    """sha256 of the model's name and the texts it reads of this profile."""
    texts = "\n".join([model, semantic_text(attendee), *free_texts(attendee)])
    return hashlib.sha256(texts.encode()).hexdigest()


def stored_vectors(
    session: Session, attendees: dict[int, engine.Attendee], model: str
) -> dict[int, Vectors]:
    """The stored vectors of these profiles (by id) that belong to their present texts."""
    found: dict[int, Vectors] = {}
    ids = list(attendees)
    for start in range(0, len(ids), 1000):
        rows = session.execute(
            sa.select(
                ProfileVector.profile_id,
                ProfileVector.text_digest,
                ProfileVector.vector,
                ProfileVector.free_vectors,
            ).where(ProfileVector.profile_id.in_(ids[start : start + 1000]))
        )
        for profile_id, digest, vector, free in rows:
            if free is not None and digest == text_digest(attendees[profile_id], model):
                vector = np.frombuffer(vector, dtype="<f4").copy()
                found[profile_id] = (vector, np.frombuffer(free, dtype="<f4").reshape(2, -1))
    return found


def _store(session: Session, attendees: dict[int, engine.Attendee], made, model: str) -> None:
    for profile_id, (vector, free) in zip(attendees, made, strict=True):
        row = session.get(ProfileVector, profile_id) or ProfileVector(profile_id=profile_id)
        row.text_digest = text_digest(attendees[profile_id], model)
        row.vector = np.asarray(vector, dtype="<f4").tobytes()
        row.free_vectors = np.asarray(free, dtype="<f4").tobytes()
        session.add(row)
    session.flush()


def with_vectors(people: list[engine.Attendee], vectors: dict[int, Vectors]) -> list:
    """The attendees carrying their embeddings from `vectors` (by row id)."""
    return [
        dataclasses.replace(
            a, vector=vectors[row_id(a.id)][0], free_vectors=vectors[row_id(a.id)][1]
        )
        for a in people
    ]


def embed_profiles(
    session: Session,
    attendees: dict[int, engine.Attendee],
    embedder: Embedder,
    progress: Callable[[int, int], None] | None = None,
    batch: int = 256,
) -> dict[int, Vectors]:
    """Every profile's vector by id (`attendees`: the engine's view of each profile, by id):
    the stored ones, the rest computed (in batches, with `progress(done, total)`) and stored in
    the session (flushed, not committed)."""
    vectors = stored_vectors(session, attendees, embedder.name)
    missing = [i for i in attendees if i not in vectors]
    for start in range(0, len(missing), batch):
        part = {i: attendees[i] for i in missing[start : start + batch]}
        made = list(zip(*embed_attendees(embedder, list(part.values())), strict=True))
        _store(session, part, made, embedder.name)
        vectors.update(zip(part, made, strict=True))
        if progress:
            progress(min(start + batch, len(missing)), len(missing))
    return vectors


def embed_saved_profile(session: Session, *, profile_id: int, embedder: Embedder) -> None:
    """The job run after a profile is saved: compute and store its vector (nothing if the
    stored one is of its present text; a profile gone by then is no error)."""
    profile = session.get(Profile, profile_id)
    if profile is None:
        return
    found = read_attendees(session, event_id=profile.event_id, ids=[profile_id], matchable=False)
    try:
        embed_profiles(session, {profile_id: found[0]}, embedder)
        # Checked against this save (the text may be unchanged): not due again until the next.
        session.execute(
            sa.update(ProfileVector)
            .where(ProfileVector.profile_id == profile_id)
            .values(computed_at=datetime.now(UTC))
        )
        session.commit()
    except IntegrityError:  # another job stored it at the same moment
        session.rollback()


def with_stored_vectors(session: Session, people: list[engine.Attendee]) -> list:
    """The attendees with their stored embeddings when every one has its own (a refill
    computes none in the request; with some missing, all are compared on words alone)."""
    attendees = {row_id(a.id): a for a in people}
    vectors = stored_vectors(session, attendees, DEFAULT_NAME)
    if len(vectors) < len(attendees):
        return people
    return with_vectors(people, vectors)


def profiles_to_embed(session: Session, *, limit: int = 100) -> list[int]:
    """Profiles saved since their vector was computed, or without one (their job was lost or
    the queue was down when they were saved), oldest save first."""
    return list(
        session.scalars(
            sa.select(Profile.id)
            .outerjoin(ProfileVector, ProfileVector.profile_id == Profile.id)
            .where(
                Profile.can_be_matched(),
                sa.or_(
                    ProfileVector.profile_id.is_(None),
                    ProfileVector.computed_at < Profile.updated_at,
                ),
            )
            .order_by(Profile.updated_at)
            .limit(limit)
        )
    )
