"""Webhooks: what is told (noticed where it is written, once, only to the event's own
webhooks, never who declined), signed as Standard Webhooks says, retried with growing waits,
and never sent to a private network unless allowed."""

import base64
import hashlib
import hmac
import json
from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.models import Meeting, WebhookDelivery
from matchmaker.services.core import targets, webhooks
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Invalid
from matchmaker.services.introductions import answers
from matchmaker.services.planning import matching, plan_edits, publishing
from tests import factories
from tests.fakes import RecordingMailer

PUBLIC = "https://hooks.example.org/in"
NOW = datetime(2030, 5, 2, 9, 0, tzinfo=UTC)


def public_lookup(host, port):
    return ["93.184.215.14"]


def _hook(session, ev, kinds=webhooks.WEBHOOK_KINDS, url=PUBLIC):
    hook = webhooks.add_webhook(session, event=ev, url=url, kinds=list(kinds),
                                allow_private=False, lookup=public_lookup)  # fmt: skip
    session.commit()
    return hook


def _told(session):
    session.expire_all()
    return [
        (d.kind, json.loads(d.body)["data"])
        for d in session.scalars(sa.select(WebhookDelivery).order_by(WebhookDelivery.id))
    ]


def test_an_address_on_a_private_network_or_this_machine_is_refused(session):
    ev = factories.event(session, factories.organiser(session))

    for url, address in [
        ("http://localhost/x", "127.0.0.1"),
        ("https://intranet.example.org/x", "10.1.2.3"),
        ("https://metadata.example.org/x", "169.254.169.254"),
        ("https://v6.example.org/x", "::1"),
        ("https://mapped.example.org/x", "::ffff:192.168.0.1"),
    ]:
        with pytest.raises(Invalid) as refused:
            webhooks.add_webhook(session, event=ev, url=url, kinds=["plan.published"],
                                 allow_private=False, lookup=lambda h, p, a=address: [a])  # fmt: skip
        assert refused.value.errors["url"] == [
            f"{targets.host_and_port(url)[0]} is this machine or a private network ({address}): "
            "matchmaker sends only to addresses on the internet."
        ]
    allowed = webhooks.add_webhook(session, event=ev, url="http://localhost/x",
                                   kinds=["plan.published"], allow_private=True,
                                   lookup=lambda h, p: ["127.0.0.1"])  # fmt: skip
    assert allowed.secret.startswith("whsec_")


def test_bad_addresses_and_kinds_are_named(session):
    ev = factories.event(session, factories.organiser(session))

    with pytest.raises(Invalid) as refused:
        webhooks.add_webhook(session, event=ev, url="ftp://x.example.org/", kinds=["nope"],
                             allow_private=False, lookup=public_lookup)  # fmt: skip

    assert refused.value.errors == {
        "url": ["The address must start with https:// (or http://)."],
        "kinds": [
            "Choose what to send, among: attendee.joined, plan.published, meeting.changed, "
            "answer.given."
        ],
    }


def test_publishing_a_plan_and_joining_are_told_once_to_the_events_webhooks(session):
    owner = factories.organiser(session)
    ev, _ = factories.matchable_event(session, owner, people=4)
    other = factories.event(session, owner, name="Other")
    _hook(session, ev)
    _hook(session, other, kinds=["attendee.joined"])
    run = matching.start_run(session, event=ev, actor_id=None, now=NOW,
                             timeout=timedelta(hours=1))  # fmt: skip
    matching.execute_run(session, run_id=run.id)
    session.commit()

    assert _told(session) == []  # a plan nobody sees is told to nobody
    publishing.publish_run(session, event=ev, run_id=run.id, now=NOW, mailer=RecordingMailer(),
                           schedule_link="x")  # fmt: skip
    session.commit()
    late = factories.attendee(session, ev, email="late@example.org", name="Late Comer")

    assert _told(session) == [
        ("plan.published", {"event_id": ev.id, "run_id": run.id}),
        ("attendee.joined", {"event_id": ev.id, "attendee_id": late.id}),
    ]


