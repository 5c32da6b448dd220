"""Attendees from pretix, against a stand-in that answers as pretix's documented API does
(tests/pretix_stub.py cites the documentation): connect on the Tickets tab, map questions,
import paid orders, then keep in step on pretix's webhooks (a paid order invites, a
cancelled one takes its attendee out and refills their meetings)."""

import re

import pytest
import sqlalchemy as sa

from matchmaker import runner
from matchmaker.models import AttendeeImport, Meeting, MeetingSeat, PretixConnection, Profile, User
from tests import factories
from tests.fakes import RecordingMailer
from tests.pretix_stub import EVENT, ORGANIZER, TOKEN, order, position, start_stub


@pytest.fixture
def stub(app):
    app.config["MATCHMAKER_WEBHOOKS_ALLOW_PRIVATE"] = True  # the stand-in is on 127.0.0.1
    found, server = start_stub()
    yield found
    server.shutdown()


def _connect(client, ev, stub, token=TOKEN, **extra):
    data = {"base_url": stub.base_url, "organizer": ORGANIZER, "event_slug": EVENT,
            "token": token, **extra}  # fmt: skip
    return client.post(f"/organiser/events/{ev.id}/pretix", data=data)


def _profile(session, email):
    session.expire_all()
    return session.scalar(
        sa.select(Profile).join(User, User.id == Profile.user_id).where(User.email == email)
    )


def test_paid_orders_become_attendees_with_the_mapped_answers(app, session, client, stub):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)
    app.extensions["mailer"] = mailer = RecordingMailer()
    stub.orders = [
        order("PAID1", "p", "ada@example.org", [
            position("Ada Lovelace", "ada@example.org", company="Analytical Engines",
                     answers=[("TOPICS", "compilers, Rust; WebAssembly"),
                              ("JOBTITLE", "Engineer"), ("SEEKING", "Mentorship, Jobs")]),
            position("Ada Lovelace", "ada@example.org"),  # a second ticket: one person
            position("Parking", None, addon_to=1),  # an add-on, not a person
        ]),
        order("PEND1", "n", "ben@example.org", [position("Ben Pending", "ben@example.org")]),
        order("CANC1", "c", "cy@example.org", [position("Cy Cancelled", "cy@example.org")]),
        order("PAID2", "p", "dee@example.org", [
            position("Dee", "dee@example.org"),
            position("Eve Gone", "eve@example.org", canceled=True),
            position("Bad Address", "not-an-email"),
        ]),
        order("TEST1", "p", "t@example.org", [position("Tess", "t@example.org")], testmode=True),
    ]  # fmt: skip

    connected = _connect(client, ev, stub)
    assert connected.status_code == 302
    page = client.get(f"/organiser/events/{ev.id}/pretix").get_data(as_text=True)
    hook = re.search(r'id="hook-url"[^>]*value="([^"]+)"', page).group(1)
    assert hook.startswith("http://matchmaker.test/hooks/pretix/")
    assert TOKEN not in page  # the token is never shown again
    client.post(f"/organiser/events/{ev.id}/pretix/questions")
    client.post(f"/organiser/events/{ev.id}/pretix/mapping",
                data={"q-TOPICS": "interests", "q-JOBTITLE": "headline", "q-SEEKING": "seeks"})  # fmt: skip

    imported = client.post(f"/organiser/events/{ev.id}/pretix/import")
    runner.wait_for_threads()
    html = imported.get_data(as_text=True)

    assert imported.status_code == 200
    assert "2 invited, 0 updated, 0 kept as they wrote it, 1 not imported." in html
    assert ("order PAID2, ticket 3: email &#39;not-an-email&#39; is not an email address"
            in html)  # fmt: skip
    ada = _profile(session, "ada@example.org")
    assert (ada.name, ada.company, ada.headline) == ("Ada Lovelace", "Analytical Engines",
                                                     "Engineer")  # fmt: skip
    assert [t.name for t in ada.tags] == ["compilers", "rust", "webassembly"]
    assert ada.intent_names("seeks") == ["jobs", "mentorship"]
    assert _profile(session, "dee@example.org") is not None
    for missing in ("ben@example.org", "cy@example.org", "eve@example.org", "t@example.org"):
        assert _profile(session, missing) is None
    assert sorted(m.to for m in mailer.sent) == ["ada@example.org", "dee@example.org"]
    assert all("orders/?" in r or "questions/" in r for r in stub.requests)
    assert any("page=2" in r for r in stub.requests)  # every page was read
    assert session.scalar(sa.select(AttendeeImport.filename)) == "pretix"


