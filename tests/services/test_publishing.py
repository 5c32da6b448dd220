"""Publishing: a finished run becomes the schedule; each attendee whose meetings changed gets
one message saying what changed."""

from datetime import UTC, datetime, timedelta

import pytest

from matchmaker.models import Event, PairRuleRow
from matchmaker.services.errors import Conflict, NotFound
from matchmaker.services.planning import matching, publishing
from tests import factories
from tests.fakes import RecordingMailer

NOW = datetime(2030, 5, 1, 12, 0, tzinfo=UTC)


def _run(session, ev):
    run = matching.start_run(
        session, event=ev, actor_id=None, now=NOW, timeout=timedelta(minutes=30)
    )
    return matching.execute_run(session, run_id=run.id)


def _publish(session, ev, run_id=None):
    mailer = RecordingMailer()
    published = publishing.publish_run(
        session,
        event=ev,
        run_id=run_id,
        now=NOW,
        mailer=mailer,
        schedule_link="https://meet.example.org/events",
    )
    return published, mailer.sent


def test_publishing_without_a_finished_run_is_refused(session):
    ev, _ = factories.matchable_event(session)

    with pytest.raises(NotFound, match="no finished run to publish"):
        _publish(session, ev)
    assert session.get(Event, ev.id).published_run_id is None


def test_a_run_that_is_not_finished_cannot_be_published(session):
    ev, _ = factories.matchable_event(session)
    run = matching.start_run(
        session, event=ev, actor_id=None, now=NOW, timeout=timedelta(minutes=30)
    )

    with pytest.raises(Conflict, match="this one is queued"):
        _publish(session, ev, run.id)


def test_the_first_publish_tells_everyone_with_a_meeting_their_meetings(session):
    ev, profiles = factories.matchable_event(session, people=4, group_slots=0, rooms=0)
    run = _run(session, ev)

    published, sent = _publish(session, ev)

    assert published.run.id == run.id and published.messages == 4
    assert session.get(Event, ev.id).published_at is not None
    first = next(m for m in sent if m.to == "person0@example.org")
    assert first.subject == "PyCon Test: your meetings are planned"
    assert first.body.startswith("Hello Person 0,\n\nThe meetings the organisers of PyCon Test")
    assert "Your meetings (times in Europe/Berlin):\n- Tue 14 May, 09:00 at Table" in first.body
    assert first.body.endswith("Your schedule: https://meet.example.org/events\n")


def test_a_new_run_tells_only_the_people_whose_meetings_changed(session):
    ev, profiles = factories.matchable_event(session, people=4, group_slots=0, rooms=0)
    first = _run(session, ev)
    _publish(session, ev)
    pairs = {
        tuple(s.profile_id for s in m.seats)
        for m in matching.run_meetings(session, run_id=first.id)
    }
    a, b = sorted(pairs)[0]
    session.add(PairRuleRow(event_id=ev.id, first_id=min(a, b), second_id=max(a, b), rule="apart"))
    session.commit()
    second = _run(session, ev)

    published, sent = _publish(session, ev)

    changed = sorted(m.to for m in sent)
    assert published.run.id == second.id
    assert len(changed) == published.messages >= 2
    mail_a = next(
        m
        for m in sent
        if m.to == f"person{profiles.index(session.get(type(profiles[0]), a))}@example.org"
    )
    assert mail_a.subject == "PyCon Test: your meetings have changed"
    assert "No longer taking place:\n- " in mail_a.body
    assert session.get(Event, ev.id).published_run_id == second.id


def test_republishing_the_same_run_is_refused(session):
    ev, _ = factories.matchable_event(session)
    run = _run(session, ev)
    _publish(session, ev)

    with pytest.raises(Conflict, match="already the event's schedule"):
        _publish(session, ev, run.id)


def test_someone_hidden_since_the_run_was_planned_is_never_published(session):
    from matchmaker.services import my_data

    ev, people = factories.matchable_event(session, people=6, group_slots=1, rooms=1)
    run = _run(session, ev)
    gone = people[0]
    planned = [m for m in run.meetings if gone.id in {s.profile_id for s in m.seats}]
    assert {m.kind for m in planned} == {"one_to_one", "group"}  # both kinds are tried
    my_data.set_hidden(session, slug=ev.slug, user_id=gone.user_id, hidden=True)

    _published, sent = _publish(session, ev, run.id)

    session.expire_all()
    taking_place = [m for m in matching.run_meetings(session, run_id=run.id)]
    assert all(gone.id not in {s.profile_id for s in m.seats} for m in taking_place)
    assert gone.name not in "".join(mail.body for mail in sent)
    assert gone.user.email not in {mail.to for mail in sent}
    assert matching.check_run(session, event=ev, run_id=run.id) == []
