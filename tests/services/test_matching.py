"""Matching runs: recorded, executed, stored whole or not at all, one at a time per event."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.engine.checks import check_plan
from matchmaker.models import MatchRun, Meeting, MeetingSeat
from matchmaker.services import my_data
from matchmaker.services.core import jobs
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.people import attendance
from matchmaker.services.planning import adapter, matching
from matchmaker.vocabulary import JobStatus
from tests import factories

NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)
TIMEOUT = timedelta(minutes=30)


def _start(session, ev, now=NOW):
    actor_id = ev.organisers[0].user_id
    return matching.start_run(session, event=ev, actor_id=actor_id, now=now, timeout=TIMEOUT)


def _plan(session, run):
    """A run's meetings as comparable tuples."""
    return [
        (m.slot_id, m.location_id, m.kind, tuple(s.profile_id for s in m.seats), round(m.score, 6))
        for m in matching.run_meetings(session, run_id=run.id)
    ]


def test_a_run_is_recorded_queued_with_the_rules_it_uses(session):
    ev, _ = factories.matchable_event(session)

    run = _start(session, ev)

    assert (run.status, run.progress, run.phase) == ("queued", 0, "waiting for a worker")
    assert run.rules == {"together": [], "apart": [], "met_before": [], "declined": []}
    assert run.started_by_id == ev.organisers[0].user_id


def test_executing_a_run_stores_a_plan_that_keeps_every_rule(session):
    ev, profiles = factories.matchable_event(session)
    run = _start(session, ev)

    run = matching.execute_run(session, run_id=run.id)

    assert (run.status, run.progress, run.phase, run.error) == ("done", 100, "done", "")
    meetings = matching.run_meetings(session, run_id=run.id)
    assert len(meetings) == run.metrics["one_to_one_meetings"] + run.metrics["group_meetings"]
    assert run.metrics["one_to_one_meetings"] > 0 and run.metrics["group_meetings"] > 0
    inputs = adapter.engine_inputs(ev, adapter.read_attendees(session, event_id=ev.id), run.rules)
    assert check_plan(inputs.event, inputs.attendees, matching.as_engine_plan(meetings)) == []
    assert all(m.reasons and m.starters for m in meetings if m.kind == "one_to_one")


def test_the_same_data_gives_the_same_plan(session):
    ev, _ = factories.matchable_event(session)
    first = matching.execute_run(session, run_id=_start(session, ev).id)

    second = matching.execute_run(session, run_id=_start(session, ev).id)

    assert _plan(session, first) == _plan(session, second)
    assert _plan(session, first) != []


def test_a_second_run_while_one_is_queued_is_refused(session):
    ev, _ = factories.matchable_event(session)
    _start(session, ev)

    with pytest.raises(Conflict, match="already under way"):
        _start(session, ev)
    assert session.scalar(sa.select(sa.func.count(MatchRun.id))) == 1


def test_a_run_no_worker_took_past_the_time_out_is_failed_and_a_new_one_may_start(session):
    ev, _ = factories.matchable_event(session)
    stuck = _start(session, ev)
    waiting = _start_or_conflict(session, ev, now=NOW + TIMEOUT - timedelta(seconds=1))

    fresh = _start(session, ev, now=NOW + TIMEOUT + timedelta(seconds=1))

    session.refresh(stuck)
    assert waiting == "already under way"
    assert (stuck.status, stuck.error) == ("failed", jobs.WAITED_TOO_LONG.format(minutes=30))
    assert fresh.status == "queued"


def test_a_run_whose_heartbeat_stopped_a_minute_ago_is_failed_whatever_the_time_out(session):
    ev, _ = factories.matchable_event(session)
    stuck = _start(session, ev)
    stuck.status, stuck.heartbeat_at = "running", NOW
    session.flush()
    still_alive = _start_or_conflict(session, ev, now=NOW + timedelta(seconds=59))

    fresh = _start(session, ev, now=NOW + timedelta(seconds=61))

    session.refresh(stuck)
    assert still_alive == "already under way"
    assert (stuck.status, stuck.error) == ("failed", jobs.WORKER_STOPPED)
    assert fresh.status == "queued"


