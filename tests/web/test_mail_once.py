"""Publishing answers before anyone is told; the announcement job then sends each attendee
one message; a second publish, a second cancel or a second announcement sends nothing more."""

from collections import Counter

import sqlalchemy as sa

from matchmaker.models import MatchRun, Meeting, OutgoingMail
from matchmaker.runner import sweep
from tests import factories
from tests.fakes import RecordingMailer


def _finished_run(client, session, ev):
    client.post(f"/organiser/events/{ev.id}/runs")
    return session.scalars(sa.select(MatchRun)).one()


def test_publishing_twice_tells_each_attendee_once(app, client, session):
    ev, profiles = factories.matchable_event(session)
    factories.login(client, "org@example.org")
    run = _finished_run(client, session, ev)
    app.extensions["mailer"] = recorder = RecordingMailer()
    url = f"/organiser/events/{ev.id}/runs/{run.id}/publish"

    first = client.post(url)
    page = client.get(first.headers["Location"]).get_data(as_text=True)
    second = client.post(url)
    sweep.sweep(app)  # finds nothing left to announce or send

    told = Counter(m.to for m in recorder.sent)
    seated = session.scalars(sa.select(Meeting).where(Meeting.run_id == run.id)).all()
    people = {s.profile.user.email for m in seated for s in m.seats}
    assert (first.status_code, second.status_code) == (302, 409)
    assert set(told) == people and set(told.values()) == {1}
    assert "Each attendee whose meetings changed is being sent one message" in page
    assert set(session.scalars(sa.select(OutgoingMail.status))) == {"sent"}


def test_cancelling_a_published_meeting_twice_tells_its_people_once(app, client, session):
    ev, _ = factories.published_event(session, people=4, group_slots=0, rooms=0)
    meeting = session.scalars(
        sa.select(Meeting).where(Meeting.run_id == ev.published_run_id).order_by(Meeting.id)
    ).first()
    people = sorted(s.profile.user.email for s in meeting.seats)
    factories.login(client, "org@example.org")
    app.extensions["mailer"] = recorder = RecordingMailer()
    url = f"/organiser/events/{ev.id}/meetings/{meeting.id}/cancel"

    first, second = client.post(url), client.post(url)

    assert first.status_code == 302
    assert second.status_code in (302, 404)  # it is gone: nothing to cancel
    assert sorted(m.to for m in recorder.sent) == people
