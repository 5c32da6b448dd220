from datetime import date, datetime, time
from zoneinfo import ZoneInfo

import pytest

from matchmaker.services.errors import Invalid, NotFound
from matchmaker.services.people import attendance
from matchmaker.services.people.tags import parse_tags
from tests import factories


@pytest.fixture
def ev(session):
    owner = factories.organiser(session)
    event = factories.event(session, owner)
    factories.slot(session, event, start=time(10, 0), end=time(10, 20))
    factories.slot(session, event, start=time(10, 30), end=time(10, 50), format="group")
    return event


def _data(**changes):
    values = dict(
        name="Ana Attendee",
        headline="Data engineer",
        company="Acme",
        bio="I build pipelines.",
        interests=("data engineering", "python"),
        seeks=("mentorship",),
        offers=("knowledge", "jobs"),
        looking_for="A mentor in product.",
        can_help="Airflow.",
        format="one_to_one",
        available_slot_ids=(),
        max_meetings=4,
        share_contact=True,
    )
    values.update(changes)
    return attendance.ProfileData(**values)


def test_join_with_wrong_token_says_link_is_not_valid(session, ev):
    with pytest.raises(attendance.JoinLinkInvalid):
        attendance.event_for_join_token(session, token="nope")


def test_join_after_signups_close_says_closed(session, ev):
    after = datetime(2030, 5, 15, 0, 30, tzinfo=ZoneInfo("Europe/Berlin"))
    last_minute = datetime(2030, 5, 14, 23, 59, tzinfo=ZoneInfo("Europe/Berlin"))

    assert attendance.event_for_join_token(session, token=ev.join_token, now=last_minute) == ev
    with pytest.raises(attendance.JoinClosed) as error:
        attendance.event_for_join_token(session, token=ev.join_token, now=after)

    assert error.value.message == "Signups for PyCon Test closed on 14 May 2030."


def test_sign_up_and_join_makes_attendee_free_in_every_slot(session, ev):
    profile = factories.attendee(session, ev, email="Ana@Example.org")

    assert profile.user.email == "ana@example.org"
    assert profile.user.is_organiser is False
    assert profile.name == "Ana Attendee"
    assert profile.available_slots == ev.slots
    assert profile.is_complete is False


def test_joining_twice_returns_the_same_profile(session, ev):
    profile = factories.attendee(session, ev)

    again = attendance.join_event(session, token=ev.join_token, user_id=profile.user_id)

    assert again.id == profile.id


def test_same_person_has_separate_profile_per_event(session, ev):
    profile = factories.attendee(session, ev)
    second = factories.event(session, ev.organisers[0].user, name="Second")

    other = attendance.join_event(session, token=second.join_token, user_id=profile.user_id)

    assert other.id != profile.id
    assert [p.event.name for p in attendance.list_attended(session, user_id=profile.user_id)] == [
        "PyCon Test",
        "Second",
    ]


def test_save_profile_stores_everything(session, ev):
    profile = factories.attendee(session, ev)
    first_slot = ev.slots[0]

    attendance.save_profile(
        session,
        slug=ev.slug,
        user_id=profile.user_id,
        data=_data(
            available_slot_ids=(first_slot.id,),
            interests=("Python", "data engineering", "python"),
        ),
    )
    session.expire_all()

    assert [t.name for t in profile.tags] == ["data engineering", "python"]
    assert profile.intent_names("seeks") == ["mentorship"]
    assert profile.intent_names("offers") == ["jobs", "knowledge"]
    assert profile.available_slots == [first_slot]
    assert (profile.format, profile.max_meetings, profile.share_contact) == (
        "one_to_one",
        4,
        True,
    )
    assert profile.is_complete is True


def test_tags_are_shared_within_event_and_suggested_by_use(session, ev):
    a = factories.attendee(session, ev, email="a@example.org")
    b = factories.attendee(session, ev, email="b@example.org")
    attendance.save_profile(
        session,
        slug=ev.slug,
        user_id=a.user_id,
        data=_data(interests=("python", "rust")),
    )
    attendance.save_profile(
        session, slug=ev.slug, user_id=b.user_id, data=_data(interests=("python",))
    )

    assert attendance.suggested_tags(session, event_id=ev.id) == ["python", "rust"]
    assert a.tags[0].id == b.tags[0].id


def test_save_profile_with_bad_values_names_each_field(session, ev):
    profile = factories.attendee(session, ev)

    with pytest.raises(Invalid) as error:
        attendance.save_profile(
            session,
            slug=ev.slug,
            user_id=profile.user_id,
            data=_data(
                name=" ",
                format="solo",
                seeks=("money",),
                interests=("ok", "<script>"),
                available_slot_ids=(9999,),
                max_meetings=0,
            ),
        )

    assert set(error.value.errors) == {
        "name",
        "format",
        "seeks",
        "interests",
        "available_slots",
        "max_meetings",
    }
    session.rollback()
    session.refresh(profile)
    assert profile.is_complete is False


def test_profile_of_event_not_joined_is_not_found(session, ev):
    profile = factories.attendee(session, ev)
    other = factories.event(session, ev.organisers[0].user, name="Other")

    with pytest.raises(NotFound):
        attendance.get_own_profile(session, slug=other.slug, user_id=profile.user_id)
    with pytest.raises(NotFound):
        attendance.save_profile(session, slug=other.slug, user_id=profile.user_id, data=_data())


def test_attendee_cannot_reach_another_attendees_profile(session, ev):
    ana = factories.attendee(session, ev, email="ana@example.org")
    bob = factories.attendee(session, ev, email="bob@example.org", name="Bob")

    attendance.save_profile(session, slug=ev.slug, user_id=ana.user_id, data=_data(name="Ana B."))

    assert attendance.get_own_profile(session, slug=ev.slug, user_id=bob.user_id).name == "Bob"


def test_parse_tags_normalises_and_reports_bad_ones():
    tags, errors = parse_tags(" Machine  Learning, c++, ,machine learning, a_b, " + "x" * 41)

    assert tags == ["machine learning", "c++"]
    assert errors == [
        "'a_b' is not a tag: use letters, digits, spaces and + # . - / & ' only.",
        "'xxxxxxxxxxxxxxxxxxxx'... is longer than 40 characters.",
    ]


def test_slots_by_day_groups_in_order(session, ev):
    late = factories.slot(session, ev, start=time(9, 0), end=time(9, 20), day=date(2030, 5, 14))

    days = attendance.slots_by_day(ev.slots)

    assert [(day, [s.starts_at.time() for s in slots]) for day, slots in days] == [
        ("Tue 14 May 2030", [time(9, 0), time(10, 0), time(10, 30)])
    ]
    assert days[0][1][0] == late
