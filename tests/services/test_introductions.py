"""Introductions: what each attendee sees, their private answers, the refill after a decline,
the response deadline and the organisers' figures."""

from datetime import UTC, datetime

import pytest
import sqlalchemy as sa

from matchmaker.models import Event, Meeting, MeetingSeat, Profile
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict, Invalid, NotFound
from matchmaker.services.introductions import answers, deadline, reading
from matchmaker.services.planning import matching, plan_edits
from matchmaker.vocabulary import label
from tests import factories
from tests.fakes import RecordingMailer

BEFORE = datetime(2030, 5, 2, 9, 0, tzinfo=UTC)  # after publishing, before the event
DURING = datetime(2030, 5, 14, 12, 0, tzinfo=UTC)  # after every one-to-one slot began


def _event(session, people=5, tables=2, slots=1):
    """One-to-one only: `people` in `slots` slots at `tables` tables."""
    return factories.published_event(
        session,
        people=people,
        one_to_one_slots=slots,
        group_slots=0,
        tables=tables,
        rooms=0,
    )


def _plan(session, ev) -> list[tuple[int, tuple[int, ...]]]:
    """The published plan's meetings that take place, as (meeting id, profile ids)."""
    session.expire_all()
    return [
        (m.id, tuple(sorted(s.profile_id for s in m.seats)))
        for m in matching.run_meetings(session, run_id=ev.published_run_id)
    ]


def plan_problems(session, ev) -> list[str]:
    """What the engine's checker finds wrong with the published plan as it stands."""
    session.expire_all()
    return matching.check_run(session, event=ev, run_id=ev.published_run_id)


def _mine(session, ev, profile, now=BEFORE):
    return reading.my_introductions(session, slug=ev.slug, user_id=profile.user_id, now=now)


def _answer(session, ev, profile, meeting_id, accept, mailer=None, now=BEFORE):
    return answers.respond(
        session,
        slug=ev.slug,
        user_id=profile.user_id,
        meeting_id=meeting_id,
        accept=accept,
        now=now,
        notice=Notice(mailer or RecordingMailer(), "https://meet.example.org/intros"),
    )


def _by_id(profiles):
    return {p.id: p for p in profiles}


def test_each_attendee_sees_who_when_where_why_and_how_to_start(session):
    ev, profiles = _event(session, people=4, tables=2)
    meeting_id, (a, b) = _plan(session, ev)[0]
    people = _by_id(profiles)

    found = _mine(session, ev, people[a])

    [item] = found.items
    assert item.meeting_id == meeting_id
    assert [p.name for p in item.people] == [people[b].name]
    assert item.people[0].headline == people[b].headline
    assert item.starts_at.isoformat() == "2030-05-14T09:00:00+02:00"
    assert item.location in ("Table 1", "Table 2")
    assert item.reasons and 2 <= len(item.starters) <= 3
    assert (item.status, item.can_answer, found.why_none) == ("proposed", True, None)


def test_a_meeting_is_confirmed_only_when_both_accept_and_one_answer_stays_private(session):
    ev, profiles = _event(session, people=4, tables=2)
    meeting_id, (a, b) = _plan(session, ev)[0]
    people = _by_id(profiles)

    _answer(session, ev, people[a], meeting_id, accept=True)

    assert _mine(session, ev, people[a]).items[0].status == "accepted"
    theirs = _mine(session, ev, people[b]).items[0]
    assert (theirs.status, theirs.my_response) == ("proposed", "pending")

    _answer(session, ev, people[b], meeting_id, accept=True)

    assert _mine(session, ev, people[a]).items[0].status == "confirmed"
    assert _mine(session, ev, people[b]).items[0].status == "confirmed"


