"""The organisers' roster: search by name, email, company or interest; filters; meetings and
declines counted per person; one person's meetings with where each answer stands."""

import sqlalchemy as sa

from matchmaker.models import Meeting
from matchmaker.services.core.messages import Notice
from matchmaker.services.introductions import answers, roster
from matchmaker.vocabulary import IntroductionStatus
from tests import factories
from tests.fakes import RecordingMailer
from tests.services.test_event_day import _at


def test_search_filters_and_counts(session):
    ev, profiles = factories.published_event(
        session, people=6, one_to_one_slots=2, tables=3, group_slots=0, rooms=0
    )
    late = factories.attendee(session, ev, email="late@example.org", name="Zed Late")
    profiles[1].hidden = True
    profiles[2].company = "Acme Robotics"
    session.commit()
    first = session.scalars(
        sa.select(Meeting).where(Meeting.run_id == ev.published_run_id).order_by(Meeting.id)
    ).first()
    decliner = first.seats[0].profile
    answers.respond(session, slug=ev.slug, user_id=decliner.user_id, meeting_id=first.id,
                    accept=False, now=_at(8, 0, day=-5), notice=Notice(RecordingMailer(), "x"))  # fmt: skip
    session.commit()

    everyone = roster.roster(session, event=ev)
    by_name = {r.profile.name: r for r in everyone.rows}

    assert (everyone.total, everyone.matching) == (7, 7)
    assert by_name[decliner.name].declines == 1
    assert sum(r.meetings for r in everyone.rows) == sum(
        len(m.seats) for m in session.scalars(sa.select(Meeting).where(
            Meeting.run_id == ev.published_run_id, Meeting.cancelled_at.is_(None)))
    )  # fmt: skip
    assert [r.profile.name for r in roster.roster(session, event=ev, query="acme").rows] == [
        profiles[2].name
    ]
    assert [r.profile.name for r in roster.roster(session, event=ev, query="LATE@ex").rows] == [
        "Zed Late"
    ]
    python = roster.roster(session, event=ev, query="python").rows  # an interest
    assert python and all("python" in [t.name for t in r.profile.tags] for r in python)
    assert [r.profile.id for r in roster.roster(session, event=ev, show="no-profile").rows] == [
        late.id
    ]
    assert [r.profile.id for r in roster.roster(session, event=ev, show="hidden").rows] == [
        profiles[1].id
    ]
    assert roster.roster(session, event=ev, show="declines").rows == []
    no_meeting = roster.roster(session, event=ev, show="no-meeting").rows
    assert all(r.meetings == 0 and r.profile.is_complete for r in no_meeting)


def test_a_persons_meetings_with_their_answers(session):
    ev, profiles = factories.published_event(
        session, people=4, one_to_one_slots=2, tables=2, group_slots=0, rooms=0
    )
    first = session.scalars(
        sa.select(Meeting).where(Meeting.run_id == ev.published_run_id).order_by(Meeting.id)
    ).first()
    a, b = (s.profile for s in first.seats)
    answers.respond(session, slug=ev.slug, user_id=a.user_id, meeting_id=first.id, accept=True,
                    now=_at(8, 0, day=-5), notice=Notice(RecordingMailer(), "x"))  # fmt: skip
    session.commit()

    found = roster.person(session, event=ev, profile_id=a.id)
    theirs = roster.person(session, event=ev, profile_id=b.id)

    mine = next(m for m in found.meetings if m.meeting_id == first.id)
    assert (mine.status, mine.others) == (IntroductionStatus.ACCEPTED, (b.name,))
    other = next(m for m in theirs.meetings if m.meeting_id == first.id)
    assert other.status == IntroductionStatus.PROPOSED
