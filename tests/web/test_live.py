"""The organisers' live page: a table per slot that refreshes itself without JavaScript, and
the JSON its script polls, with the same figures."""

from matchmaker.organiser import live as live_view
from tests import factories
from tests.services.test_at_the_table import _check_in, _event, _meetings
from tests.services.test_event_day import _at


def test_the_live_page_and_its_json_agree(client, session, monkeypatch):
    ev, _ = _event(session)
    first = _meetings(session, ev)[0]
    _check_in(session, ev, first.seats[0], _at(8, 58))
    monkeypatch.setattr(live_view, "_now", lambda: _at(9, 10))
    factories.login(client, "org@example.org")

    html = client.get(f"/organiser/events/{ev.id}/live").get_data(as_text=True)
    data = client.get(f"/organiser/events/{ev.id}/live.json").get_json()

    assert '<noscript><meta http-equiv="refresh" content="20"></noscript>' in html
    assert 'data-field="checked_in">1 of 8</td>' in html and ">on now</td>" in html
    assert 'data-field="no_shows">1</td>' in html
    (slot,) = data["slots"]
    assert (slot["state"], slot["checked_in"], slot["seats"], slot["no_shows"]) == (
        "on now", 1, 8, 1,
    )  # fmt: skip
    assert data["published"] is True and data["now"].startswith("2030-05-14T09:10")


def test_the_outcome_report_page_and_its_csv(client, session, monkeypatch):
    ev, _ = _event(session)
    first = _meetings(session, ev)[0]
    _check_in(session, ev, first.seats[0], _at(8, 58))
    monkeypatch.setattr(live_view, "_now", lambda: _at(12, 0))
    factories.login(client, "org@example.org")

    html = client.get(f"/organiser/events/{ev.id}/report").get_data(as_text=True)
    data = client.get(f"/organiser/events/{ev.id}/report.csv")

    assert '<p class="figure">1 / 4</p><p>meetings held</p>' in html
    assert 'aria-labelledby="held-t"' in html  # the chart
    assert data.headers["Content-Type"].startswith("text/csv")
    assert data.get_data(as_text=True).splitlines()[-1].startswith(",,all slots,4,,1,")