def test_a_decline_reads_to_the_other_exactly_like_an_organisers_cancellation(session):
    ev, profiles = _event(session, people=4, tables=2)
    (first, (a, b)), (second, (c, d)) = _plan(session, ev)
    people = _by_id(profiles)
    mailer = RecordingMailer()

    _answer(session, ev, people[a], first, accept=False, mailer=mailer)
    organiser_mailer = RecordingMailer()
    plan_edits.cancel_meeting(
        session,
        event=ev,
        meeting_id=second,
        notice=Notice(organiser_mailer, "https://meet.example.org/intros"),
        now=BEFORE,
    )

    declined_for_b = _mine(session, ev, people[b]).items[0]
    cancelled_for_d = _mine(session, ev, people[d]).items[0]
    assert declined_for_b.status == cancelled_for_d.status == "off"
    assert declined_for_b.my_response == cancelled_for_d.my_response == "pending"
    assert label("off", "status") == "This meeting will not take place"
    assert _mine(session, ev, people[a]).items[0].status == "declined"
    [mail] = mailer.sent
    assert mail.to == people[b].user.email
    assert "No longer taking place" in mail.body and "declin" not in mail.body.lower()
    # The same words as after the organiser's cancellation, names and tables aside.
    told_d = next(m for m in organiser_mailer.sent if m.to == people[d].user.email)
    meetings = {m.id: m for m in session.scalars(sa.select(Meeting))}

    def neutral(body, me, other, meeting_id):
        for word, token in ((people[me].name, "ME"), (people[other].name, "OTHER"),
                            (meetings[meeting_id].location.name, "TABLE")):  # fmt: skip
            body = body.replace(word, token)
        return body

    assert mail.subject == told_d.subject
    assert neutral(mail.body, b, a, first) == neutral(told_d.body, d, c, second)
    assert "organisers" not in mail.body.lower()


def test_a_decline_is_refilled_for_the_freed_people_within_every_rule(session):
    # Five people, one slot, two tables: one person is free, and one table frees up.
    ev, profiles = _event(session, people=5, tables=2)
    plan = _plan(session, ev)
    busy = {p for _, pair in plan for p in pair}
    [free] = [p.id for p in profiles if p.id not in busy]
    meeting_id, (a, b) = plan[0]
    people = _by_id(profiles)
    mailer = RecordingMailer()

    made = _answer(session, ev, people[a], meeting_id, accept=False, mailer=mailer)

    after = _plan(session, ev)
    [(new_id, pair)] = [m for m in after if m not in plan]
    assert free in pair and set(pair) - {free} <= {a, b}
    assert [m.id for m in made] == ([new_id] if a in pair else [])
    assert session.get(Meeting, new_id).origin == "refill"
    assert plan_problems(session, ev) == []
    # The new partner and (if not the decliner) the freed one are told of the new proposal.
    told = sorted(m.to for m in mailer.sent)
    expected = sorted(people[p].user.email for p in {free, b} | (set(pair) - {a}))
    assert told == expected
    new_for_free = [i for i in _mine(session, ev, people[free]).items if i.takes_place]
    assert [(i.meeting_id, i.status) for i in new_for_free] == [(new_id, "proposed")]


def test_the_two_people_of_a_declined_meeting_are_never_proposed_to_each_other_again(session):
    ev, profiles = _event(session, people=2, tables=2)
    [(meeting_id, (a, b))] = _plan(session, ev)

    made = _answer(session, ev, _by_id(profiles)[a], meeting_id, accept=False)

    assert made == [] and _plan(session, ev) == []
    assert "no longer take place" in _mine(session, ev, _by_id(profiles)[b]).why_none


def test_a_meeting_that_no_longer_takes_place_or_has_begun_cannot_be_answered(session):
    ev, profiles = _event(session, people=4, tables=2)
    meeting_id, (a, b) = _plan(session, ev)[0]
    people = _by_id(profiles)
    _answer(session, ev, people[a], meeting_id, accept=False)

    with pytest.raises(Conflict, match="no longer takes place"):
        _answer(session, ev, people[b], meeting_id, accept=True)
    other_id, (c, _) = _plan(session, ev)[0]
    with pytest.raises(Conflict, match="already begun"):
        _answer(session, ev, people[c], other_id, accept=True, now=DURING)


