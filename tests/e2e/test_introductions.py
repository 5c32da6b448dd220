"""The attendee journey in a real browser on a published event: one person declines an
introduction, the other sees only that it will not take place and gets a refill; two others
accept, meet, rate it and find each other in their connections, with contact details only
where both consented."""

import sqlalchemy as sa
from playwright.sync_api import expect

from matchmaker.attendee import introductions as introductions_view
from matchmaker.extensions import db
from matchmaker.models import Event, Profile
from matchmaker.services.people import attendance
from matchmaker.services.planning import matching, pair_rules
from tests import factories
from tests.services.test_introductions import DURING, plan_problems


def _log_in(new_page, base, email):
    page = new_page()
    page.goto(base + "/login")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    return page


def _prepare(live_app):
    """Five people, one slot, two tables: two meetings and one person free. The organiser
    keeps the first decliner apart from the free person, so the refill goes to the other."""
    with live_app.app_context():
        session = db.session
        ev, profiles = factories.published_event(
            session, people=5, one_to_one_slots=1, group_slots=0, tables=2, rooms=0
        )
        plan = [
            sorted(s.profile_id for s in m.seats)
            for m in matching.run_meetings(session, run_id=ev.published_run_id)
        ]
        (a, b), (c, d) = plan
        [e] = [p.id for p in profiles if p.id not in (a, b, c, d)]
        pair_rules.set_pair_rule(
            session, event=ev, profile_id=a, other_id=e, rule="apart",
        )  # fmt: skip
        for pid in (c, d, e):
            p = session.get(Profile, pid)
            attendance.save_profile(
                session, slug=ev.slug, user_id=p.user_id,
                data=attendance.ProfileData(
                    name=p.name, headline=p.headline, bio=p.bio,
                    share_contact=pid != e, links=(f"https://{pid}.example.org",),
                    available_slot_ids=tuple(s.id for s in ev.slots),
                ),
            )  # fmt: skip
        people = {pid: (session.get(Profile, pid).name, session.get(Profile, pid).user.email)
                  for pid in (a, b, c, d, e)}  # fmt: skip
        slug = ev.slug
        db.session.commit()  # as the requests that made it would have
        db.session.remove()
    return slug, people, (a, b, c, d, e)