def test_a_moved_meeting_and_an_answer_are_told_but_never_who_answered(session):
    owner = factories.organiser(session)
    ev, _ = factories.published_event(session, owner, people=4, group_slots=0, tables=4)
    _hook(session, ev, kinds=["meeting.changed", "answer.given"])
    meeting = session.scalars(
        sa.select(Meeting).where(Meeting.run_id == ev.published_run_id).order_by(Meeting.id)
    ).first()
    free = [loc for loc in plan_edits.free_locations(session, meeting, meeting.slot_id)
            if loc.id != meeting.location_id]  # fmt: skip
    plan_edits.move_meeting(session, event=ev, meeting_id=meeting.id, slot_id=meeting.slot_id,
                            location_id=free[0].id, notice=Notice(RecordingMailer(), "x"))  # fmt: skip
    session.commit()
    seat = meeting.seats[0]
    answers.respond(session, slug=ev.slug, user_id=seat.profile.user_id, meeting_id=meeting.id,
                    accept=False, now=NOW, notice=Notice(RecordingMailer(), "x"))  # fmt: skip
    session.commit()

    told = _told(session)
    assert told[:3] == [
        ("meeting.changed", {"event_id": ev.id, "meeting_id": meeting.id, "change": "updated"}),
        ("answer.given", {"event_id": ev.id, "meeting_id": meeting.id}),
        ("meeting.changed", {"event_id": ev.id, "meeting_id": meeting.id, "change": "cancelled"}),
    ]
    # The decline freed both people: any new proposals are told as made.
    assert {change["change"] for _, change in told[3:]} <= {"created"}
    for delivery in session.scalars(sa.select(WebhookDelivery)):
        assert set(json.loads(delivery.body)["data"]) <= {"event_id", "meeting_id", "change"}


def test_a_delivery_is_signed_as_standard_webhooks_says_with_both_secrets_after_rotation(
    session,
):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    hook = _hook(session, ev, kinds=["attendee.joined"])
    old = hook.secret
    webhooks.rotate_secret(session, event=ev, webhook_id=hook.id, now=NOW)
    session.commit()
    factories.attendee(session, ev)
    sent = []

    def post(url, addresses, body, headers):
        sent.append((url, addresses, body, headers))
        return 200

    done = webhooks.deliver_due(session, post, clock=lambda: NOW + timedelta(hours=1),
                                allow_private=False, lookup=public_lookup)  # fmt: skip

    assert done == (1, 0)
    url, addresses, body, headers = sent[0]
    assert (url, addresses) == (PUBLIC, ["93.184.215.14"])
    # Signed with either secret (checked by hand here; by the reference library in
    # tests/web/test_webhooks.py)...
    for secret in (hook.secret, old):
        signed = f"{headers['webhook-id']}.{headers['webhook-timestamp']}.".encode() + body
        key = base64.b64decode(secret.removeprefix("whsec_"))
        expected = "v1," + base64.b64encode(hmac.new(key, signed, hashlib.sha256).digest()).decode()
        assert expected in headers["webhook-signature"].split(" ")
    assert headers["webhook-timestamp"] == str(int((NOW + timedelta(hours=1)).timestamp()))
    assert json.loads(body)["type"] == "attendee.joined"
    # ...and a day after the rotation only the new secret signs.
    factories.attendee(session, ev, email="bea@example.org", name="Bea")
    webhooks.deliver_due(session, post, clock=lambda: NOW + timedelta(days=2),
                         allow_private=False, lookup=public_lookup)  # fmt: skip
    assert len(sent[1][3]["webhook-signature"].split(" ")) == 1


def test_a_failed_delivery_is_tried_again_later_then_marked_failed(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    _hook(session, ev, kinds=["attendee.joined"])
    factories.attendee(session, ev)
    clock = [NOW]
    tries = []

    def post(url, addresses, body, headers):
        tries.append((clock[0], headers["webhook-id"]))
        return 503

    for _ in range(webhooks.ATTEMPTS + 2):
        webhooks.deliver_due(session, post, clock=lambda: clock[0], allow_private=False,
                             lookup=public_lookup)  # fmt: skip
        clock[0] += timedelta(hours=1)

    delivery = session.scalar(sa.select(WebhookDelivery))
    assert len(tries) == webhooks.ATTEMPTS
    assert len({message_id for _, message_id in tries}) == 1  # the same message each time
    assert (delivery.status, delivery.attempts, delivery.response_status) == (
        "failed", webhooks.ATTEMPTS, 503,
    )  # fmt: skip
    assert delivery.error == "the receiver answered 503"
    waits = [webhooks.retry_wait(k) for k in range(1, 5)]
    assert waits == [timedelta(seconds=30), timedelta(minutes=1), timedelta(minutes=2),
                     timedelta(minutes=4)]  # fmt: skip


def test_a_name_that_resolves_to_a_private_address_later_is_not_sent_to(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    _hook(session, ev, kinds=["attendee.joined"])
    factories.attendee(session, ev)
    sent = []

    done = webhooks.deliver_due(session, lambda *a: sent.append(a) or 200, clock=lambda: NOW,
                                allow_private=False, lookup=lambda h, p: ["10.0.0.5"])  # fmt: skip

    assert done == (0, 1) and sent == []
    delivery = session.scalar(sa.select(WebhookDelivery))
    assert delivery.status == "queued"
    assert delivery.error.startswith("ValueError: hooks.example.org is this machine or a private")


def test_an_event_without_webhooks_writes_no_delivery(session):
    ev, _ = factories.published_event(session, people=4)
    factories.attendee(session, ev, email="late@example.org", name="Late")

    assert session.scalar(sa.select(sa.func.count(WebhookDelivery.id))) == 0