def test_declining_a_meeting_the_other_person_declined_first_keeps_the_answer(session):
    ev, profiles = _event(session, people=4, tables=2)
    meeting_id, (a, b) = _plan(session, ev)[0]
    people = _by_id(profiles)
    _answer(session, ev, people[a], meeting_id, accept=False)
    meetings_after_first = session.scalar(sa.select(sa.func.count(Meeting.id)))

    with pytest.raises(Conflict, match="no longer takes place"):
        _answer(session, ev, people[b], meeting_id, accept=False)

    seats = session.scalars(
        sa.select(MeetingSeat).where(MeetingSeat.meeting_id == meeting_id)
    ).all()
    assert sorted(s.response for s in seats) == ["declined", "declined"]
    assert session.scalar(sa.select(sa.func.count(Meeting.id))) == meetings_after_first


def test_nobody_answers_or_reads_a_meeting_that_is_not_theirs(session):
    ev, profiles = _event(session, people=4, tables=2)
    (first, (a, b)), (_, (c, d)) = _plan(session, ev)
    people = _by_id(profiles)

    with pytest.raises(NotFound):
        _answer(session, ev, people[c], first, accept=False)
    with pytest.raises(NotFound):
        reading.my_introduction(
            session, slug=ev.slug, user_id=people[c].user_id, meeting_id=first, now=BEFORE
        )
    assert _plan(session, ev)[0] == (first, (a, b))


def test_at_the_deadline_pending_answers_become_accepted_when_the_event_says_so(session):
    ev, profiles = _event(session, people=4, tables=2)
    (first, (a, b)), (second, (c, d)) = _plan(session, ev)
    people = _by_id(profiles)
    _answer(session, ev, people[a], first, accept=True)
    deadline.set_response_deadline(
        session,
        event=ev,
        deadline=datetime(2030, 5, 10, 18, 0),
        after_deadline="accept",
    )

    assert _mine(session, ev, people[b], now=BEFORE).items[0].status == "proposed"
    after = datetime(2030, 5, 10, 17, 0, tzinfo=UTC)  # 19:00 in Berlin
    assert _mine(session, ev, people[b], now=after).items[0].status == "confirmed"
    assert _mine(session, ev, people[c], now=after).items[0].status == "confirmed"


def test_at_the_deadline_pending_proposals_are_dropped_when_the_event_says_so(session):
    ev, profiles = _event(session, people=4, tables=2)
    (first, (a, b)), (second, (c, d)) = _plan(session, ev)
    people = _by_id(profiles)
    _answer(session, ev, people[a], first, accept=True)
    _answer(session, ev, people[b], first, accept=True)
    _answer(session, ev, people[c], second, accept=True)
    deadline.set_response_deadline(
        session,
        event=ev,
        deadline=datetime(2030, 5, 10, 18, 0),
        after_deadline="drop",
    )
    after = datetime(2030, 5, 11, tzinfo=UTC)

    assert _mine(session, ev, people[a], now=after).items[0].status == "confirmed"
    assert _mine(session, ev, people[d], now=after).items[0].status == "dropped"
    assert _mine(session, ev, people[c], now=after).items[0].status == "off"
    assert [m for m, _ in _plan(session, ev)] == [first]
    figures = deadline.response_figures(session, event=ev, now=after)
    assert figures == deadline.ResponseFigures(
        proposals=2,
        confirmed=1,
        accepted=3,
        declined=0,
        pending=0,
        dropped=1,
        refilled=0,
        not_taking_place=1,
    )


