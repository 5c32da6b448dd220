"""The event day: reminders before each meeting, once, to those who want them; the morning's
"still coming today?", once per person and day; a "no" frees that day's meetings as a
decline does, and the partners learn only that the meeting will not take place."""

from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import sqlalchemy as sa

from matchmaker.models import DayCheck, Meeting, MeetingSeat, Profile, profile_slots
from matchmaker.services.core.messages import Notice
from matchmaker.services.introductions import answers, event_day
from matchmaker.vocabulary import MeetingKind, Response
from tests import factories
from tests.fakes import RecordingMailer

BERLIN = ZoneInfo("Europe/Berlin")
LINKS = event_day.Links(
    meeting=lambda slug, meeting_id: f"https://meet.example.org/{slug}/m/{meeting_id}",
    day_check=lambda token: f"https://meet.example.org/day/{token}",
)


def _at(hour, minute=0, day=0):
    local = datetime.combine(factories.EVENT_DAY + timedelta(days=day), datetime.min.time())
    return local.replace(hour=hour, minute=minute, tzinfo=BERLIN)


def _event(session, **shape):
    shape = {"people": 6, "one_to_one_slots": 3, "tables": 2, "group_slots": 0, "rooms": 0}
    ev, profiles = factories.published_event(session, **shape)
    assert ev.timezone == "Europe/Berlin"
    return ev, profiles


def _seats_at(session, ev, hour):
    return session.execute(
        sa.select(MeetingSeat.meeting_id, MeetingSeat.profile_id)
        .join(Meeting)
        .where(Meeting.run_id == ev.published_run_id, Meeting.cancelled_at.is_(None))
        .where(Meeting.slot.has(starts_at=datetime.combine(factories.EVENT_DAY,
                                                           datetime.min.time()).replace(hour=hour)))
    ).all()  # fmt: skip


def _remind(session, now):
    mailer = RecordingMailer()
    sent = event_day.send_reminders(session, now=now, mailer=mailer, links=LINKS)
    session.commit()
    assert sent == len(mailer.sent)
    return mailer.sent


def _ask(session, now):
    mailer = RecordingMailer()
    sent = event_day.send_morning_checks(session, now=now, mailer=mailer, links=LINKS)
    session.commit()
    assert sent == len(mailer.sent)
    return mailer.sent


def test_a_reminder_of_each_meeting_leaves_once_within_the_events_minutes(session):
    ev, profiles = _event(session)
    at_nine = _seats_at(session, ev, 9)
    emails = {p.id: p.user.email for p in profiles}
    assert at_nine

    assert _remind(session, _at(8, 49)) == []  # eleven minutes before: not yet
    sent = _remind(session, _at(8, 52))
    again = _remind(session, _at(8, 55))

    assert sorted(m.to for m in sent) == sorted(emails[p] for _, p in at_nine)
    assert again == []
    first = sent[0]
    assert "at 09:00" in first.subject and "In 8 minutes" in first.body
    assert "https://meet.example.org/pycon-test/m/" in first.body and "To start:" in first.body


def test_no_reminder_for_those_who_turned_them_off_declined_or_when_the_event_sends_none(
    session,
):
    ev, profiles = _event(session)
    seats = sorted(_seats_at(session, ev, 9))
    (_, p1), (m2, p2) = seats[0], next(s for s in seats if s[0] != seats[0][0])
    session.get(Profile, p1).reminders = False
    session.commit()
    answers.respond(
        session, slug=ev.slug, user_id=session.get(Profile, p2).user_id, meeting_id=m2,
        accept=False, now=_at(8, 0), notice=Notice(RecordingMailer(), "https://x"),
    )  # fmt: skip
    session.commit()
    other = p2

    sent = {m.to for m in _remind(session, _at(8, 55))}

    assert session.get(Profile, p1).user.email not in sent
    assert session.get(Profile, other).user.email not in sent

    ev.reminder_minutes = 0
    session.commit()
    assert _remind(session, _at(9, 55)) == []


