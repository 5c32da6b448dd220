"""Profiles' embeddings: computed once per text, stored, used by runs and refills."""

import numpy as np
import sqlalchemy as sa

from matchmaker.engine.embedder import DEFAULT_NAME, MiniLM
from matchmaker.engine.similarity import ProfileModel
from matchmaker.models import ProfileVector
from matchmaker.services.people import attendance
from matchmaker.services.planning import adapter, embeddings, matching
from tests import factories
from tests.services.test_matching import _start


class CountingEmbedder:
    """A stand-in model: a text's vector is fixed by its length; counts the texts it read."""

    name = "counting"
    dimensions = 384

    def __init__(self):
        self.texts: list[str] = []

    def embed(self, texts):
        self.texts += texts
        out = np.zeros((len(texts), 384), dtype=np.float32)
        for row, text in enumerate(texts):
            out[row, len(text) % 384] = 1.0
        return out


def _stored(session):
    return dict(
        session.execute(sa.select(ProfileVector.profile_id, ProfileVector.text_digest)).all()
    )


def test_a_run_computes_missing_vectors_once_and_stores_them(session):
    ev, profiles = factories.matchable_event(session, people=6)
    model = CountingEmbedder()

    run = matching.execute_run(session, run_id=_start(session, ev).id, embedder=model)

    def profiles_read():  # a profile's text has a line per part; its free texts are empty
        return [t for t in model.texts if "\n" in t or not t]

    assert run.status == "done"
    assert len(profiles_read()) == 6 * 3  # the profile, its "looking for" and "can help with"
    stored = _stored(session)
    assert sorted(stored) == sorted(p.id for p in profiles)
    second = matching.execute_run(session, run_id=_start(session, ev).id, embedder=model)
    assert second.status == "done" and len(profiles_read()) == 6 * 3  # nothing read again


def test_a_changed_profile_gets_a_new_vector_and_the_old_one_is_never_used(session):
    ev, profiles = factories.matchable_event(session, people=4)
    model = CountingEmbedder()
    embeddings.embed_saved_profile(session, profile_id=profiles[0].id, embedder=model)
    before = _stored(session)[profiles[0].id]

    attendance.save_profile(
        session,
        slug=ev.slug,
        user_id=profiles[0].user_id,
        data=attendance.ProfileData(name=profiles[0].name, bio="Now I grow tomatoes."),
    )
    attendee = {profiles[0].id: _attendee(session, profiles[0])}

    assert embeddings.stored_vectors(session, attendee, model.name) == {}
    embeddings.embed_saved_profile(session, profile_id=profiles[0].id, embedder=model)
    assert _stored(session)[profiles[0].id] != before
    assert model.texts[-3:] == ["Now I grow tomatoes.", "", ""]
    assert list(embeddings.stored_vectors(session, attendee, model.name)) == [profiles[0].id]


def test_a_vector_of_another_model_is_not_used(session):
    ev, profiles = factories.matchable_event(session, people=2)
    embeddings.embed_saved_profile(session, profile_id=profiles[0].id, embedder=CountingEmbedder())
    attendee = {profiles[0].id: _attendee(session, profiles[0])}

    assert embeddings.stored_vectors(session, attendee, "all-MiniLM-L6-v2") == {}


def test_a_run_with_the_real_model_blends_meaning_into_its_scores(session):
    ev, _ = factories.matchable_event(session, people=6)
    words = matching.execute_run(session, run_id=_start(session, ev).id)

    meaning = matching.execute_run(session, run_id=_start(session, ev).id, embedder=MiniLM())

    assert meaning.status == "done"
    assert meaning.metrics["score_total"] > words.metrics["score_total"]
    vectors = session.scalars(sa.select(ProfileVector.vector)).all()
    assert len(vectors) == 6 and all(len(v) == 384 * 4 for v in vectors)


def test_a_refill_uses_stored_vectors_only_when_everyone_has_one(session):

    ev, profiles = factories.matchable_event(session, people=3)
    model = CountingEmbedder()
    model.name = DEFAULT_NAME
    embeddings.embed_saved_profile(session, profile_id=profiles[0].id, embedder=model)
    embeddings.embed_saved_profile(session, profile_id=profiles[1].id, embedder=model)

    people = adapter.read_attendees(session, event_id=ev.id)
    with_two = embeddings.with_stored_vectors(session, people[:2])
    assert all(a.vector is not None for a in with_two)
    assert all(a.vector is None for a in embeddings.with_stored_vectors(session, people))


def _attendee(session, profile):
    """The engine's view of one profile, as the embedding job reads it."""
    found = adapter.read_attendees(
        session, event_id=profile.event_id, ids=[profile.id], matchable=False
    )
    return found[0]


def test_looking_for_meets_can_help_by_the_stored_meaning(session):
    ev, _ = factories.matchable_event(session, people=0)
    looking = [
        ("hardening CI pipelines", ""),
        ("", "building data pipelines"),
        ("", "securing build servers and continuous integration"),
    ]
    profiles = [
        factories.filled_profile(session, ev, k, looking_for=wants, can_help=helps)
        for k, (wants, helps) in enumerate(looking)
    ]
    model = MiniLM()
    for profile in profiles:
        embeddings.embed_saved_profile(session, profile_id=profile.id, embedder=model)

    people = embeddings.with_stored_vectors(
        session, adapter.read_attendees(session, event_id=ev.id)
    )

    assert all(a.free_vectors is not None and a.free_vectors.shape == (2, 384) for a in people)
    found = ProfileModel(people).free_text_overlap(np.array([0, 0]), np.array([1, 2]))
    assert found.tolist() == [False, True]  # one shared word, against a shared meaning