def test_the_organisers_figures_count_answers_and_refills(session):
    ev, profiles = _event(session, people=5, tables=2)
    (first, (a, b)), (second, (c, d)) = _plan(session, ev)
    people = _by_id(profiles)
    _answer(session, ev, people[c], second, accept=True)
    _answer(session, ev, people[a], first, accept=False)

    figures = deadline.response_figures(session, event=ev, now=BEFORE)

    assert figures == deadline.ResponseFigures(
        proposals=3,
        confirmed=0,
        accepted=1,
        declined=1,
        pending=4,
        dropped=0,
        refilled=1,
        not_taking_place=1,
    )


def test_an_attendee_without_meetings_is_told_why_in_their_terms(session):
    owner = factories.organiser(session)
    ev, profiles = factories.matchable_event(session, owner, people=3, group_slots=0, rooms=0)
    late = factories.attendee(session, ev, email="late@example.org", name="Late")
    no_slots = factories.filled_profile(session, ev, 7, available_slot_ids=())
    groups_only = factories.filled_profile(session, ev, 8, format="group")
    mine = lambda p: _mine(session, ev, p).why_none  # noqa: E731

    assert "not published the introductions yet" in mine(profiles[0])

    from tests.services.test_publishing import _publish, _run

    _run(session, ev)
    _publish(session, ev)

    assert "not filled in your profile" in mine(late)
    assert (
        mine(no_slots) == "You marked no free slots. Mark the times you are free in your profile."
    )
    assert "asked for small groups only" in mine(groups_only)
    filled_late = factories.filled_profile(session, ev, 9)
    assert "after the schedule was made" in mine(filled_late)


def test_how_it_went_is_kept_for_the_attendee_alone_and_only_once_it_began(session):
    ev, profiles = _event(session, people=4, tables=2)
    meeting_id, (a, b) = _plan(session, ev)[0]
    people = _by_id(profiles)

    def record(now, **values):
        values = {"outcome": None, "rating": None, "note": "", **values}
        answers.record_outcome(
            session,
            slug=ev.slug,
            user_id=people[a].user_id,
            meeting_id=meeting_id,
            now=now,
            **values,
        )

    with pytest.raises(Invalid) as early:
        record(BEFORE, outcome="met")
    assert early.value.errors == {
        "outcome": ["You can say how it went once the meeting has begun."]
    }
    record(BEFORE, note="Ask about their airflow setup")
    with pytest.raises(Invalid) as wrong:
        record(DURING, outcome="met", rating=6)
    assert wrong.value.errors == {"rating": ["Rate from 1 to 5."]}
    record(DURING, outcome="met", rating=5, note="Great talk")

    mine = _mine(session, ev, people[a], now=DURING).items[0]
    theirs = _mine(session, ev, people[b], now=DURING).items[0]
    assert (mine.outcome, mine.rating, mine.note) == ("met", 5, "Great talk")
    assert (theirs.outcome, theirs.rating, theirs.note) == (None, None, "")


def test_publishing_a_new_run_keeps_the_answers_to_the_same_meetings(session):
    ev, profiles = _event(session, people=4, tables=2)
    (first, (a, b)), _ = _plan(session, ev)
    people = _by_id(profiles)
    _answer(session, ev, people[a], first, accept=True)
    from tests.services.test_publishing import _publish, _run

    _run(session, ev)
    _publish(session, ev)

    session.expire_all()
    assert session.get(Event, ev.id).responses_settled_at is None
    item = _mine(session, ev, people[a]).items[0]
    assert item.meeting_id != first and item.my_response == "accepted"


