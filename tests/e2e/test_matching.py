"""An organiser's matching journey in a real browser: import a list with good and bad rows,
run matching and watch the bar finish, review, forbid and pin pairs, run again, compare,
publish."""

import re

from playwright.sync_api import expect

from matchmaker.extensions import db
from tests import factories

CSV = "name;email;interests\nIris Import;iris@example.org;python|data\nBroken;not-an-email;\n"


def test_import_run_review_pin_forbid_rerun_compare_publish(
    live_server, live_app, new_page, tmp_path
):
    with live_app.app_context():
        ev, people = factories.matchable_event(db.session, people=8)
        event_id, names = ev.id, [p.name for p in people]
        db.session.commit()  # as the requests that made it would have
        db.session.remove()
    page = new_page()
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill("org@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()
    events = f"{live_server}/organiser/events/{event_id}"

    # Import: the preview names the bad line; confirming imports the good one.
    page.goto(events + "/attendees")
    page.get_by_role("link", name="Import a CSV list").click()
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(CSV, encoding="utf-8")
    page.get_by_label("Attendee list (CSV)").set_input_files(str(csv_file))
    page.get_by_role("button", name="Upload and preview").click()
    expect(
        page.get_by_role("row", name=re.compile("^3 reject Broken not-an-email"))
    ).to_be_visible()
    page.get_by_role("button", name="Import the 1 valid line").click()
    expect(page.get_by_text("Imported: 1 invited, 0 updated; invitations sent: 1.")).to_be_visible()

    # Run matching: the bar follows the run, then the page shows the review.
    page.get_by_role("link", name="Matching").click()
    page.get_by_role("button", name="Run matching").click()
    expect(page.get_by_role("heading", name="Run 1")).to_be_visible()
    expect(page.get_by_text("of the best possible (a proven bound)")).to_be_visible(timeout=30_000)
    expect(page.get_by_text("Without a meeting")).to_be_visible()

    # Forbid the first pair of the plan from its meeting; pin two people on the pairs page.
    first = page.locator(".meeting-list li").first
    pair = first.locator("strong").inner_text()
    first.get_by_role("button", name="Forbid this pair").click()
    expect(page.get_by_text("The rule is saved. The next run keeps it.")).to_be_visible()
    page.get_by_role("link", name="Pairs").click()
    page.get_by_label("Attendee", exact=True).fill(f"{names[0]} (person0@example.org)")
    page.get_by_label("and", exact=True).fill("person5@example.org")
    page.get_by_label("must meet").check()
    page.get_by_role("button", name="Save the rule").click()
    expect(page.get_by_role("cell", name=f"{names[0]} and {names[5]}")).to_be_visible()
    expect(page.get_by_role("cell", name="must not meet")).to_be_visible()

    # Run again: the forbidden pair is gone, the pinned pair meets.
    page.get_by_role("link", name="Matching").click()
    page.get_by_role("button", name="Run matching").click()
    expect(page.get_by_role("heading", name="Run 2")).to_be_visible()
    expect(page.get_by_text("of the best possible (a proven bound)")).to_be_visible(timeout=30_000)
    meetings = page.locator(".meeting-list li strong").all_inner_texts()
    assert pair not in meetings
    assert f"{names[0]}, {names[5]}" in meetings or f"{names[5]}, {names[0]}" in meetings

    # Compare the two runs, then publish the second.
    page.get_by_role("link", name="All runs").click()
    page.get_by_label("Compare run").select_option("1")
    page.get_by_label("with run").select_option("2")
    page.get_by_role("button", name="Compare").click()
    expect(page.get_by_role("heading", name="Run 1 and run 2")).to_be_visible()
    expect(page.get_by_text(re.compile(r"^Meetings only in run 1 \(\d+\)"))).to_be_visible()
    expect(page.get_by_role("heading", name="Per attendee")).to_be_visible()
    page.get_by_role("link", name="Run 2").click()
    page.get_by_role("link", name="Publish this plan…").click()
    expect(page.get_by_role("heading", name="Publish run 2?")).to_be_visible()
    page.get_by_role("button", name=re.compile(r"^Publish and tell \d+ attendee")).click()
    expect(
        page.get_by_text(re.compile(r"Run 2 is now the event's schedule\. Each attendee whose"))
    ).to_be_visible()
    expect(page.locator(".badge", has_text="published")).to_be_visible()


def test_the_progress_bar_follows_a_run_and_shows_the_review_when_done(
    live_server, live_app, new_page
):
    from datetime import UTC, datetime, timedelta

    from matchmaker import runner
    from matchmaker.services.planning import matching

    with live_app.app_context():
        ev, _ = factories.matchable_event(db.session, people=6)
        run = matching.start_run(
            db.session,
            event=ev,
            actor_id=None,
            now=datetime.now(UTC),
            timeout=timedelta(hours=1),
        )
        event_id, run_id = ev.id, run.id
        db.session.commit()  # as the requests that made it would have
        db.session.remove()
    page = new_page()
    page.goto(live_server + "/login")
    page.get_by_label("Email").fill("org@example.org")
    page.get_by_label("Password").fill(factories.PASSWORD)
    page.get_by_role("button", name="Log in").click()

    page.goto(f"{live_server}/organiser/events/{event_id}/runs/{run_id}")
    expect(page.get_by_label("Progress")).to_have_attribute("value", "0")
    expect(page.get_by_role("status")).to_have_text("waiting for a worker (0%)")
    with live_app.app_context():
        runner.dispatch_run(run_id)

    # No reload from the test: the page's script polls the status and shows the review.
    expect(page.get_by_text("of the best possible (a proven bound)")).to_be_visible(timeout=30_000)
