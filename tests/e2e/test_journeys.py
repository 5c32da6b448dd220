"""An organiser sets up an event; three attendees join through its link and fill profiles."""

import re

from playwright.sync_api import expect

from matchmaker import runner

ATTENDEES = [
    ("Ana Lopes", "ana@example.org", "machine learning, python", "mentorship"),
    ("Bob Smith", "bob@example.org", "python, devops", "jobs"),
    ("Chen Wei", "chen@example.org", "design, accessibility", "collaboration"),
]


def _confirm(page, caplog, email):
    """Open the confirmation link mailed to `email` (mail goes to the log in tests)."""
    expect(page.get_by_role("heading", name="Check your mail")).to_be_visible()
    runner.wait_for_threads()  # mail leaves from a background job
    links = re.findall(
        rf"To: {re.escape(email)}\nSubject: Confirm[^\n]*\n.*?(http://\S+/confirm/\S+)",
        caplog.text,
        re.DOTALL,
    )
    page.goto(links[-1])
    page.get_by_label("Choose a password").fill("long enough pw")
    page.get_by_label("Password again").fill("long enough pw")
    page.get_by_role("button", name="Confirm and log in").click()


def _organiser_sets_up_event(page, base, caplog):
    page.goto(base + "/")
    page.get_by_role("link", name="I organise an event").click()
    page.get_by_label("Your name").fill("Olga Organiser")
    page.get_by_label("Email").fill("olga@example.org")
    page.get_by_role("button", name="Create my account").click()
    _confirm(page, caplog, "olga@example.org")

    page.get_by_label("Name").fill("PyCon Browser")
    page.get_by_label("Time zone").select_option("Europe/Berlin")
    page.get_by_label("First day").fill("2030-05-14")
    page.get_by_label("Last day").fill("2030-05-13")
    page.get_by_role("button", name="Create event").click()
    expect(
        page.get_by_text("The last day must not be before the first day.", exact=True)
    ).to_be_visible()
    expect(page.get_by_role("link", name="Last day")).to_be_visible()
    expect(page.get_by_label("Name")).to_have_value("PyCon Browser")
    page.get_by_label("Last day").fill("2030-05-14")
    page.get_by_role("button", name="Create event").click()
    expect(page.get_by_text("PyCon Browser is created.")).to_be_visible()

    add_slots_and_tables(page)
    return page.get_by_role("textbox", name="Join link").input_value()


def add_slots_and_tables(page, step=lambda page, name: None):
    """From the event's overview: two one-to-one slots on 14 May 2030 and four tables, back
    on the overview; `step(page, name)` is called on each form before it is filled."""
    page.get_by_role("link", name="Generate slots").click()
    step(page, "generate-slots")
    page.get_by_label("Day").fill("2030-05-14")
    page.get_by_label("From").fill("10:00")
    page.get_by_label("To").fill("11:00")
    page.get_by_role("button", name="Generate").click()
    expect(page.get_by_text("2 slots are added.")).to_be_visible()

    page.get_by_role("link", name="Add tables or rooms").click()
    step(page, "add-tables")
    page.get_by_label("Name").fill("Table")
    page.get_by_label("How many").fill("4")
    page.get_by_role("button", name="Add").click()
    expect(page.get_by_text("4 locations added.")).to_be_visible()
    expect(page.get_by_role("cell", name="Tables 1-4")).to_be_visible()  # the timetable page
    page.get_by_role("link", name="Overview").click()
    expect(page.get_by_text("Tables 1-4: 2 seats each")).to_be_visible()


def _attendee_joins(page, caplog, join_url, name, email, interests, seeks):
    page.goto(join_url)
    page.get_by_label("Your name").fill(name)
    page.get_by_label("Email").fill(email)
    page.get_by_role("button", name="Sign up and join").click()
    _confirm(page, caplog, email)
    expect(page.get_by_role("heading", name="My profile for PyCon Browser")).to_be_visible()

    page.get_by_label("Headline").fill(f"{name.split()[0]} the engineer")
    page.get_by_label("About you").fill(f"{name} works on {interests}.")
    page.get_by_label("Interests").fill(interests)
    page.get_by_role("group", name="I am looking for").get_by_label(
        re.compile("^" + seeks.capitalize())
    ).check()
    page.get_by_label("One-to-one meetings", exact=True).check()
    page.get_by_role("button", name="Save my profile").click()
    expect(page.get_by_text("Your profile is saved.")).to_be_visible()
    # Saved tags come back as ticked suggestions, the event's shared vocabulary.
    popular = page.get_by_role("group", name="Popular at this event")
    for tag in interests.split(", "):
        expect(popular.get_by_label(tag, exact=True)).to_be_checked()


def test_organiser_and_three_attendees(live_server, new_page, caplog):
    organiser = new_page()
    join_url = _organiser_sets_up_event(organiser, live_server, caplog)
    assert join_url.startswith(live_server + "/join/")

    for name, email, interests, seeks in ATTENDEES:
        _attendee_joins(new_page(), caplog, join_url, name, email, interests, seeks)

    organiser.reload()
    expect(organiser.locator(".card", has_text="profiles filled")).to_contain_text("3")
    organiser.get_by_role("link", name="Attendees").click()
    expect(organiser.get_by_role("heading", name="Attendees (3)")).to_be_visible()
    organiser.get_by_role("link", name="Chen Wei").click()
    expect(organiser.get_by_text("design, accessibility")).to_be_visible()


def test_attendee_cannot_open_organiser_pages(live_server, new_page, caplog):
    organiser = new_page()
    join_url = _organiser_sets_up_event(organiser, live_server, caplog)
    event_url = organiser.url.split("#")[0]
    attendee = new_page()
    _attendee_joins(attendee, caplog, join_url, *ATTENDEES[0])

    response = attendee.goto(event_url)

    assert response.status == 403
    expect(attendee.get_by_role("heading", name="Not yours")).to_be_visible()
