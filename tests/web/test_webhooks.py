"""Webhooks from the organiser's page to a receiver over HTTP: signed deliveries that the
Standard Webhooks reference library accepts, a retry after the receiver failed, the log."""

import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa
from standardwebhooks.webhooks import Webhook as Verifier

from matchmaker import outbound, runner
from matchmaker.models import Webhook, WebhookDelivery
from matchmaker.services.core import webhooks
from tests import factories
from tests.api.conftest import bearer, make_token
from tests.webhook_receiver import start_receiver


@pytest.fixture
def receiver(app):
    app.config["MATCHMAKER_WEBHOOKS_ALLOW_PRIVATE"] = True
    found, server = start_receiver()
    yield found
    server.shutdown()


def _add(client, ev, url, kinds=None):
    data = {"url": url, "kinds": list(kinds or ["attendee.joined"])}
    return client.post(f"/organiser/events/{ev.id}/webhooks", data=data)


def test_a_webhook_added_on_the_page_receives_signed_deliveries_and_a_retry(
    app, session, client, receiver
):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)
    added = _add(client, ev, receiver.url, ["attendee.joined", "plan.published"])
    hook = session.scalar(sa.select(Webhook))
    receiver.answers = [500]  # the receiver fails once

    assert added.status_code == 302
    assert hook.kinds == ["attendee.joined", "plan.published"]
    secret = make_token(session, owner)
    joined = app.test_client().post(f"/api/v1/events/{ev.id}/attendees", headers=bearer(secret),
                                    json={"email": "zoe@example.org", "name": "Zoe"})  # fmt: skip
    runner.wait_for_threads()

    assert joined.status_code == 201
    assert len(receiver.received) == 1  # tried at once, and refused
    delivery = session.scalar(sa.select(WebhookDelivery))
    session.refresh(delivery)
    assert (delivery.status, delivery.attempts, delivery.response_status) == ("queued", 1, 500)
    assert delivery.error == "the receiver answered 500"

    # The retry, once its wait has passed (as the sweep's job would send it).
    later = datetime.now(UTC) + webhooks.retry_wait(1) + timedelta(seconds=1)
    done = webhooks.deliver_due(session, outbound.post, clock=lambda: later,
                                allow_private=True)  # fmt: skip

    assert done == (1, 0)
    first, second = receiver.received
    assert first.body == second.body
    assert first.headers["webhook-id"] == second.headers["webhook-id"]
    verified = Verifier(hook.secret).verify(first.body, first.headers)
    assert Verifier(hook.secret).verify(second.body, second.headers) == verified
    assert verified["type"] == "attendee.joined"
    assert verified["data"] == {"event_id": ev.id, "attendee_id": json.loads(first.body)["data"][
        "attendee_id"]}  # fmt: skip
    assert first.headers["content-type"] == "application/json"
    page = client.get(f"/organiser/events/{ev.id}/webhooks").get_data(as_text=True)
    assert "Deliveries (1)" in page
    assert '<td data-label="Status">delivered</td>' in page
    assert '<td data-label="Tries">2</td>' in page


def test_a_private_address_is_refused_on_the_page_and_what_was_typed_kept(app, session, client):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)

    refused = _add(client, ev, "http://127.0.0.1:9/hook", ["answer.given"])
    page = refused.get_data(as_text=True)

    assert refused.status_code == 400
    assert (
        "127.0.0.1 is this machine or a private network (127.0.0.1): matchmaker sends only to "
        "addresses on the internet." in page
    )
    assert 'value="http://127.0.0.1:9/hook"' in page
    assert '<input checked id="kinds-3" name="kinds" type="checkbox" value="answer.given">' in page
    assert '<input id="kinds-0" name="kinds" type="checkbox" value="attendee.joined">' in page
    assert session.scalar(sa.select(sa.func.count(Webhook.id))) == 0


def test_rotating_keeps_the_old_secret_for_a_day_and_removing_stops_deliveries(
    app, session, client, receiver
):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)
    _add(client, ev, receiver.url)
    hook = session.scalar(sa.select(Webhook))
    old = hook.secret

    rotated = client.post(f"/organiser/events/{ev.id}/webhooks/{hook.id}/rotate",
                          follow_redirects=True)  # fmt: skip
    session.refresh(hook)

    assert hook.secret != old and hook.previous_secret == old
    assert "For a day, deliveries are signed with the old one too." in rotated.get_data(
        as_text=True
    )
    factories.attendee(session, ev)
    runner.wait_for_threads()
    session.expire_all()
    delivery = session.scalar(sa.select(WebhookDelivery))
    webhooks.deliver_due(session, outbound.post, clock=lambda: datetime.now(UTC),
                         allow_private=True)  # fmt: skip
    signed = receiver.received[-1]
    Verifier(old).verify(signed.body, signed.headers)
    Verifier(hook.secret).verify(signed.body, signed.headers)
    assert delivery is not None

    removed = client.post(f"/organiser/events/{ev.id}/webhooks/{hook.id}/remove",
                          follow_redirects=True)  # fmt: skip
    factories.attendee(session, ev, email="bea@example.org", name="Bea")

    assert "The webhook is removed" in removed.get_data(as_text=True)
    assert session.scalar(sa.select(sa.func.count(WebhookDelivery.id))) == 0
