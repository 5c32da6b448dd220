"""The living schedule in a real browser: a plan is published; one attendee accepts, another
declines; someone joins late and is placed at once; the organiser runs matching again and
publishes the re-plan through its confirmation (the accepted meeting unchanged, the declined
pair never again, the late joiner placed, one message per changed person); then removes a
table through the timetable's confirmation."""

import re
from collections import Counter

import sqlalchemy as sa
from playwright.sync_api import expect

from matchmaker import runner
from matchmaker.extensions import db
from matchmaker.models import Event, Meeting, Profile
from matchmaker.services.planning import matching
from tests import factories
from tests.e2e.test_introductions import _log_in
from tests.fakes import RecordingMailer


def _key(m):
    return (m.slot_id, m.location_id, frozenset(s.profile_id for s in m.seats))


def _published(live_app):
    with live_app.app_context():
        ev = db.session.scalar(sa.select(Event))
        meetings = {
            _key(m): m.id for m in matching.run_meetings(db.session, run_id=ev.published_run_id)
        }
        run_id = ev.published_run_id
        db.session.remove()
    return run_id, meetings


def test_publish_answer_join_late_replan_republish_and_edit_the_timetable(
    live_server, live_app, new_page
):
    mailer = RecordingMailer()
    live_app.extensions["mailer"] = mailer
    with live_app.app_context():
        session = db.session
        ev, profiles = factories.published_event(
            session, people=7, one_to_one_slots=3, group_slots=0, tables=4, rooms=0
        )
        ones = matching.run_meetings(session, run_id=ev.published_run_id)
        accepted, declined = (
            ones[0],
            next(
                m
                for m in ones[1:]
                if not {s.profile_id for s in m.seats} & {s.profile_id for s in ones[0].seats}
            ),
        )
        accepter = accepted.seats[0].profile
        decliner, declined_other = declined.seats[0].profile, declined.seats[1].profile
        people = {
            "accepter": (accepter.user.email, accepted.seats[1].profile.name),
            "decliner": (decliner.user.email, declined_other.name),
        }
        accepted_key, declined_pair = (
            _key(accepted),
            frozenset(s.profile_id for s in declined.seats),
        )
        factories.attendee(session, ev, email="late@example.org", name="Lara Late")
        slug, event_id = ev.slug, ev.id
        db.session.commit()
        db.session.remove()
    intros = f"{live_server}/events/{slug}/introductions"

    # One attendee accepts, another declines (privately).
    page = _log_in(new_page, live_server, people["accepter"][0])
    page.goto(intros)
    page.locator(".introductions li").filter(has_text=f"With {people['accepter'][1]}").get_by_role(
        "button", name="Accept"
    ).click()
    expect(page.get_by_text("You accepted.")).to_be_visible()
    page = _log_in(new_page, live_server, people["decliner"][0])
    page.goto(intros)
    page.locator(".introductions li").filter(has_text=f"With {people['decliner'][1]}").get_by_role(
        "button", name="Decline"
    ).click()
    expect(page.locator(".flash", has_text="You declined.")).to_be_visible()

    # Someone joins late: saving their profile places them at once.
    page = _log_in(new_page, live_server, "late@example.org")
    page.goto(f"{live_server}/events/{slug}/profile")
    page.get_by_label("About you").fill("Lara works on python asyncio networking and event loops.")
    page.get_by_label("Interests").fill("python, asyncio")
    page.get_by_label("One-to-one meetings", exact=True).check()
    for box in page.locator('input[name="available_slots"]').all():
        box.check()
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text(re.compile(r"You have \d+ new introduction"))).to_be_visible()
    page.goto(intros)
    expect(page.get_by_text("Proposed: accept or decline").first).to_be_visible()
    _, before = _published(live_app)
    with live_app.app_context():
        late_id = db.session.scalar(sa.select(Profile.id).where(Profile.name == "Lara Late"))
        db.session.remove()
    assert any(late_id in key[2] for key in before)

    # The organiser runs matching again: a re-plan; publishing says what changes first.
    organiser = _log_in(new_page, live_server, "org@example.org")
    organiser.goto(f"{live_server}/organiser/events/{event_id}/runs")
    organiser.get_by_role("button", name="Run matching").click()
    expect(organiser.get_by_text("A re-plan of the published run")).to_be_visible(timeout=60_000)
    organiser.get_by_role("link", name="Publish this plan…").click()
    expect(
        organiser.get_by_text("Every meeting people accepted (1) is kept as it is.")
    ).to_be_visible()
    sent_before = len(mailer.sent)
    organiser.get_by_role("button", name=re.compile(r"^Publish and tell \d+ attendee")).click()
    expect(organiser.locator(".badge", has_text="published")).to_be_visible()
    run_id, after = _published(live_app)
    assert accepted_key in after
    assert declined_pair not in {key[2] for key in after}
    assert any(late_id in key[2] for key in after)
    runner.wait_for_threads()  # mail leaves from a background job
    told = Counter(m.to for m in mailer.sent[sent_before:])
    assert set(told.values()) <= {1}
    with live_app.app_context():
        kept = db.session.get(Meeting, after[accepted_key])
        assert any(s.response == "accepted" for s in kept.seats)
        db.session.remove()

    # A table goes: the timetable lists the meetings it cancels and asks first.
    organiser.goto(f"{live_server}/organiser/events/{event_id}/timetable")
    organiser.locator("#locations").get_by_text("Edit one").click()
    organiser.get_by_role("link", name="Table 1", exact=True).click()
    organiser.get_by_role("button", name="Delete Table 1").click()
    expect(organiser.get_by_role("heading", name="Delete this location?")).to_be_visible()
    expect(organiser.get_by_text(re.compile(r"\d+ meetings? will be cancelled"))).to_be_visible()
    organiser.get_by_role("button", name=re.compile(r"^Delete this location and tell")).click()
    expect(organiser.get_by_text("The location is deleted.")).to_be_visible()
    _, final = _published(live_app)
    with live_app.app_context():
        cancelled = db.session.scalars(
            sa.select(Meeting).where(Meeting.run_id == run_id, Meeting.cancelled_at.is_not(None))
        ).all()
        assert cancelled  # cancelled, still on record
        assert (
            matching.check_run(db.session, event=db.session.get(Event, event_id), run_id=run_id)
            == []
        )
        db.session.remove()
