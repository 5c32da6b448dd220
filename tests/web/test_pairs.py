"""The pairs page: set, see and remove rules; wrong input comes back with what was chosen."""

import sqlalchemy as sa

from matchmaker.models import PairRuleRow
from tests import factories


def test_an_organiser_forbids_a_pair_and_sees_it_listed(client, session):
    ev, people = factories.matchable_event(session, people=3)
    factories.login(client, "org@example.org")

    response = client.post(
        f"/organiser/events/{ev.id}/pairs",
        data={"profile_id": people[2].id, "other_id": people[0].id, "rule": "apart"},
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/organiser/events/{ev.id}/pairs"
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert "<td>Person 0 and Person 2</td><td>must not meet</td>" in page
    row = session.scalars(sa.select(PairRuleRow)).one()
    assert (row.first_id, row.second_id, row.rule) == (people[0].id, people[2].id, "apart")


def test_a_rule_from_the_review_returns_to_the_meeting(client, session):
    ev, people = factories.matchable_event(session, people=2)
    factories.login(client, "org@example.org")
    back = f"/organiser/events/{ev.id}/runs/1#meeting-3"

    response = client.post(
        f"/organiser/events/{ev.id}/pairs",
        data={
            "profile_id": people[0].id,
            "other_id": people[1].id,
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
        data={"profile_id": people[1].id, "other_id": people[1].id, "rule": "together"},
    )

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Choose two different attendees." in page
    assert f'<option selected value="{people[1].id}">Person 1' in page
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
        data={"profile_id": people[0].id, "other_id": people[1].id, "rule": "apart"},
    )
    rule = session.scalars(sa.select(PairRuleRow)).one()

    response = client.post(f"/organiser/events/{ev.id}/pairs/{rule.id}/delete")

    assert response.status_code == 302
    assert session.scalar(sa.select(sa.func.count(PairRuleRow.id))) == 0
