"""Input no row could hold gets a clean 404 or 400 (on PostgreSQL too), never a 500."""

import pytest
import sqlalchemy as sa

from matchmaker.models import AttendeeImport
from tests import factories
from tests.web.test_imports import _upload


@pytest.mark.parametrize(
    "path",
    [
        "/join/a%00b",
        "/calendar/a%00b.ics",
        "/events/a%00b/profile",
        "/organiser/events/{event}/attendees/2147483648",
        "/organiser/events/2147483648",
        "/organiser/events/{event}/runs/99999999999",
    ],
)
def test_paths_no_row_could_answer_are_not_found(client, session, path):
    ev, _ = factories.matchable_event(session)
    factories.login(client, "org@example.org")

    assert client.get(path.format(event=ev.id)).status_code == 404


def test_a_query_id_beyond_the_database_reads_as_none(client, session):
    ev, _ = factories.published_event(session, people=4)
    factories.login(client, "org@example.org")

    page = client.get(f"/organiser/events/{ev.id}/runs/{ev.published_run_id}?slot=99999999999")

    # A slot id no database holds reads as no slot chosen: the review as it is.
    assert page.status_code == 200


def test_a_cell_longer_than_the_csv_module_allows_is_a_row_error(client, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)
    text = "name,email\n" + "N" * 140_000 + ",long@example.org\nBea,bea@example.org\n"

    response = _upload(client, ev, text)

    assert response.status_code == 302
    page = client.get(response.headers["Location"]).get_data(as_text=True)
    assert (
        '<tr class="rejected"><td data-label="Line">2</td><td data-label="Result">reject</td>'
        in page
    )
    assert "name is longer than 120 characters" in page
    assert (
        '<td data-label="Line">3</td><td data-label="Result">invite</td><td data-label="Name">Bea</td>'
        in page
    )


def test_an_uploaded_file_name_with_nul_is_kept_without_it(client, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)

    response = _upload(client, ev, name="people\x00.csv")

    assert response.status_code == 302
    assert session.scalar(sa.select(AttendeeImport.filename)) == "people .csv"