def test_the_morning_question_goes_once_to_each_person_with_meetings_that_day(session):
    ev, profiles = _event(session)
    with_meetings = {
        p for (p,) in session.execute(
            sa.select(MeetingSeat.profile_id).join(Meeting)
            .where(Meeting.run_id == ev.published_run_id, Meeting.cancelled_at.is_(None))
        )
    }  # fmt: skip

    assert _ask(session, _at(6, 59)) == []
    asked = _ask(session, _at(7, 0))
    assert _ask(session, _at(7, 30)) == []

    emails = {p.id: p.user.email for p in profiles}
    assert sorted(m.to for m in asked) == sorted(emails[p] for p in with_meetings)
    mail = asked[0]
    assert mail.subject == "PyCon Test: still coming today?"
    token = session.scalar(sa.select(DayCheck.token).where(DayCheck.profile_id == next(
        p for p in with_meetings if emails[p] == mail.to)))  # fmt: skip
    assert f"https://meet.example.org/day/{token}?answer=yes" in mail.body
    assert f"https://meet.example.org/day/{token}?answer=no" in mail.body
    ev.morning_check = False
    session.commit()
    assert _ask(session, _at(7, 0, day=1)) == []


def test_not_coming_frees_the_days_meetings_and_partners_learn_only_that(session):
    ev, profiles = _event(session)
    _ask(session, _at(7, 0))
    pid, token = session.execute(sa.select(DayCheck.profile_id, DayCheck.token)).first()
    mine = session.scalars(
        sa.select(Meeting).join(MeetingSeat)
        .where(Meeting.run_id == ev.published_run_id, MeetingSeat.profile_id == pid)
    ).all()  # fmt: skip
    partners = {s.profile_id for m in mine for s in m.seats} - {pid}
    told = RecordingMailer()

    freed = event_day.not_coming(session, token=token, now=_at(8, 0),
                                 notice=Notice(told, "https://meet.example.org/intro"))  # fmt: skip
    session.commit()

    assert freed == len(mine) > 0
    session.expire_all()
    assert all(session.get(Meeting, m.id).cancelled_at is not None for m in mine)
    assert session.scalar(
        sa.select(sa.func.count()).select_from(profile_slots).where(profile_slots.c.profile_id == pid)
    ) == 0  # fmt: skip
    partner_mail = [
        m for m in told.sent if m.to in {session.get(Profile, p).user.email for p in partners}
    ]
    assert partner_mail and all("coming" not in m.body for m in partner_mail)
    assert session.get(Profile, pid).user.email not in {m.to for m in told.sent}
    # Nobody is offered a meeting with them that day.
    assert not session.scalar(
        sa.select(sa.func.count()).select_from(MeetingSeat).join(Meeting).where(
            MeetingSeat.profile_id == pid, Meeting.cancelled_at.is_(None))
    )  # fmt: skip
    assert event_day.not_coming(session, token=token, now=_at(8, 5),
                                notice=Notice(told, "x")) == 0  # fmt: skip
    view = event_day.day_view(session, token=token, now=_at(8, 5))
    assert view.check.coming is False and view.meetings == []


def test_yes_is_recorded_once_and_a_later_no_still_frees_the_rest_of_the_day(session):
    ev, profiles = _event(session)
    _ask(session, _at(7, 0))
    token = session.scalar(sa.select(DayCheck.token))

    event_day.coming(session, token=token, now=_at(7, 5))
    session.commit()
    view = event_day.day_view(session, token=token, now=_at(9, 30))

    assert view.check.coming is True
    assert all(s.starts_at.hour >= 10 for s in view.meetings)  # what is still to come
    assert all(s.kind == MeetingKind.ONE_TO_ONE for s in view.meetings)
    freed = event_day.not_coming(session, token=token, now=_at(9, 30),
                                 notice=Notice(RecordingMailer(), "x"))  # fmt: skip
    assert freed == len(view.meetings)


def test_a_bad_token_is_not_found(session):
    import pytest

    from matchmaker.services.errors import NotFound

    with pytest.raises(NotFound):
        event_day.day_view(session, token="nope", now=_at(7, 0))
    assert Response.DECLINED  # the vocabulary the freed seats keep