def _start_or_conflict(session, ev, now):
    try:
        return _start(session, ev, now=now).status
    except Conflict:
        return "already under way"


def test_a_crashing_run_ends_failed_and_keeps_no_meeting(session, monkeypatch):
    ev, _ = factories.matchable_event(session)
    good = matching.execute_run(session, run_id=_start(session, ev).id)
    before = _plan(session, good)

    def explode(event, attendees, progress=None, previous=(), embed=None):
        progress("reading", 0, 8)
        raise MemoryError("out of memory")

    monkeypatch.setattr(matching, "plan_event", explode)
    bad = matching.execute_run(session, run_id=_start(session, ev).id)

    assert (bad.status, bad.error) == ("failed", "MemoryError: out of memory")
    assert bad.phase == "reading profiles"
    assert session.scalar(sa.select(sa.func.count(Meeting.id)).where(Meeting.run_id == bad.id)) == 0
    assert _plan(session, good) == before


def test_a_plan_that_breaks_a_rule_is_never_stored(session, monkeypatch):
    ev, _ = factories.matchable_event(session)
    monkeypatch.setattr(matching, "check_plan", lambda *a: ["meeting 0: T1 is double-booked"])

    run = matching.execute_run(session, run_id=_start(session, ev).id)

    assert run.status == "failed"
    assert (
        run.error
        == "RuntimeError: The plan broke the event's rules: meeting 0: T1 is double-booked"
    )
    assert session.scalar(sa.select(sa.func.count(MeetingSeat.profile_id))) == 0


def test_a_run_is_executed_once(session):
    ev, _ = factories.matchable_event(session)
    run = matching.execute_run(session, run_id=_start(session, ev).id)
    count = len(_plan(session, run))

    again = matching.execute_run(session, run_id=run.id)

    assert again.status == "done" and len(_plan(session, again)) == count


def test_an_event_without_slots_tables_or_profiles_is_named(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)

    with pytest.raises(Invalid) as error:
        _start(session, ev)

    assert error.value.errors == {
        "slots": ["Add time slots before running matching."],
        "locations": ["Add tables or rooms before running matching."],
        "profiles": ["At least two attendees must fill in their profiles first."],
    }


def test_progress_becomes_percentages():
    assert matching.progress_of("reading", 0, 200) == (5, "reading profiles")
    assert matching.progress_of("candidates", 5120, 10240) == (25, "finding candidates")
    assert matching.progress_of("pricing", 1, 3) == (60, "proving the bound")
    assert matching.progress_of("groups", 0, 1) == (90, "forming groups")


def test_every_phase_of_the_planner_has_words_for_people():
    from matchmaker.engine.planner import PHASES

    assert [p for p in matching.PHASES if p != "embedding"] == list(PHASES)


def test_status_values_are_the_vocabulary():
    assert [str(s) for s in JobStatus] == ["queued", "running", "done", "failed"]


def test_the_attendee_reader_reads_profiles_that_can_be_matched(session):
    ev, profiles = factories.matchable_event(session, people=5)
    attendance.save_profile(
        session,
        slug=ev.slug,
        user_id=profiles[1].user_id,
        data=attendance.ProfileData(
            name="Person 1", interests=("rust", "go"), seeks=("jobs", "mentorship"),
            available_slot_ids=(ev.slots[0].id,),
        ),
    )  # fmt: skip
    my_data.set_hidden(session, slug=ev.slug, user_id=profiles[4].user_id, hidden=True)

    rows = adapter.read_attendees(session, event_id=ev.id)

    assert [a.id for a in rows] == [adapter.person_key(p.id) for p in profiles[:4]]
    assert rows[1].name == "Person 1" and rows[1].available == {adapter.slot_key(ev.slots[0].id)}
    assert rows[1].interests == ("go", "rust") and rows[1].seeks == ("jobs", "mentorship")
    everyone = adapter.read_attendees(session, event_id=ev.id, matchable=False)
    assert [a.id for a in everyone] == [adapter.person_key(p.id) for p in profiles]
    some = [profiles[0].id, profiles[2].id]
    assert [a.id for a in adapter.read_attendees(session, event_id=ev.id, ids=some)] == [
        adapter.person_key(i) for i in some
    ]
