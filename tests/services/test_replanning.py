"""Runs after publishing are re-plans: what people agreed stays, declines stay apart, the rest
of the published plan stays where it still fits, and publishing says first what changes."""

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from matchmaker.models import Meeting, Profile
from matchmaker.services.core.messages import Notice
from matchmaker.services.introductions import answers
from matchmaker.services.planning import matching, pair_rules, plan_edits, publishing
from tests import factories
from tests.fakes import RecordingMailer

BEFORE = datetime(2030, 5, 2, 9, 0, tzinfo=UTC)  # after publishing, before the event


def _key(meeting):
    return (meeting.slot_id, meeting.location_id, frozenset(s.profile_id for s in meeting.seats))


def _meetings(session, run_id):
    session.expire_all()
    return matching.run_meetings(session, run_id=run_id)


def _rerun(session, ev, clock=lambda: BEFORE):
    run = matching.start_run(
        session, event=ev, actor_id=None, now=clock(), timeout=timedelta(hours=1)
    )
    session.commit()
    return matching.execute_run(session, run_id=run.id, clock=clock)


def _answer(session, ev, profile_id, meeting_id, accept):
    profile = session.get(Profile, profile_id)
    answers.respond(
        session,
        slug=ev.slug,
        user_id=profile.user_id,
        meeting_id=meeting_id,
        accept=accept,
        now=BEFORE,
        notice=Notice(RecordingMailer(), "https://meet.example.org/intros"),
    )
    session.commit()


def test_a_run_after_publishing_keeps_what_people_agreed_and_the_rest_where_it_fits(session):
    ev, profiles = factories.published_event(session, people=10, tables=4)
    published = _meetings(session, ev.published_run_id)
    ones = [m for m in published if m.kind == "one_to_one"]
    accepted, declined = ones[0], ones[1]
    _answer(session, ev, accepted.seats[0].profile_id, accepted.id, accept=True)
    declined_pair = frozenset(s.profile_id for s in declined.seats)
    _answer(session, ev, declined.seats[0].profile_id, declined.id, accept=False)
    session.refresh(ev)
    now_published = {_key(m) for m in _meetings(session, ev.published_run_id)}

    run = _rerun(session, ev)

    assert run.status == "done", run.error
    again = _meetings(session, run.id)
    assert _key(accepted) in {_key(m) for m in again}
    assert declined_pair not in {frozenset(s.profile_id for s in m.seats) for m in again}
    # Nothing else changed, so nothing else moves: the re-plan is the published plan.
    assert {_key(m) for m in again} == now_published
    m = run.metrics
    assert m["replan_of"] == ev.published_run_id
    assert (m["kept"], m["moved"], m["dropped"], m["people_changed"]) == (
        len(now_published), 0, 0, 0
    )  # fmt: skip
    assert m["fixed"] == 1


def test_publishing_a_replan_keeps_answers_and_tells_only_those_whose_schedule_changed(session):
    ev, profiles = factories.published_event(session, people=10, tables=4)
    ones = [m for m in _meetings(session, ev.published_run_id) if m.kind == "one_to_one"]
    accepted = ones[0]
    a = accepted.seats[0].profile_id
    _answer(session, ev, a, accepted.id, accept=True)
    # The organiser keeps apart a pair that meets pending: only they (and whoever the freed
    # seats go to) change.
    pending = next(m for m in ones[1:] if not {s.profile_id for s in m.seats} & {a})
    x, y = (s.profile_id for s in pending.seats)
    pair_rules.set_pair_rule(session, event=ev, profile_id=x, other_id=y, rule="apart")
    session.commit()
    run = _rerun(session, ev)

    preview = publishing.preview_publish(session, event=ev, run_id=run.id)
    mailer = RecordingMailer()
    result = publishing.publish_run(
        session, event=ev, run_id=run.id, now=BEFORE, mailer=mailer, schedule_link="x"
    )
    session.commit()

    changed = {c.profile_id for c in preview.people}
    assert {x, y} <= changed
    assert (preview.accepted, preview.accepted_lost) == (1, 0)
    assert result.messages == len(changed) == len(mailer.sent)
    assert sorted(m.to for m in mailer.sent) == sorted(
        session.get(Profile, p).user.email for p in changed
    )
    kept = next(m for m in _meetings(session, run.id) if _key(m) == _key(accepted))
    assert {s.profile_id: s.response for s in kept.seats}[a] == "accepted"


