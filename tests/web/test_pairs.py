"""The pairs page: set, see and remove rules; wrong input comes back with what was chosen."""

import sqlalchemy as sa

from matchmaker.models import PairRuleRow
from tests import factories


def test_an_organiser_forbids_a_pair_and_sees_it_listed(client, session):
    ev, people = factories.matchable_event(session, people=3)
    factories.login(client, "org@example.org")

    response = client.post(
        f"/organiser/events/{ev.id}/pairs",
        data={"attendee": "Person 2", "other": "person0@example.org", "rule": "apart"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/organiser/events/{ev.id}/pairs"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        '<td data-label="Pair">Person 0 and Person 2</td><td data-label="Rule">must not meet</td>'
        in page
    )
    row = session.scalars(sa.select(PairRuleRow)).one()
    assert (row.first_id, row.second_id, row.rule) == (people[0].id, people[2].id, "apart")


def test_a_rule_from_the_review_returns_to_the_meeting(client, session):
    ev, people = factories.matchable_event(session, people=2)
    factories.login(client, "org@example.org")
    back = f"/organiser/events/{ev.id}/runs/1#meeting-3"

    response = client.post(
        f"/organiser/events/{ev.id}/pairs",
        data={
            "attendee": "Person 0 (person0@example.org)",
            "other": "Person 1 (person1@example.org)",
            "rule": "met_before",
            "next": back,
        },
    )

    assert response.headers["Location"] == back


def test_a_pair_of_one_person_is_refused_and_the_choice_kept(client, session):
    ev, people = factories.matchable_event(session, people=2)
    factories.login(client, "org@example.org")

    response = client.post(
        f"/organiser/events/{ev.id}/pairs",
        data={"attendee": "Person 1", "other": "person1@example.org", "rule": "together"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose two different attendees." in page
    assert 'value="Person 1"' in page and 'value="person1@example.org"' in page
    assert (
        'value="together" checked' in page
        or 'checked type="radio" value="together"' in page
        or 'value="together"' in page
    )
    assert session.scalar(sa.select(sa.func.count(PairRuleRow.id))) == 0


def test_removing_a_rule(client, session):
    ev, people = factories.matchable_event(session, people=2)
    factories.login(client, "org@example.org")
    client.post(
        f"/organiser/events/{ev.id}/pairs",
        data={"attendee": "Person 0", "other": "Person 1", "rule": "apart"},
    )
    rule = session.scalars(sa.select(PairRuleRow)).one()

    response = client.post(f"/organiser/events/{ev.id}/pairs/{rule.id}/delete")

    assert response.status_code == 302
    assert session.scalar(sa.select(sa.func.count(PairRuleRow.id))) == 0


def test_a_decline_shows_as_a_declined_pair_without_who_and_cannot_be_removed(client, session):
    from datetime import UTC, datetime

    from matchmaker.services.core.messages import Notice
    from matchmaker.services.introductions import answers
    from matchmaker.services.planning import matching
    from tests.fakes import RecordingMailer

    ev, people = factories.published_event(
        session, people=2, one_to_one_slots=1, group_slots=0, tables=1, rooms=0
    )
    [meeting] = matching.run_meetings(session, run_id=ev.published_run_id)
    decliner = next(p for p in people if p.id == meeting.seats[1].profile_id)
    answers.respond(
        session, slug=ev.slug, user_id=decliner.user_id, meeting_id=meeting.id, accept=False,
        now=datetime(2030, 5, 2, 9, 0, tzinfo=UTC),
        notice=Notice(RecordingMailer(), "https://meet.example.org/intros"),
    )  # fmt: skip
    rule = session.scalars(sa.select(PairRuleRow)).one()
    factories.login(client, "org@example.org")

    page = client.get(f"/organiser/events/{ev.id}/pairs").get_data(as_text=True)
    removed = client.post(f"/organiser/events/{ev.id}/pairs/{rule.id}/delete")
    pinned = client.post(
        f"/organiser/events/{ev.id}/pairs",
        data={"attendee": "Person 0", "other": "Person 1", "rule": "together"},
    )

    assert (
        '<td data-label="Pair">Person 0 and Person 1</td>'
        '<td data-label="Rule">declined an introduction: kept apart</td>'
    ) in page
    assert f"/pairs/{rule.id}/delete" not in page
    assert '<option value="declined"' not in page  # not a rule organisers set
    assert removed.status_code == 409 and pinned.status_code == 409
    assert "they stay apart for the rest of the event" in pinned.get_data(as_text=True)
    session.expire_all()
    assert session.scalars(sa.select(PairRuleRow.rule)).all() == ["declined"]


def test_people_are_typed_suggested_and_a_name_that_fits_nobody_is_named(client, session):
    ev, people = factories.matchable_event(session, people=3)
    factories.attendee(session, ev, email="twin@example.org", name="Person 1")
    factories.login(client, "org@example.org")

    page = client.get(f"/organiser/events/{ev.id}/pairs?attendee={people[2].id}")
    wrong = client.post(
        f"/organiser/events/{ev.id}/pairs",
        data={"attendee": "Persn 0", "other": "Person 1", "rule": "apart"},
    )

    html = page.get_data(as_text=True)
    assert '<option value="Person 0 (person0@example.org)">' in html
    assert 'list="attendee-names"' in html and 'value="Person 2 (person2@example.org)"' in html
    errors = wrong.get_data(as_text=True)
    assert wrong.status_code == 400
    assert "No attendee of this event is &#39;Persn 0&#39;." in errors
    assert "2 attendees are called Person 1: type the email of one" in errors
    assert 'value="Persn 0"' in errors
