"""The event day through the app: the sweep starts the job that sends reminders once; the
morning question's page records "yes" from the link, asks again before "no", and frees the
day's meetings."""

import re
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa

from matchmaker import runner
from matchmaker.models import DayCheck, Meeting, MeetingSeat, OutgoingMail
from matchmaker.runner import sweep
from tests import factories
from tests.fakes import RecordingMailer
from tests.services.test_event_day import _ask, _at, _event


def test_the_sweep_sends_each_reminder_once(app, session):
    ev, _ = factories.published_event(
        session, people=4, one_to_one_slots=1, tables=2, group_slots=0, rooms=0
    )
    local = datetime.now(UTC).astimezone(ev.zone).replace(tzinfo=None, second=0, microsecond=0)
    ev.starts_on = ev.ends_on = local.date()
    ev.morning_check = False
    slot = ev.slots[0]
    slot.starts_at, slot.ends_at = local + timedelta(minutes=6), local + timedelta(minutes=26)
    session.commit()
    seated = {
        s.profile.user.email
        for m in session.scalars(sa.select(Meeting).where(Meeting.run_id == ev.published_run_id))
        for s in m.seats
    }
    app.extensions["mailer"] = recorder = RecordingMailer()

    found = sweep.sweep(app)
    runner.wait_for_threads()
    sweep.sweep(app)
    runner.wait_for_threads()

    assert found["event_days"] == 1
    reminders = [m for m in recorder.sent if "your meeting with" in m.subject]
    assert sorted(m.to for m in reminders) == sorted(seated)
    assert set(session.scalars(sa.select(OutgoingMail.status))) == {"sent"}


def test_yes_from_the_link_no_after_asking_again(app, session, monkeypatch):
    from matchmaker.attendee import event_day as view

    ev, profiles = _event(session)
    _ask(session, _at(7, 0))
    yes_token, no_token = session.scalars(sa.select(DayCheck.token).order_by(DayCheck.id)).all()[:2]
    monkeypatch.setattr(view, "_now", lambda: _at(8, 0))
    client = app.test_client()

    yes = client.get(f"/day/{yes_token}?answer=yes").get_data(as_text=True)
    assert "You said you are coming" in yes and "Your meetings today" in yes
    asking = client.get(f"/day/{no_token}?answer=no").get_data(as_text=True)
    assert "I am not coming today: free my meetings" in asking
    session.expire_all()
    assert session.scalar(sa.select(DayCheck.coming).where(DayCheck.token == no_token)) is None

    done = client.post(f"/day/{no_token}", data={"answer": "no"}, follow_redirects=True)

    page = done.get_data(as_text=True)
    assert re.search(r"Thank you for saying so: (1 meeting today was|\d+ meetings today were) freed",
                     page)  # fmt: skip
    assert "You said you are not coming" in page
    session.expire_all()
    check = session.scalar(sa.select(DayCheck).where(DayCheck.token == no_token))
    assert check.coming is False
    assert not session.scalar(
        sa.select(sa.func.count()).select_from(MeetingSeat).join(Meeting).where(
            MeetingSeat.profile_id == check.profile_id, Meeting.cancelled_at.is_(None))
    )  # fmt: skip


def test_an_unknown_day_link_is_not_found_and_answers_are_limited(app, session):
    ev, _ = _event(session)
    _ask(session, _at(7, 0))
    token = session.scalar(sa.select(DayCheck.token))
    client = app.test_client()

    assert client.get("/day/not-a-token").status_code == 404
    statuses = [client.post(f"/day/{token}", data={}).status_code for _ in range(61)]

    assert statuses[:60] == [302] * 60 and statuses[60] == 429
