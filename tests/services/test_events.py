from datetime import UTC, date, datetime

import pytest

from matchmaker.services.core import access
from matchmaker.services.errors import Forbidden, Invalid, NotFound
from matchmaker.services.setup import events
from tests import factories


def test_create_event_makes_slug_token_and_organiser(session):
    owner = factories.organiser(session)

    ev = factories.event(session, owner, name="PyCon Österreich 2030!")

    assert ev.slug == "pycon-osterreich-2030"
    assert len(ev.join_token) >= 20
    assert [o.user_id for o in ev.organisers] == [owner.id]


def test_create_event_with_same_name_gets_next_slug(session):
    owner = factories.organiser(session)
    factories.event(session, owner, name="Meetup")

    second = factories.event(session, owner, name="Meetup")
    third = factories.event(session, owner, name="Meetup")

    assert (second.slug, third.slug) == ("meetup-2", "meetup-3")


def test_create_event_with_end_before_start_names_the_field(session):
    owner = factories.organiser(session)

    with pytest.raises(Invalid) as error:
        factories.event(session, owner, starts_on=date(2030, 5, 14), ends_on=date(2030, 5, 13))

    assert error.value.errors == {"ends_on": ["The last day must not be before the first day."]}


def test_create_event_checks_groups_and_join_deadline(session):
    owner = factories.organiser(session)

    with pytest.raises(Invalid) as error:
        factories.event(
            session,
            owner,
            group_size_min=5,
            group_size_max=4,
            join_closes_on=date(2030, 6, 1),
        )

    assert set(error.value.errors) == {"group_size_max", "join_closes_on"}


def test_attendee_cannot_create_event(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    profile = factories.attendee(session, ev)

    with pytest.raises(Forbidden):
        factories.event(session, profile.user)


def test_other_organiser_cannot_load_the_event(session):
    owner = factories.organiser(session)
    other = factories.organiser(session, email="other@example.org")
    ev = factories.event(session, owner)

    with pytest.raises(NotFound, match="There is no such event."):
        access.organised_event(session, event_id=ev.id, actor_id=other.id)
    assert access.organised_event(session, event_id=ev.id, actor_id=owner.id) is ev


def test_load_missing_event_is_not_found(session):
    owner = factories.organiser(session)

    with pytest.raises(NotFound):
        access.organised_event(session, event_id=999, actor_id=owner.id)


def test_list_organised_events_shows_only_own_soonest_first(session):
    owner = factories.organiser(session)
    other = factories.organiser(session, email="other@example.org")
    late = factories.event(
        session,
        owner,
        name="Late",
        starts_on=date(2031, 1, 1),
        ends_on=date(2031, 1, 1),
    )
    early = factories.event(session, owner, name="Early")
    factories.event(session, other, name="Not mine")

    assert events.list_organised_events(session, actor_id=owner.id) == [early, late]


def test_reset_join_link_replaces_token(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    old = ev.join_token

    events.reset_join_link(session, event=ev)

    assert ev.join_token != old


def test_event_figures_count_attendees_and_filled_profiles(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.slot(session, ev)
    factories.attendee(session, ev, email="a@example.org")
    filled = factories.attendee(session, ev, email="b@example.org")
    filled.completed_at = datetime.now(UTC)
    session.commit()

    figures = events.event_figures(session, event=ev)

    assert figures == events.EventFigures(attendees=2, complete_profiles=1, slots=1, locations=0)


def test_find_event_by_id_or_slug(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner, name="Demo Day")

    assert access.find_event(session, str(ev.id)) == ev
    assert access.find_event(session, "demo-day") == ev
    with pytest.raises(NotFound):
        access.find_event(session, "nope")