def test_a_paid_webhook_invites_and_a_cancellation_takes_out_and_refills(
    app, session, client, stub
):
    owner = factories.organiser(session)
    ev, people = factories.published_event(session, owner, people=4, group_slots=0, tables=4)
    factories.login(client, owner.email)
    app.extensions["mailer"] = mailer = RecordingMailer()
    leaving = people[0]
    email = leaving.user.email
    stub.orders = [order("KEEP1", "p", email, [position(leaving.name, email)])]
    _connect(client, ev, stub)
    client.post(f"/organiser/events/{ev.id}/pretix/import")
    hook = session.scalar(sa.select(PretixConnection.webhook_token))
    before = session.scalars(
        sa.select(Meeting.id).join(MeetingSeat)
        .where(Meeting.run_id == ev.published_run_id, MeetingSeat.profile_id == leaving.id,
               Meeting.cancelled_at.is_(None))
    ).all()  # fmt: skip
    assert before

    # A new paid order: the webhook is only a trigger; the order is read again.
    stub.orders.append(order("NEW01", "p", "new@example.org", [position("Nia New",
                                                                         "new@example.org")]))  # fmt: skip
    paid = app.test_client().post(f"/hooks/pretix/{hook}", json=stub.webhook("NEW01",
                                                                           "pretix.event.order.paid"))  # fmt: skip
    runner.wait_for_threads()

    assert paid.status_code == 200
    assert (
        paid.get_json()["result"] == "Order NEW01 (pretix.event.order.paid): 1 invited, "
        "0 updated, 0 kept as they wrote it."
    )
    assert _profile(session, "new@example.org") is not None
    assert stub.requests[-1] == (f"/api/v1/organizers/{ORGANIZER}/events/{EVENT}/orders/NEW01/"
                                 "?include_canceled_positions=true")  # fmt: skip

    # The first order is cancelled in pretix.
    stub.find("KEEP1")["status"] = "c"
    mailer.sent.clear()
    cancelled = app.test_client().post(
        f"/hooks/pretix/{hook}", json=stub.webhook("KEEP1", "pretix.event.order.canceled")
    )
    runner.wait_for_threads()

    assert cancelled.status_code == 200
    gone = _profile(session, email)
    assert gone.hidden and gone.ticket_cancelled_at is not None
    for meeting_id in before:
        assert session.get(Meeting, meeting_id).cancelled_at is not None
    partners = {s.profile.user.email for m in before for s in session.get(Meeting, m).seats
                if s.profile_id != leaving.id}  # fmt: skip
    assert partners <= {m.to for m in mailer.sent}  # each partner told once of the change
    assert email not in {m.to for m in mailer.sent}
    # They cannot show themselves again while their ticket is cancelled...
    factories.login(own := app.test_client(), email)
    refused = own.post(f"/events/{ev.slug}/visibility", data={"hidden": ""})
    assert refused.status_code == 409
    # ...and are back once a ticket of theirs counts again.
    stub.orders.append(order("BACK1", "p", email, [position(leaving.name, email)]))
    app.test_client().post(f"/hooks/pretix/{hook}",
                           json=stub.webhook("BACK1", "pretix.event.order.paid"))  # fmt: skip
    back = _profile(session, email)
    assert (back.hidden, back.ticket_cancelled_at) == (False, None)


def test_webhooks_of_other_events_and_unknown_addresses(app, session, client, stub):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)
    _connect(client, ev, stub)
    hook = session.scalar(sa.select(PretixConnection.webhook_token))
    elsewhere = dict(stub.webhook("X1", "pretix.event.order.paid"), event="other-event")

    unknown = app.test_client().post("/hooks/pretix/not-the-secret", json=elsewhere)
    other = app.test_client().post(f"/hooks/pretix/{hook}", json=elsewhere)
    checkin = app.test_client().post(f"/hooks/pretix/{hook}", json=dict(
        stub.webhook("X1", "pretix.event.checkin"), event=EVENT))  # fmt: skip
    garbage = app.test_client().post(f"/hooks/pretix/{hook}", data="not json",
                                     content_type="application/json")  # fmt: skip

    assert unknown.status_code == 404
    assert other.get_json() == {"done": False, "result": ""}
    assert checkin.get_json() == {"done": False, "result": ""}
    assert garbage.status_code == 400
    assert stub.requests == []  # nothing was read for any of them


def test_a_wrong_token_or_a_private_address_are_named(app, session, client, stub):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)
    _connect(client, ev, stub, token="wrong")

    refused = client.post(f"/organiser/events/{ev.id}/pretix/import")

    assert refused.status_code == 502
    assert "pretix refused the API token (HTTP 401)" in refused.get_data(as_text=True)
    app.config["MATCHMAKER_WEBHOOKS_ALLOW_PRIVATE"] = False
    private = _connect(client, ev, stub)
    assert private.status_code == 400
    assert "127.0.0.1 is this machine or a private network" in private.get_data(as_text=True)
    assert f'value="{stub.base_url}"' in private.get_data(as_text=True)
