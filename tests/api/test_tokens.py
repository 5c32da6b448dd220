"""Organisers' tokens on their settings page and on the command line."""

import re

import sqlalchemy as sa

from matchmaker.models import ApiToken
from tests import factories
from tests.api.conftest import bearer


def test_a_token_made_on_the_page_is_shown_once_and_works_until_revoked(app, session, client):
    owner = factories.organiser(session)
    factories.event(session, owner, name="Mine")
    factories.login(client, owner.email)

    made = client.post("/organiser/tokens", data={"name": "Ticket sync", "scope": "write"})
    page = made.get_data(as_text=True)
    secret = re.search(r'value="(mm_[^"]+)"', page).group(1)

    assert made.status_code == 200
    assert made.headers["Cache-Control"] == "no-store"
    assert "Copy it now: it is shown only this once" in page
    assert secret not in client.get("/organiser/tokens").get_data(as_text=True)
    assert f"<code>{secret[:9]}…</code>" in client.get("/organiser/tokens").get_data(as_text=True)
    events = app.test_client().get("/api/v1/events", headers=bearer(secret))
    assert [e["name"] for e in events.get_json()] == ["Mine"]
    assert "read and write" in client.get("/organiser/tokens").get_data(as_text=True)

    token = session.scalar(sa.select(ApiToken))
    revoked = client.post(f"/organiser/tokens/{token.id}/revoke", follow_redirects=True)

    assert "The token “Ticket sync” is revoked" in revoked.get_data(as_text=True)
    assert "You have no tokens." in revoked.get_data(as_text=True)
    assert app.test_client().get("/api/v1/events", headers=bearer(secret)).status_code == 401
    assert client.post(f"/organiser/tokens/{token.id}/revoke").status_code == 404


def test_a_token_without_a_name_is_refused_and_what_was_chosen_kept(session, client):
    owner = factories.organiser(session)
    factories.login(client, owner.email)

    refused = client.post("/organiser/tokens", data={"name": "  ", "scope": "write"})
    page = refused.get_data(as_text=True)

    assert refused.status_code == 400
    assert "Give the token a name, such as the tool that will use it." in page
    assert '<input checked id="scope-1" name="scope" required type="radio" value="write">' in page
    assert session.scalar(sa.select(sa.func.count(ApiToken.id))) == 0


def test_the_command_line_makes_lists_and_revokes_tokens(app, session):
    owner = factories.organiser(session)
    runner = app.test_cli_runner()

    made = runner.invoke(args=["api-token", "create", owner.email, "--name", "CRM",
                               "--scope", "write"])  # fmt: skip
    listed = runner.invoke(args=["api-token", "list", owner.email])
    token = session.scalar(sa.select(ApiToken))
    revoked = runner.invoke(args=["api-token", "revoke", owner.email, str(token.id)])
    stranger = runner.invoke(args=["api-token", "create", "nobody@example.org", "--name", "x"])

    assert made.exit_code == 0, made.output
    secret = made.output.splitlines()[1]
    assert made.output.splitlines()[0] == (
        f"Token {token.id} (write) for {owner.email}; it is shown only this once:"
    )
    assert secret.startswith("mm_") and len(secret) == 46
    assert listed.output == f"{token.id}\t{token.prefix}…\twrite\tlast used never\tCRM\n"
    assert revoked.output == f"Token {token.id} (CRM) is revoked.\n"
    assert runner.invoke(args=["api-token", "list", owner.email]).output == ""
    assert stranger.exit_code == 1
    assert "There is no organiser with the address nobody@example.org." in stranger.output
