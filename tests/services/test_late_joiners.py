"""Someone who fills in their profile after publishing is placed at once, like a refill."""

from collections import Counter
from datetime import UTC, datetime

from matchmaker.models import Profile
from matchmaker.services.core.messages import Notice
from matchmaker.services.introductions import joining
from matchmaker.services.people import attendance
from matchmaker.services.planning import matching
from matchmaker.services.setup import overview
from tests import factories
from tests.fakes import RecordingMailer

BEFORE = datetime(2030, 5, 2, 9, 0, tzinfo=UTC)


def _join(session, ev, email="late@example.org", **changes):
    profile = factories.attendee(session, ev, email=email, name="Lara Late")
    data = dict(
        name="Lara Late",
        bio="I work on python asyncio networking and event loops.",
        interests=("python",),
        available_slot_ids=tuple(s.id for s in ev.slots),
    )
    data.update(changes)
    mailer = RecordingMailer()
    saved, placed = joining.save_profile(
        session,
        slug=ev.slug,
        user_id=profile.user_id,
        data=attendance.ProfileData(**data),
        now=BEFORE,
        notice=Notice(mailer, "https://meet.example.org/intros"),
    )
    session.commit()
    return saved, placed, mailer.sent


def test_a_late_joiner_gets_introductions_at_once_without_touching_anyone_else(session):
    # Three people, one table's meeting a slot: one of them is free in each slot, and the
    # group of three has a seat left in its room of four.
    ev, profiles = factories.published_event(session, people=3, tables=4)
    free = {
        slot.id: {p.id for p in profiles}
        - {s.profile_id for m in matching.run_meetings(session, run_id=ev.published_run_id,
                                                        slot_id=slot.id) for s in m.seats}
        for slot in ev.slots if slot.format == "one_to_one"
    }  # fmt: skip
    before = {
        (m.id, m.slot_id, m.location_id, frozenset(s.profile_id for s in m.seats))
        for m in matching.run_meetings(session, run_id=ev.published_run_id)
    }

    saved, placed, sent = _join(session, ev)

    session.expire_all()
    after = matching.run_meetings(session, run_id=ev.published_run_id)
    ones = [m for m in placed if m.kind == "one_to_one"]
    groups = [m for m in placed if m.kind == "group"]
    assert {m.slot_id: {s.profile_id for s in m.seats} - {saved.id} for m in ones} == free
    assert len(groups) == 1 and len(groups[0].seats) == 4
    assert all(saved.id in {s.profile_id for s in m.seats} for m in placed)
    # Every earlier meeting is still there, where it was (a group table gained a seat).
    kept = {
        (m.id, m.slot_id, m.location_id, frozenset(s.profile_id for s in m.seats) - {saved.id})
        for m in after
    }
    assert before <= kept
    assert matching.check_run(session, event=ev, run_id=ev.published_run_id) == []
    partners = {s.profile_id for m in ones for s in m.seats} - {saved.id}
    told = Counter(m.to for m in sent)
    assert told == Counter(
        ["late@example.org"] + [session.get(Profile, p).user.email for p in partners]
    )
    assert all(n == 1 for n in told.values())
    saved.completed_at = BEFORE  # (publishing happened "at" 2030 in these tests)
    late = overview.late_joiners(session, event=ev)
    assert (late.joined, late.placed) == (1, 1)


def test_saving_again_does_not_place_twice(session):
    ev, _ = factories.published_event(session, people=5, tables=4)
    saved, placed, _ = _join(session, ev)
    assert placed

    again = joining.save_profile(
        session,
        slug=ev.slug,
        user_id=saved.user_id,
        data=attendance.ProfileData(name="Lara Late", bio="still python"),
        now=BEFORE,
        notice=Notice(RecordingMailer(), "x"),
    )[1]

    assert again == []


def test_before_publishing_nobody_is_placed(session):
    ev, _ = factories.matchable_event(session, people=3)

    _, placed, sent = _join(session, ev, email="early@example.org")

    assert placed == [] and sent == []
    assert overview.late_joiners(session, event=ev) is None


def test_a_late_joiner_who_wants_groups_only_joins_a_table_with_room(session):
    ev, _ = factories.published_event(session, people=3, tables=4)

    _, placed, _ = _join(session, ev, format="group")

    assert [m.kind for m in placed] == ["group"]
    assert len(placed[0].seats) <= min(placed[0].location.capacity, ev.group_size_max)
