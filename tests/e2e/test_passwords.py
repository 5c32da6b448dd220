"""A person who forgot their password gets a link (in the log: no mail server in tests) and
chooses a new one in the browser."""

import re

from playwright.sync_api import expect

from matchmaker import runner
from matchmaker.extensions import db
from tests import factories


def test_forgotten_password_to_new_password(live_server, live_app, new_page, caplog):
    with live_app.app_context():
        factories.organiser(db.session, email="olga@example.org")
        db.session.remove()
    page = new_page()

    page.goto(live_server + "/login")
    page.get_by_role("link", name="Forgot your password?").click()
    page.get_by_label("Email").fill("olga@example.org")
    page.get_by_role("button", name="Mail me a link").click()
    expect(page.get_by_text("a link to choose a new password is on its way")).to_be_visible()

    runner.wait_for_threads()  # mail leaves from a background job
    link = re.search(r"http://\S+/password/reset/\S+", caplog.text).group(0)
    page.goto(link)
    page.get_by_label("New password").fill("short")
    page.get_by_label("Password again").fill("short")
    page.get_by_role("button", name="Set my new password").click()
    expect(page.get_by_role("link", name="New password")).to_be_visible()  # error summary
    page.get_by_label("New password").fill("a brand new password")
    page.get_by_label("Password again").fill("a brand new password")
    page.get_by_role("button", name="Set my new password").click()
    expect(page.get_by_text("Your new password is set, and you are logged in.")).to_be_visible()

    page.goto(link)
    expect(page.get_by_text("This link was used already")).to_be_visible()