def test_a_declined_pair_stays_apart_in_every_later_run_and_only_the_attendee_can_say_so(
    session,
):
    from datetime import timedelta

    from matchmaker.models import PairRuleRow
    from matchmaker.services.planning import pair_rules

    # Two slots, so that the next run could pair the two again if nothing kept them apart.
    ev, profiles = _event(session, people=4, tables=2, slots=2)
    people = _by_id(profiles)
    first_id, (a, b) = _plan(session, ev)[0]
    _answer(session, ev, people[a], first_id, accept=False)
    session.commit()

    [rule] = session.scalars(sa.select(PairRuleRow)).all()
    assert (rule.first_id, rule.second_id, rule.rule) == (min(a, b), max(a, b), "declined")
    assert label(rule.rule, "pair_rule") == "declined an introduction: kept apart"

    run = matching.start_run(
        session, event=ev, actor_id=None, now=BEFORE, timeout=timedelta(hours=1)
    )
    assert run.rules["declined"] == [[min(a, b), max(a, b)]]
    matching.execute_run(session, run_id=run.id)
    pairs = {tuple(sorted(s.profile_id for s in m.seats))
             for m in matching.run_meetings(session, run_id=run.id)}  # fmt: skip
    published = {tuple(sorted(s.profile_id for s in m.seats))
                 for m in matching.run_meetings(session, run_id=ev.published_run_id)}  # fmt: skip
    # A re-plan: the published meetings (the refill among them) stay; the pair never again.
    assert (min(a, b), max(a, b)) not in pairs and pairs == published

    with pytest.raises(Conflict, match="stay apart for the rest of the event"):
        pair_rules.set_pair_rule(session, event=ev, profile_id=a, other_id=b, rule="together")
    with pytest.raises(Conflict, match="stay apart for the rest of the event"):
        pair_rules.remove_pair_rule(session, event=ev, rule_id=rule.id)
    with pytest.raises(Invalid):
        pair_rules.set_pair_rule(session, event=ev, profile_id=a, other_id=b, rule="declined")
    session.expire_all()
    assert [r.rule for r in session.scalars(sa.select(PairRuleRow))] == ["declined"]


def test_a_deadline_that_drops_unanswered_proposals_never_calls_off_a_begun_meeting(session):
    ev, profiles = _event(session, people=4, tables=1, slots=2)  # 09:00 and 10:00, one table
    plan = _plan(session, ev)
    early, late = sorted(plan, key=lambda m: session.get(Meeting, m[0]).slot.starts_at)
    # Set when the first meeting had begun (09:30 in Berlin); first read at 09:45.
    deadline.set_response_deadline(
        session, event=ev, deadline=datetime(2030, 5, 14, 9, 30), after_deadline="drop"
    )
    session.commit()

    deadline.settle_if_due(session, ev, datetime(2030, 5, 14, 7, 45, tzinfo=UTC))
    session.commit()

    session.expire_all()
    begun, later = session.get(Meeting, early[0]), session.get(Meeting, late[0])
    assert begun.cancelled_at is None
    assert [s.response for s in begun.seats] == ["pending", "pending"]
    assert later.cancelled_at is not None
    assert [s.response for s in later.seats] == ["dropped", "dropped"]


def test_printed_and_exported_schedules_give_each_person_their_own_starter(session):
    from matchmaker.services.schedules import published

    ev, profiles = factories.published_event(session)
    meeting = session.scalars(
        sa.select(Meeting).where(
            Meeting.run_id == ev.published_run_id, Meeting.kind == "one_to_one"
        )
    ).first()
    seats = session.scalars(
        sa.select(MeetingSeat)
        .where(MeetingSeat.meeting_id == meeting.id)
        .order_by(MeetingSeat.position)
    ).all()
    first, second = (session.get(Profile, s.profile_id) for s in seats)
    meeting.starters = [
        f"{first.name}: ask {second.name} what the story is behind “Fast event loops”",
        f"{second.name}: ask {first.name} what the story is behind “Slow food”",
    ]
    session.commit()

    def starter(profile):
        schedule = published.own_schedule(
            session, slug=ev.slug, user_id=profile.user_id, now=factories.PUBLISHED_AT
        )
        return next(
            r.starter
            for r in schedule.rows
            if second.name in r.others + (r.attendee,) and first.name in r.others + (r.attendee,)
        )

    assert starter(first) == f"Ask {second.name} what the story is behind “Fast event loops”"
    assert starter(second) == f"Ask {first.name} what the story is behind “Slow food”"
