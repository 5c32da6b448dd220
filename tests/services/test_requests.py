"""The event's directory and requests to meet: only listed people, best match first, the
first common free slot within every rule, a quota, and declines that stay private."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.models import Meeting, MeetingRequest, MeetingSeat
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict, Invalid, NotFound
from matchmaker.services.introductions import answers, reading, requests
from matchmaker.services.planning import matching, publishing
from matchmaker.services.setup import timetable
from tests import factories
from tests.fakes import RecordingMailer

NOW = datetime(2030, 5, 2, 9, 0, tzinfo=UTC)


def _event(session, **shape):
    """Eight people, three one-to-one slots with two tables planned and two more added after
    publishing (room for requests); everyone listed but Person 7."""
    shape = {"people": 8, "one_to_one_slots": 3, "tables": 2, "group_slots": 0, **shape}
    ev, profiles = factories.published_event(session, **shape)
    timetable.add_locations(session, event=ev, name="Extra", capacity=2, count=2)
    for p in profiles[:7]:
        p.listed = True
    session.commit()
    return ev, profiles


def _notice(mailer=None):
    return Notice(mailer or RecordingMailer(), "https://meet.example.org/introductions")


def _met(session, a, b) -> bool:
    mine, theirs = sa.orm.aliased(MeetingSeat), sa.orm.aliased(MeetingSeat)
    return bool(
        session.scalar(
            sa.select(sa.func.count())
            .select_from(mine)
            .join(theirs, theirs.meeting_id == mine.meeting_id)
            .where(mine.profile_id == a.id, theirs.profile_id == b.id)
        )
    )


def _strangers(session, profiles):
    """Two listed people the plan did not introduce."""
    for a in profiles[:7]:
        for b in profiles[:7]:
            if a.id < b.id and not _met(session, a, b):
                return a, b
    raise AssertionError("everyone met")


def _ask(session, ev, asker, asked, note="", mailer=None):
    request = requests.ask(
        session, slug=ev.slug, user_id=asker.user_id, asked_id=asked.id, note=note, now=NOW,
        notice=_notice(mailer),
    )  # fmt: skip
    session.commit()
    return request


def test_the_directory_lists_only_listed_people_best_match_first(session):
    ev, profiles = _event(session)
    profiles[3].hidden = True
    session.commit()

    found = requests.directory(session, slug=ev.slug, user_id=profiles[0].user_id, now=NOW)

    names = [p.name for p in found.people]
    assert sorted(names) == ["Person 1", "Person 2", "Person 4", "Person 5", "Person 6"]
    assert found.people[0].good_match and found.people[0].reason
    assert "Person 0" not in " ".join(p.reason for p in found.people)  # written to the reader
    assert (found.requests_left, found.requests_allowed, found.published) == (5, 5, True)


def test_the_directory_searches_names_companies_interests_and_intents(session):
    ev, profiles = _event(session)
    profiles[2].company = "Acme Robotics"
    session.commit()

    def search(query):
        found = requests.directory(
            session, slug=ev.slug, user_id=profiles[0].user_id, now=NOW, query=query
        )
        return sorted(p.name for p in found.people)

    assert search("acme") == ["Person 2"]
    assert search("person 5") == ["Person 5"]
    assert search("nobody-like-this") == []
    assert len(search("collaboration")) == 6  # everyone offers it (by its label)


def test_a_request_proposes_the_first_common_free_slot_and_tells_the_other(session):
    ev, profiles = _event(session)
    asker, asked = _strangers(session, profiles)
    mailer = RecordingMailer()

    request = _ask(
        session, ev, asker, asked, note="  Loved your talk on pipelines.  ", mailer=mailer
    )

    meeting = session.get(Meeting, request.meeting_id)
    seats = {s.profile_id: s.response for s in meeting.seats}
    assert seats == {asker.id: "accepted", asked.id: "pending"}
    assert meeting.origin == "request" and meeting.kind == "one_to_one"
    assert request.note == "Loved your talk on pipelines."
    assert [m.to for m in mailer.sent] == [asked.user.email]
    busy = session.scalars(
        sa.select(Meeting.slot_id)
        .join(MeetingSeat)
        .where(MeetingSeat.profile_id.in_([asker.id, asked.id]), Meeting.id != meeting.id)
    ).all()
    assert meeting.slot_id not in busy
    assert [r.state for r in requests.my_requests(session, profile=asker)] == [requests.WAITING]
    _, theirs = reading.my_introduction(
        session, slug=ev.slug, user_id=asked.user_id, meeting_id=meeting.id, now=NOW
    )
    assert theirs.request_note == "Loved your talk on pipelines."
    assert theirs.status == "proposed" and theirs.can_answer
    _, mine = reading.my_introduction(
        session, slug=ev.slug, user_id=asker.user_id, meeting_id=meeting.id, now=NOW
    )
    assert mine.request_note is None  # the note is for the person asked


def test_an_accepted_request_reads_accepted(session):
    ev, profiles = _event(session)
    asker, asked = _strangers(session, profiles)
    request = _ask(session, ev, asker, asked)

    answers.respond(session, slug=ev.slug, user_id=asked.user_id, meeting_id=request.meeting_id,
                    accept=True, now=NOW, notice=_notice())  # fmt: skip

    [mine] = requests.my_requests(session, profile=asker)
    assert (mine.state, mine.meeting_id) == (requests.ACCEPTED, request.meeting_id)


def test_a_decline_reads_exactly_as_no_common_slot(session):
    ev, profiles = _event(session)
    asker, declines = _strangers(session, profiles)
    request = _ask(session, ev, asker, declines)
    answers.respond(session, slug=ev.slug, user_id=declines.user_id,
                    meeting_id=request.meeting_id, accept=False, now=NOW, notice=_notice())  # fmt: skip
    session.commit()
    busy = next(
        p
        for p in profiles[:7]
        if p.id not in (asker.id, declines.id) and not _met(session, asker, p)
    )
    busy.max_meetings = 1  # at the cap already: no slot for a request
    session.commit()

    _ask(session, ev, asker, busy)

    first, second = requests.my_requests(session, profile=asker)
    assert (first.state, first.meeting_id) == (requests.NOT_POSSIBLE, None)
    assert (second.state, second.meeting_id) == (requests.NOT_POSSIBLE, None)


def test_the_rules_of_asking(session):
    ev, profiles = _event(session)
    asker = profiles[0]
    with pytest.raises(NotFound):
        _ask(session, ev, asker, profiles[7])  # not listed
    with pytest.raises(NotFound):
        _ask(session, ev, asker, asker)
    with pytest.raises(Invalid) as error:
        _ask(session, ev, asker, profiles[1], note="x" * 301)
    assert error.value.errors == {"note": ["Keep the note to 300 characters (301 now)."]}
    _ask(session, ev, asker, profiles[1])
    with pytest.raises(Conflict, match="You have asked Person 1 already"):
        _ask(session, ev, asker, profiles[1])
    ev.requests_per_person = 2
    session.commit()
    _ask(session, ev, asker, profiles[2])
    with pytest.raises(Conflict, match="You have asked 2 people to meet, the most this event"):
        _ask(session, ev, asker, profiles[3])
    ev.requests_per_person = 0
    session.commit()
    with pytest.raises(Conflict, match="turned off"):
        _ask(session, ev, profiles[4], profiles[5])


def test_before_publishing_a_request_is_kept_as_not_possible(session):
    ev, profiles = factories.matchable_event(session, people=3)
    for p in profiles:
        p.listed = True
    session.commit()

    request = _ask(session, ev, profiles[0], profiles[1])

    assert request.meeting_id is None
    assert [r.state for r in requests.my_requests(session, profile=profiles[0])] == [
        requests.NOT_POSSIBLE
    ]


def test_good_match_is_the_best_third_of_the_whole_directory_whatever_the_search(session):
    ev, profiles = _event(session)
    everyone = requests.directory(session, slug=ev.slug, user_id=profiles[0].user_id, now=NOW)
    last = everyone.people[-1]

    alone = requests.directory(
        session, slug=ev.slug, user_id=profiles[0].user_id, now=NOW, query=last.name
    )

    assert [p.good_match for p in everyone.people] == [True, True, False, False, False, False]
    assert [(p.name, p.good_match, p.reason) for p in alone.people] == [(last.name, False, "")]


def test_someone_who_cannot_take_a_one_to_one_is_told_why_before_a_request_counts(session):
    ev, profiles = _event(session)
    asker = profiles[0]
    asker.format = "group"
    session.commit()

    found = requests.directory(session, slug=ev.slug, user_id=asker.user_id, now=NOW)
    with pytest.raises(Conflict, match="Your profile says small groups only"):
        _ask(session, ev, asker, profiles[1])

    assert found.why_not.startswith("Your profile says small groups only")
    assert session.scalar(sa.select(sa.func.count()).select_from(MeetingRequest)) == 0
    asker.format, asker.hidden = "any", True
    session.commit()
    with pytest.raises(Conflict, match="Your profile is hidden"):
        _ask(session, ev, asker, profiles[1])


def test_a_full_event_keeps_tables_free_for_requests_when_the_organiser_asks(session):
    ev, profiles = factories.matchable_event(
        session, people=8, one_to_one_slots=2, tables=3, group_slots=0, rooms=0
    )
    ev.tables_kept_free = 1
    for p in profiles:
        p.listed = True
    session.commit()
    run = matching.start_run(
        session, event=ev, actor_id=None, now=factories.PUBLISHED_AT, timeout=timedelta(hours=1)
    )
    matching.execute_run(session, run_id=run.id)
    publishing.publish_run(
        session, event=ev, run_id=run.id, now=factories.PUBLISHED_AT, mailer=RecordingMailer(),
        schedule_link="https://meet.example.org/events",
    )  # fmt: skip
    session.commit()
    kept = max(loc.name for loc in ev.locations)
    planned = session.scalars(sa.select(Meeting).where(Meeting.run_id == run.id)).all()
    assert kept not in {m.location.name for m in planned}
    asker, asked = _strangers(session, profiles)

    request = _ask(session, ev, asker, asked)

    assert session.get(Meeting, request.meeting_id).location.name == kept


def test_the_directory_says_with_whom_there_is_time_left(session):
    ev, profiles = _event(session)
    reader = profiles[0]
    strangers = [p for p in profiles[1:7] if not _met(session, reader, p)]
    full, groups_only = strangers[0], strangers[1]
    full.max_meetings = 1  # at the cap already
    groups_only.format = "group"
    session.commit()

    found = requests.directory(session, slug=ev.slug, user_id=reader.user_id, now=NOW)

    free = {p.profile_id: p.free_together for p in found.people}
    assert free[full.id] is False and free[groups_only.id] is False
    assert any(free.values())
    for person in found.people:  # what the page says is what a request finds
        nested = session.begin_nested()
        request = requests.ask(
            session, slug=ev.slug, user_id=reader.user_id, asked_id=person.profile_id,
            note="", now=NOW, notice=_notice(),
        )  # fmt: skip
        assert (request.meeting_id is not None) is person.free_together, person.name
        nested.rollback()


def test_organisers_see_how_many_meetings_were_asked_for(session):
    from matchmaker.services.introductions import deadline

    ev, profiles = _event(session)
    asker, asked = _strangers(session, profiles)
    before = deadline.response_figures(session, event=ev, now=NOW)

    _ask(session, ev, asker, asked)

    after = deadline.response_figures(session, event=ev, now=NOW)
    assert (before.requested, after.requested) == (0, 1)
    assert after.proposals == before.proposals + 1 and after.refilled == before.refilled