def test_meetings_that_began_stay_even_when_someone_has_hidden_their_profile(session):
    ev, _ = factories.published_event(session, people=8, tables=4)
    published = _meetings(session, ev.published_run_id)
    first_slot = min(m.slot.starts_at for m in published)
    begun = [m for m in published if m.slot.starts_at == first_slot]
    gone = begun[0].seats[0].profile_id
    session.get(Profile, gone).hidden = True
    session.commit()
    during = begun[0].slot.starts_at_aware() + timedelta(minutes=5)

    run = _rerun(session, ev, clock=lambda: during)

    assert run.status == "done", run.error
    again = {_key(m) for m in _meetings(session, run.id)}
    assert {_key(m) for m in begun} <= again
    later = [k for k in again if gone in k[2] and k not in {_key(m) for m in begun}]
    assert later == []  # nothing new, nothing later for the hidden person
    publishing.publish_run(
        session, event=ev, run_id=run.id, now=during, mailer=RecordingMailer(), schedule_link="x"
    )
    session.commit()
    assert {_key(m) for m in begun} <= {_key(m) for m in _meetings(session, run.id)}


def test_a_meeting_the_organiser_moved_stays_where_they_put_it(session):
    ev, _ = factories.published_event(session, people=6, tables=4, group_slots=0, rooms=0)
    published = _meetings(session, ev.published_run_id)
    meeting = published[0]
    used = {m.location_id for m in published if m.slot_id == meeting.slot_id}
    table = next(loc.id for loc in ev.locations if loc.id not in used)
    plan_edits.move_meeting(
        session,
        event=ev,
        meeting_id=meeting.id,
        slot_id=meeting.slot_id,
        location_id=table,
        notice=Notice(RecordingMailer(), "x"),
    )
    session.commit()
    assert session.get(Meeting, meeting.id).pinned

    run = _rerun(session, ev)

    moved = next(m for m in _meetings(session, run.id) if _key(m)[2] == _key(meeting)[2])
    assert (moved.slot_id, moved.location_id) == (meeting.slot_id, table)
    assert run.metrics["fixed"] == 1


def test_the_first_publish_previews_everyone_with_a_meeting(session):
    ev, profiles = factories.matchable_event(session, people=4, group_slots=0, rooms=0)
    run = _rerun(session, ev)

    preview = publishing.preview_publish(session, event=ev, run_id=run.id)

    seated = {s.profile_id for m in _meetings(session, run.id) for s in m.seats}
    assert preview.first_time and {c.profile_id for c in preview.people} == seated
    assert all(c.change.added and not c.change.removed for c in preview.people)
    assert (preview.accepted, preview.accepted_lost) == (0, 0)
    assert session.scalar(sa.select(sa.func.count(Meeting.id))) == len(_meetings(session, run.id))


def test_a_replan_keeps_history_the_planner_cannot_express(session):
    from matchmaker.services import my_data

    ev, profiles = factories.published_event(session, people=6, tables=4, group_slots=0, rooms=0)
    published = _meetings(session, ev.published_run_id)
    first = published[0]
    gone = first.seats[0].profile_id
    during = first.slot.starts_at_aware() + timedelta(minutes=5)
    my_data.delete_account(
        session,
        user_id=session.get(Profile, gone).user_id,
        password=factories.PASSWORD,
        now=during,
        notice=Notice(RecordingMailer(), "x"),
    )
    session.commit()
    left = {s.profile_id for s in session.get(Meeting, first.id).seats}

    run = _rerun(session, ev, clock=lambda: during)

    assert run.status == "done", run.error
    again = _meetings(session, run.id)
    assert (first.slot_id, first.location_id, frozenset(left)) in {_key(m) for m in again}
