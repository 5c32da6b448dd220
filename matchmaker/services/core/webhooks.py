"""Organisers' webhooks: an address per event told of attendees joining, a plan published,
a meeting of the published schedule changed, and an answer given.

What is told is noticed where it is written, whatever wrote it (a page, the API, a job): the
session's flushes note new profiles, a run becoming the schedule, a published meeting made,
moved or cancelled (its calendar sequence raised), and an answer to it; at commit the notes
become deliveries of the event's webhooks, in the same transaction, so that nothing is told
that did not happen and nothing that happened goes untold. Bodies are thin (ids, a kind of
change): the receiver reads the rest through the API, which never says who declined.

Deliveries follow the Standard Webhooks specification (headers `webhook-id`,
`webhook-timestamp`, `webhook-signature`: HMAC-SHA256 over "id.timestamp.body", signed by the
`standardwebhooks` library). A background job sends what is due, retries with growing waits,
and keeps each delivery's last answer for the organisers' log."""

import base64
import json
import secrets
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session
from standardwebhooks.webhooks import Webhook as Signer

from matchmaker.models import Event, MatchRun, Meeting, MeetingSeat, Profile, Webhook
from matchmaker.models import WebhookDelivery as Delivery
from matchmaker.models.webhook import URL_MAX, WEBHOOK_KINDS
from matchmaker.services.core import claims, targets
from matchmaker.services.core.access import load_for_event
from matchmaker.services.core.moments import aware
from matchmaker.services.errors import Invalid
from matchmaker.vocabulary import Response

MOST_PER_EVENT = 10
BATCH = 100
ATTEMPTS = 8  # tried over about an hour before it counts as failed
FIRST_WAIT = timedelta(seconds=30)
LONGEST_WAIT = timedelta(minutes=30)
CLAIM_EXPIRES = timedelta(minutes=10)
PREVIOUS_SECRET_KEPT = timedelta(days=1)
MISSING = "There is no such webhook at this event."
ANSWERS = (Response.ACCEPTED, Response.DECLINED)
_NOTES = "webhooks.notes"
DUE = "webhooks.due"  # set on a session whose commit wrote deliveries (the job is started)


class Change:
    CREATED = "created"
    UPDATED = "updated"  # moved, re-timed, or its people changed
    CANCELLED = "cancelled"


# ---------------------------------------------------------------------------------------------
# The organisers' webhooks


def new_secret() -> str:
    """A signing secret as the Standard Webhooks specification writes it."""
    return "whsec_" + base64.b64encode(secrets.token_bytes(32)).decode("ascii")


def add_webhook(
    session: Session,
    *,
    event: Event,
    url: str,
    kinds: list[str],
    allow_private: bool,
    lookup: targets.Resolve = targets.resolve,
) -> Webhook:
    """A new webhook of the event (flush only); Invalid naming the field for an address that
    is not a public http(s) one, no kind chosen, or too many webhooks."""
    url = (url or "").strip()
    errors: dict[str, list[str]] = {}
    if len(url) > URL_MAX:
        errors["url"] = [f"An address has at most {URL_MAX} characters."]
    else:
        try:
            targets.public_addresses(url, allow_private=allow_private, lookup=lookup)
        except ValueError as error:
            errors["url"] = [str(error)]
    chosen = [k for k in WEBHOOK_KINDS if k in set(kinds)]
    if not chosen or len(chosen) != len(set(kinds)):
        errors["kinds"] = [f"Choose what to send, among: {', '.join(WEBHOOK_KINDS)}."]
    if len(list_webhooks(session, event=event)) >= MOST_PER_EVENT:
        errors["url"] = [f"An event has at most {MOST_PER_EVENT} webhooks: remove one first."]
    if errors:
        raise Invalid(errors)
    webhook = Webhook(event_id=event.id, url=url, kinds=chosen, secret=new_secret())
    session.add(webhook)
    session.flush()
    return webhook


def list_webhooks(session: Session, *, event: Event) -> list[Webhook]:
    """The event's webhooks, oldest first."""
    return list(
        session.scalars(sa.select(Webhook).where(Webhook.event_id == event.id).order_by(Webhook.id))
    )


def get_webhook(session: Session, *, event: Event, webhook_id: int) -> Webhook:
    """One webhook of the event; NotFound for any other."""
    return load_for_event(session, Webhook, webhook_id, event_id=event.id, missing=MISSING)


def rotate_secret(session: Session, *, event: Event, webhook_id: int, now: datetime) -> Webhook:
    """A new signing secret; for a day deliveries are signed with the old one too, so that
    the receiver can change over without losing any (flush only)."""
    webhook = get_webhook(session, event=event, webhook_id=webhook_id)
    webhook.previous_secret, webhook.previous_until = webhook.secret, now + PREVIOUS_SECRET_KEPT
    webhook.secret = new_secret()
    session.flush()
    return webhook


