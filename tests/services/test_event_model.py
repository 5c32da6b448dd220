"""The event's profile model kept between refills: fitted once, a few changed profiles
weighed in, fitted again after many."""

from matchmaker.services.people import attendance
from matchmaker.services.planning import adapter, event_model
from tests import factories


def test_the_model_is_kept_then_grows_by_a_late_profile_then_is_fitted_again(session, monkeypatch):
    ev, profiles = factories.matchable_event(session, people=6)
    first = event_model.event_model(session, ev)
    assert event_model.event_model(session, ev) is first  # nothing changed: kept

    late = factories.filled_profile(session, ev, 9, email="late@example.org")

    grown = event_model.event_model(session, ev)
    assert grown is not first and grown.weighed_in == 1
    assert adapter.person_key(late.id) in grown.by_id
    assert len(grown.model.attendees) == 7

    monkeypatch.setattr(event_model, "EXTEND_MIN", 1)
    for profile in profiles[:2]:
        attendance.save_profile(
            session, slug=ev.slug, user_id=profile.user_id,
            data=attendance.ProfileData(name=profile.name, bio="now about gardening"),
        )  # fmt: skip
    session.commit()
    refitted = event_model.event_model(session, ev)
    assert refitted.weighed_in == 0 and len(refitted.model.attendees) == 7
