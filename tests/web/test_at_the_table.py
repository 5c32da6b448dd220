"""At the table through the pages: "I'm here" opens 15 minutes before, the QR code's address
leads to the reader's meeting there, the code form names the field, and "find someone else"
appears only when the partner has not come and starts the standby meeting."""

import sqlalchemy as sa

from matchmaker.attendee import introductions as introductions_view
from matchmaker.models import Meeting
from tests import factories
from tests.services.test_at_the_table import _event, _meetings
from tests.services.test_event_day import _at


def _as(app, seat):
    client = app.test_client()
    factories.login(client, seat.profile.user.email)
    return client


def test_check_in_and_find_someone_else_on_the_pages(app, session, monkeypatch):
    ev, _ = _event(session)
    first, second, *_ = _meetings(session, ev)
    a, _b = first.seats
    c, _d = second.seats
    page = f"/events/{ev.slug}/introductions/{first.id}"
    clock = {"now": _at(8, 30)}
    monkeypatch.setattr(introductions_view, "_now", lambda: clock["now"])
    mine, theirs = _as(app, a), _as(app, c)

    assert "I'm here</button>" not in mine.get(page).get_data(as_text=True)  # too early
    clock["now"] = _at(8, 50)
    assert "I'm here</button>" in mine.get(page).get_data(as_text=True)
    scanned = mine.get(f"/events/{ev.slug}/here/{first.location.code}")
    assert scanned.headers["Location"] == page
    mine.post(f"{page}/here")
    theirs.post(f"/events/{ev.slug}/here", data={"code": second.location.code})
    html = mine.get(page).get_data(as_text=True)
    assert "You checked in at 08:50." in html and "Find someone else" not in html

    clock["now"] = _at(9, 6)
    assert "Find someone else" in mine.get(page).get_data(as_text=True)
    done = mine.post(f"{page}/someone-else", follow_redirects=True).get_data(as_text=True)

    assert f"{c.profile.name} is on their way to {first.location.name}" in done
    made = session.scalars(sa.select(Meeting).where(Meeting.origin == "standby")).one()
    assert {s.profile_id for s in made.seats} == {a.profile_id, c.profile_id}


def test_a_wrong_code_is_named_and_kept(app, session, monkeypatch):
    ev, _ = _event(session)
    seat = _meetings(session, ev)[0].seats[0]
    monkeypatch.setattr(introductions_view, "_now", lambda: _at(8, 55))
    client = _as(app, seat)

    response = client.post(f"/events/{ev.slug}/here", data={"code": "QQQQ7"})

    html = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "No table or room of this event has that code" in html and 'value="QQQQ7"' in html


def test_free_now_from_the_introductions_page(app, session, monkeypatch):
    from tests.services.test_free_now import _event as free_event
    from tests.services.test_free_now import _pair_free_at_nine

    ev, profiles = free_event(session)
    x, y = _pair_free_at_nine(session, ev, profiles)
    monkeypatch.setattr(introductions_view, "_now", lambda: _at(9, 2))
    first, second = app.test_client(), app.test_client()
    factories.login(first, x.user.email)
    factories.login(second, y.user.email)
    page = f"/events/{ev.slug}/introductions"

    assert "I'm free for the next 30 minutes</button>" in first.get(page).get_data(as_text=True)
    alone = first.post(f"/events/{ev.slug}/free-now", follow_redirects=True)
    assert "You are free until 09:32" in alone.get_data(as_text=True)
    met = second.post(f"/events/{ev.slug}/free-now", follow_redirects=True)

    assert f"Meet {x.name} at Extra" in met.get_data(as_text=True)
    assert f"Meeting with {x.name}" in met.get_data(as_text=True)


def test_a_next_step_is_saved_for_a_connection_and_a_bad_day_keeps_what_was_typed(app, session):
    from tests.services.test_follow_up import _met_event

    ev, first, _, _ = _met_event(session)
    me, them = (s.profile for s in first.seats)
    client = app.test_client()
    factories.login(client, me.user.email)
    prefix = f"c{them.user_id}"

    bad = client.post(f"/connections/{them.user_id}/next-step",
                      data={f"{prefix}-text": "Call about the job", f"{prefix}-remind_on": "2020-01-01"})  # fmt: skip
    good = client.post(f"/connections/{them.user_id}/next-step",
                       data={f"{prefix}-text": "Call about the job", f"{prefix}-remind_on": "2031-01-05"})  # fmt: skip

    html = bad.get_data(as_text=True)
    assert bad.status_code == 400 and "Choose today or a day to come." in html
    assert 'value="Call about the job"' in html
    assert good.status_code == 302
    page = client.get("/connections").get_data(as_text=True)
    assert 'value="Call about the job"' in page and 'value="2031-01-05"' in page
    other = app.test_client()
    factories.login(other, them.user.email)
    assert "Call about the job" not in other.get("/connections").get_data(as_text=True)


def test_the_absent_partners_page_is_the_same_whether_the_other_checked_in(
    app, session, monkeypatch
):
    import re

    ev, _ = _event(session)
    first = _meetings(session, ev)[0]
    a, b = first.seats
    monkeypatch.setattr(introductions_view, "_now", lambda: _at(9, 6))
    pages = [f"/events/{ev.slug}/introductions", f"/events/{ev.slug}/introductions/{first.id}"]
    strip = lambda html: re.sub(r'name="csrf_token" value="[^"]*"', "", html)  # noqa: E731
    theirs = _as(app, b)
    before = [strip(theirs.get(p).get_data(as_text=True)) for p in pages]

    _as(app, a).post(f"/events/{ev.slug}/introductions/{first.id}/here")

    assert [strip(theirs.get(p).get_data(as_text=True)) for p in pages] == before