def test_decline_refill_accept_meet_rate_and_connect(live_server, live_app, new_page, monkeypatch):
    slug, people, (a, b, c, d, e) = _prepare(live_app)
    intros = f"{live_server}/events/{slug}/introductions"

    # A declines the introduction to B.
    page_a = _log_in(new_page, live_server, people[a][1])
    page_a.goto(intros)
    card = page_a.locator(".introductions li").filter(has_text=f"With {people[b][0]}")
    expect(card.get_by_role("heading", name="Why you should meet")).to_be_visible()
    card.get_by_role("button", name="Decline").click()
    expect(page_a.get_by_text("You declined. Nobody else is free in that slot.")).to_be_visible()
    expect(page_a.get_by_text("You declined this introduction")).to_be_visible()

    # B only learns that the meeting will not take place, and is offered E instead.
    page_b = _log_in(new_page, live_server, people[b][1])
    page_b.goto(intros)
    expect(page_b.get_by_text("This meeting will not take place")).to_be_visible()
    assert "declined" not in page_b.content().lower()
    refill = page_b.locator(".introductions li").filter(has_text=f"With {people[e][0]}")
    expect(refill.get_by_text("Proposed: accept or decline")).to_be_visible()
    with live_app.app_context():
        assert plan_problems(db.session, db.session.scalar(sa.select(Event))) == []
        db.session.commit()  # as the requests that made it would have
        db.session.remove()

    # C and D accept: C waits for D, then both see it confirmed.
    page_c = _log_in(new_page, live_server, people[c][1])
    page_c.goto(intros)
    page_c.get_by_role("button", name="Accept").click()
    expect(
        page_c.get_by_text("You accepted: it is confirmed once both of you have")
    ).to_be_visible()
    page_d = _log_in(new_page, live_server, people[d][1])
    page_d.goto(intros)
    expect(page_d.get_by_text("Proposed: accept or decline")).to_be_visible()
    page_d.get_by_role("button", name="Accept").click()
    expect(page_d.get_by_text("Confirmed", exact=True)).to_be_visible()
    page_c.goto(f"{live_server}/events/{slug}/schedule")
    expect(page_c.get_by_role("cell", name="Confirmed")).to_be_visible()

    # The meeting has happened: both mark it met and rate it.
    monkeypatch.setattr(introductions_view, "_now", lambda: DURING)
    for page, rating in ((page_c, "5 of 5"), (page_d, "4 of 5")):
        page.goto(intros)
        page.get_by_role("link", name="Details, notes and rating").click()
        page.get_by_label("We met").check()
        page.get_by_label(rating).check()
        page.get_by_label("Private note").fill("Talk again about pipelines")
        page.get_by_role("button", name="Save").click()
        expect(page.get_by_text("Saved. Only you see your rating and note.")).to_be_visible()

    # Connections: C and D both shared, so each sees the other's email and link.
    page_c.get_by_role("link", name="Connections").click()
    expect(page_c.get_by_text(people[d][0], exact=True)).to_be_visible()
    expect(page_c.get_by_role("link", name=people[d][1])).to_be_visible()
    expect(page_c.get_by_text("you rated it 5 of 5")).to_be_visible()
    page_d.get_by_role("link", name="Connections").click()
    expect(page_d.get_by_role("link", name=people[c][1])).to_be_visible()
    assert "you rated it 5 of 5" not in page_d.content()  # C's rating is C's

    # B accepts the refill and meets E, who keeps their details private: no details either way.
    monkeypatch.undo()
    page_b.goto(intros)
    refill.get_by_role("button", name="Accept").click()
    monkeypatch.setattr(introductions_view, "_now", lambda: DURING)
    refill.get_by_role("link", name="Details, notes and rating").click()
    page_b.get_by_label("We met").check()
    page_b.get_by_role("button", name="Save").click()
    # A connection is made when both say so: E too.
    page_e = _log_in(new_page, live_server, people[e][1])
    page_e.goto(intros)
    page_e.get_by_role("link", name="Details, notes and rating").click()
    page_e.get_by_label("We met").check()
    page_e.get_by_role("button", name="Save").click()
    page_b.get_by_role("link", name="Connections").click()
    expect(page_b.get_by_text(people[e][0], exact=True)).to_be_visible()
    expect(page_b.get_by_text("Contact details not shared.")).to_be_visible()
    assert people[e][1] not in page_b.content() and f"{e}.example.org" not in page_b.content()
    page_e.get_by_role("link", name="Connections").click()
    expect(page_e.get_by_text(people[b][0], exact=True)).to_be_visible()
    assert people[b][1] not in page_e.content()


def test_the_schedule_prints_on_one_page_without_navigation(live_server, live_app, new_page):
    import io

    from pypdf import PdfReader

    with live_app.app_context():
        ev, profiles = factories.published_event(
            db.session, people=8, one_to_one_slots=4, group_slots=2, tables=4, rooms=2
        )
        slug, email, name = ev.slug, profiles[0].user.email, profiles[0].name
        db.session.commit()  # as the requests that made it would have
        db.session.remove()
    page = _log_in(new_page, live_server, email)
    page.goto(f"{live_server}/events/{slug}/schedule")
    rows = page.locator("table.schedule tbody tr")
    expect(rows.first).to_be_visible()

    printed = PdfReader(io.BytesIO(page.pdf(format="A4")))

    text = printed.pages[0].extract_text()
    assert len(printed.pages) == 1 and rows.count() >= 5
    assert name in text and "Log out" not in text and "Download as PDF" not in text