def remove_webhook(session: Session, *, event: Event, webhook_id: int) -> None:
    """Remove a webhook and its log; what was not delivered is not sent (flush only)."""
    session.delete(get_webhook(session, event=event, webhook_id=webhook_id))
    session.flush()


@dataclass(frozen=True)
class Log:
    deliveries: list[Delivery]
    total: int
    page: int
    pages: int


def delivery_log(session: Session, *, event: Event, page: int = 1, per_page: int = 50) -> Log:
    """The event's deliveries, newest first, a page at a time."""
    where = Delivery.webhook_id.in_(sa.select(Webhook.id).where(Webhook.event_id == event.id))
    total = session.scalar(sa.select(sa.func.count(Delivery.id)).where(where)) or 0
    pages = max(1, -(-total // per_page))
    page = min(max(page, 1), pages)
    found = session.scalars(
        sa.select(Delivery)
        .where(where)
        .order_by(Delivery.id.desc())
        .limit(per_page)
        .offset((page - 1) * per_page)
    ).all()
    return Log(list(found), total, page, pages)


# ---------------------------------------------------------------------------------------------
# Noticing what to tell, where it is written


@sa.event.listens_for(Session, "after_flush")
def _notice(session: Session, _context) -> None:
    notes = session.info.setdefault(_NOTES, [])
    for obj in session.new:
        if isinstance(obj, Profile):
            notes.append(("attendee.joined", obj.event_id, None, {"attendee_id": obj.id}))
        elif isinstance(obj, Meeting):
            notes.append(("meeting.changed", None, obj.run_id,
                          {"meeting_id": obj.id, "change": Change.CREATED}))  # fmt: skip
    for obj in session.dirty:
        if isinstance(obj, Event):
            added = sa.inspect(obj).attrs.published_run_id.history.added
            if added and added[0] is not None:
                notes.append(("plan.published", obj.id, None, {"run_id": added[0]}))
        elif isinstance(obj, Meeting):
            state = sa.inspect(obj).attrs
            if state.sequence.history.added:
                cancelled = state.cancelled_at.history.added
                change = Change.CANCELLED if cancelled and cancelled[0] else Change.UPDATED
                notes.append(("meeting.changed", None, obj.run_id,
                              {"meeting_id": obj.id, "change": change}))  # fmt: skip
        elif isinstance(obj, MeetingSeat):
            added = sa.inspect(obj).attrs.response.history.added
            if added and added[0] in ANSWERS:
                notes.append(("answer.given", None, None, {"meeting_id": obj.meeting_id}))


@sa.event.listens_for(Session, "after_rollback")
def _forget(session: Session) -> None:
    session.info.pop(_NOTES, None)


@sa.event.listens_for(Session, "before_commit")
def _write_deliveries(session: Session) -> None:
    if session.in_nested_transaction():
        return
    session.flush()
    notes = session.info.pop(_NOTES, None)
    if not notes:
        return
    told = _to_tell(session, notes)
    if not told:
        return
    hooks = session.execute(
        sa.select(Webhook.id, Webhook.event_id, Webhook.kinds).where(
            Webhook.event_id.in_({event_id for _, event_id, _ in told})
        )
    ).all()
    rows = []
    when = datetime.now(UTC).isoformat(timespec="seconds")
    for kind, event_id, data in told:
        body = json.dumps(
            {"type": kind, "timestamp": when, "data": {"event_id": event_id, **data}},
            separators=(",", ":"),
        )
        for hook_id, hook_event, kinds in hooks:
            if hook_event == event_id and kind in kinds:
                rows.append({"webhook_id": hook_id, "message_id": "msg_" + secrets.token_hex(16),
                             "kind": kind, "body": body, "status": "queued", "attempts": 0,
                             "error": ""})  # fmt: skip
    if rows:
        session.execute(sa.insert(Delivery), rows)
        session.info[DUE] = True


def _to_tell(session: Session, notes: list[tuple]) -> list[tuple[str, int, dict]]:
    """The notes as (kind, event id, data), once each, only for events with webhooks and
    only for meetings of the published schedule (not those of a run published in the same
    transaction: its publication is told as one)."""
    runs = {run_id for _, _, run_id, _ in notes if run_id is not None}
    meetings = {d["meeting_id"] for kind, _, run_id, d in notes if kind == "answer.given"}
    run_of: dict[int, int] = {}
    if meetings:
        run_of = dict(session.execute(
            sa.select(Meeting.id, Meeting.run_id).where(Meeting.id.in_(meetings))
        ).all())  # fmt: skip
        runs |= set(run_of.values())
    event_of: dict[int, tuple[int, int | None]] = {}
    if runs:
        event_of = {
            run_id: (event_id, published)
            for run_id, event_id, published in session.execute(
                sa.select(MatchRun.id, MatchRun.event_id, Event.published_run_id)
                .join(Event, Event.id == MatchRun.event_id)
                .where(MatchRun.id.in_(runs))
            )
        }
    events = {e for _, e, _, _ in notes if e is not None} | {e for e, _ in event_of.values()}
    with_hooks = set(
        session.scalars(sa.select(Webhook.event_id).where(Webhook.event_id.in_(events)).distinct())
    )
    if not with_hooks:
        return []
    just_published = {d["run_id"] for kind, _, _, d in notes if kind == "plan.published"}
    told: dict[tuple, tuple[str, int, dict]] = {}
    for kind, event_id, run_id, data in notes:
        if kind == "answer.given":
            run_id = run_of.get(data["meeting_id"])
        if run_id is not None:
            event_id, published = event_of.get(run_id, (None, None))
            if run_id != published or run_id in just_published:
                continue  # a plan nobody sees, or one whose publication is told
        if event_id not in with_hooks:
            continue
        key = (kind, event_id, data.get("meeting_id", data.get("attendee_id", data.get("run_id"))))
        if kind == "meeting.changed" and key in told:
            first = told[key][2]["change"]
            if first == Change.CREATED or data["change"] == Change.UPDATED:
                continue  # made in this transaction, or cancelled and changed: say it once
        told[key] = (kind, event_id, data)
    return list(told.values())


# ---------------------------------------------------------------------------------------------
# Sending


Post = Callable[[str, list[str], bytes, dict[str, str]], int]


def signatures(webhook: Webhook, message_id: str, when: datetime, body: str) -> str:
    """The `webhook-signature` header: the body signed with the secret, and with the previous
    one while it is still kept."""
    keys = [webhook.secret]
    if webhook.previous_secret and webhook.previous_until and aware(webhook.previous_until) > when:
        keys.append(webhook.previous_secret)
    return " ".join(Signer(key).sign(message_id, when, body) for key in keys)


def retry_wait(attempts: int) -> timedelta:
    """How long to wait before the next try, after `attempts` failed ones."""
    return min(FIRST_WAIT * 2 ** (attempts - 1), LONGEST_WAIT)


def waiting(session: Session, *, now: datetime) -> int:
    """How many deliveries are due now."""
    return claims.waiting(session, Delivery, now=now)


def release_abandoned(session: Session, *, now: datetime) -> int:
    """Deliveries a sender took and never marked (its process stopped): due again; flush
    only."""
    return claims.release_abandoned(session, Delivery, now=now, expires=CLAIM_EXPIRES)


def deliver_due(
    session: Session,
    post: Post,
    *,
    clock: Callable[[], datetime],
    allow_private: bool,
    lookup: targets.Resolve = targets.resolve,
) -> tuple[int, int]:
    """The webhook job: send every due delivery, signed at the moment it leaves, and record
    each one's answer (delivered on a 2xx; else due again later, or failed after ATTEMPTS
    tries). The address is checked again each time, on what its name resolves to now.
    Returns (delivered, not delivered)."""
    release_abandoned(session, now=clock())
    session.commit()
    delivered = missed = 0
    while batch := claims.claim_due(session, Delivery, now=clock(), limit=BATCH):
        for delivery in batch:
            if _send(delivery, post, clock, allow_private, lookup):
                delivered += 1
            else:
                missed += 1
        session.commit()
    return delivered, missed


def _send(delivery: Delivery, post: Post, clock, allow_private: bool, lookup) -> bool:
    webhook = delivery.webhook
    when = clock()
    headers = {
        "Content-Type": "application/json",
        "User-Agent": "matchmaker-webhooks/1",
        "webhook-id": delivery.message_id,
        "webhook-timestamp": str(int(when.timestamp())),
        "webhook-signature": signatures(webhook, delivery.message_id, when, delivery.body),
    }
    try:
        addresses = targets.public_addresses(webhook.url, allow_private=allow_private,
                                             lookup=lookup)  # fmt: skip
        status = post(webhook.url, addresses, delivery.body.encode("utf-8"), headers)
    except Exception as error:  # noqa: BLE001 - a receiver's fault spoils no other delivery
        delivery.response_status = None
        _missed(delivery, f"{type(error).__name__}: {error}", clock())
        return False
    delivery.response_status = status
    if 200 <= status < 300:
        delivery.status, delivery.delivered_at, delivery.error = "delivered", clock(), ""
        return True
    _missed(delivery, f"the receiver answered {status}", clock())
    return False


def _missed(delivery: Delivery, error: str, now: datetime) -> None:
    delivery.error = error[:2000]
    if delivery.attempts >= ATTEMPTS:
        delivery.status = "failed"
    else:
        delivery.status, delivery.due_at = "queued", now + retry_wait(delivery.attempts)
