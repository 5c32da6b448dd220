"""Each committed write to an event's data counts up that event's revision, and only that
event's: what the dashboards keep under a revision is never shown after a change."""

from datetime import UTC, datetime, time, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.models import Event, EventRevision, MeetingSeat, Profile
from matchmaker.services import my_data
from matchmaker.services.core import access, revisions
from matchmaker.services.core.messages import Notice
from matchmaker.services.introductions import answers
from matchmaker.services.people import attendance
from matchmaker.services.planning import matching, pair_rules, plan_edits
from matchmaker.services.setup import events, overview, timetable
from tests import factories
from tests.fakes import RecordingMailer

BEFORE = datetime(2030, 5, 2, 9, 0, tzinfo=UTC)


def _revisions(session) -> dict[int, int]:
    session.expire_all()
    return dict(session.execute(sa.select(EventRevision.event_id, EventRevision.revision)).all())


def _notice() -> Notice:
    return Notice(RecordingMailer(), "https://meet.example.org/intros")


@pytest.fixture
def two(session):
    """A published event and, beside it, another of the same organiser."""
    ev, profiles = factories.published_event(
        session, people=6, one_to_one_slots=2, group_slots=0, tables=3, rooms=0
    )
    other = factories.event(session, ev.organisers[0].user, name="Other Conf")
    return ev, profiles, other


def _changes_only(session, ev, other, write) -> None:
    """`write()` counts up `ev`'s revision by exactly one and leaves `other`'s alone."""
    before = _revisions(session)
    write()
    session.commit()  # as the request would
    after = _revisions(session)
    assert after.get(ev.id, 0) == before.get(ev.id, 0) + 1
    assert after.get(other.id, 0) == before.get(other.id, 0)


def test_every_kind_of_write_counts_up_its_event_and_no_other(session, two):
    ev, profiles, other = two
    ana, bob = profiles[0], profiles[1]
    ev_id, slug = ev.id, ev.slug

    def save_profile():
        data = attendance.ProfileData(
            name="Ana Renamed", headline="", company="", bio="", interests=("rust",),
            seeks=(), offers=(), looking_for="", can_help="", format="one_to_one",
            available_slot_ids=(), max_meetings=3, share_contact=False,
        )  # fmt: skip
        attendance.save_profile(session, slug=slug, user_id=ana.user_id, data=data)

    def decline():
        seat = session.scalar(sa.select(MeetingSeat).where(MeetingSeat.profile_id == bob.id))
        answers.respond(
            session, slug=slug, user_id=bob.user_id, meeting_id=seat.meeting_id,
            accept=False, now=BEFORE, notice=_notice(),
        )  # fmt: skip

    def cancel():
        seat = session.scalar(
            sa.select(MeetingSeat)
            .join(MeetingSeat.meeting)
            .where(MeetingSeat.profile_id == profiles[2].id)
            .where(sa.text("meetings.cancelled_at IS NULL"))
        )
        plan_edits.cancel_meeting(
            session, event=session.get(Event, ev_id), meeting_id=seat.meeting_id,
            notice=_notice(), now=BEFORE,
        )  # fmt: skip

    def new_run():
        run = matching.start_run(
            session,
            event=session.get(Event, ev_id),
            actor_id=None,
            now=BEFORE,
            timeout=timedelta(hours=1),
        )
        matching.execute_run(session, run_id=run.id)

    writes = [
        save_profile,
        lambda: my_data.set_hidden(session, slug=slug, user_id=profiles[3].user_id, hidden=True),
        lambda: factories.slot(
            session, session.get(Event, ev_id), start=time(16, 0), end=time(16, 20)
        ),
        lambda: timetable.add_locations(
            session, event=session.get(Event, ev_id), name="Room", capacity=4, count=1
        ),
        lambda: pair_rules.set_pair_rule(
            session,
            event=session.get(Event, ev_id),
            profile_id=ana.id,
            other_id=profiles[4].id,
            rule="apart",
        ),  # fmt: skip
        decline,
        cancel,
        lambda: events.reset_join_link(session, event=session.get(Event, ev_id)),
        lambda: factories.attendee(session, session.get(Event, ev_id), email="new@example.org"),
    ]
    for write in writes:
        _changes_only(session, session.get(Event, ev_id), other, write)
    # A run counts up as it starts, at each step it reports and as it ends; not the other.
    before = _revisions(session)
    new_run()
    after = _revisions(session)
    assert after[ev_id] > before[ev_id] + 1
    assert after.get(other.id, 0) == before.get(other.id, 0)


def test_deleting_an_account_counts_up_each_event_it_had_a_profile_at(session, two):
    ev, profiles, other = two
    gone = profiles[5]
    joined_other = attendance.add_profile(session, other, gone.user)
    session.commit()
    before = _revisions(session)

    my_data.delete_account(
        session, user_id=gone.user_id, password=factories.PASSWORD, now=BEFORE, notice=_notice()
    )
    session.commit()  # as the request would

    after = _revisions(session)
    assert after[ev.id] > before[ev.id]
    assert after[other.id] == before.get(other.id, 0) + 1
    assert session.get(Profile, joined_other.id) is None


def test_reads_and_rolled_back_writes_count_nothing(session, two):
    ev, profiles, other = two
    before = _revisions(session)

    overview.event_overview(session, event=session.get(Event, ev.id))
    session.commit()
    session.get(Profile, profiles[0].id).name = "Never saved"
    session.rollback()
    session.commit()

    assert _revisions(session) == before


def test_a_savepoint_is_counted_once_with_the_transaction_around_it(session, two):
    ev, profiles, other = two
    before = _revisions(session)[ev.id]

    with session.begin_nested():
        session.get(Profile, profiles[0].id).headline = "Inside a savepoint"
    assert _revisions(session)[ev.id] == before  # not yet: the transaction is still open
    session.commit()

    assert _revisions(session)[ev.id] == before + 1


def test_the_overview_is_kept_until_the_event_changes(session, two):
    ev, profiles, other = two

    def seen():
        event = access.organised_event(session, event_id=ev.id, actor_id=ev.organisers[0].user_id)
        return overview.event_overview(session, event=event)

    first = seen()
    session.commit()
    again = seen()
    session.commit()
    factories.attendee(session, session.get(Event, ev.id), email="late@example.org")
    after = seen()

    assert again is first  # kept: computed once
    assert (first.figures.attendees, after.figures.attendees) == (6, 7)


def test_the_kept_figures_drop_the_least_recently_used_first():
    kept = revisions._Kept(2)
    kept.put("a", 1)
    kept.put("b", 2)
    assert kept.get("a") == (True, 1)  # "a" is now the most recently used
    kept.put("c", 3)

    assert [kept.get(key) for key in "abc"] == [(True, 1), (False, None), (True, 3)]


def test_requests_that_miss_the_same_figures_at_once_compute_them_once(app, session, two):
    import threading
    import time as clock

    ev, profiles, other = two
    event = session.get(Event, ev.id)
    # The revision is loaded here: the threads below never touch the session.
    session.refresh(event, attribute_names=["revision"])
    computed, start = [], threading.Barrier(4)

    def compute():
        computed.append(1)
        clock.sleep(0.2)
        return "figures"

    def ask(results: list):
        with app.app_context():
            start.wait()
            results.append(revisions.remembered(event, "slow", compute))

    results: list = []
    threads = [threading.Thread(target=ask, args=(results,)) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()

    assert results == ["figures"] * 4
    assert len(computed) == 1
