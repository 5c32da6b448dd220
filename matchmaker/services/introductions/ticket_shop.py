"""Attendees from the event's ticket shop (pretix): connect the event to a pretix event, import
the people of its orders that count (paid; also placed but unpaid when the organisers say so),
and keep in step on pretix's webhooks. A ticket that counts invites its attendee as a line of
an imported list would (or updates someone who has not filled their profile in); a cancelled
or expired order, or a cancelled ticket, takes its attendee out of future runs and out of the
published meetings still to come (their partners are told and offered others), until a
ticket of theirs counts again.

pretix's webhooks carry no signature: as its documentation advises, one is only a trigger to
read the order again through the API, and the address it posts to holds a secret."""

import secrets
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.catalogue import N_
from matchmaker.models import Event, PretixConnection, Profile, User
from matchmaker.models.ticketing import BASE_URL_MAX, SLUG_MAX, TOKEN_MAX
from matchmaker.services.core import targets
from matchmaker.services.core.messages import Mailer, Notice
from matchmaker.services.errors import Invalid, NotFound
from matchmaker.services.planning import publishing
from matchmaker.services.setup import imports
from matchmaker.vocabulary import INTENT_LABELS, INTENTS

FIELDS = {
    "": N_("Not used"),
    "interests": N_("Interests"),
    "company": N_("Company"),
    "headline": N_("Headline (job title)"),
    "seeks": N_("Looking for (mentorship, jobs, ...)"),
    "offers": N_("Can offer (mentorship, jobs, ...)"),
}
PAID, PENDING = "p", "n"
GONE = ("c", "e")  # canceled, expired
NOT_CONNECTED = N_("This event is not connected to pretix.")
UNKNOWN_HOOK = "There is no such pretix connection."
SOURCE = "pretix"


class Shop(Protocol):
    def orders(self) -> Iterable[dict]: ...
    def order(self, code: str) -> dict: ...
    def questions(self) -> list[dict]: ...


@dataclass(frozen=True)
class Context:
    """What inviting someone needs, from the caller."""

    actor_id: int | None
    now: datetime
    mailer: Mailer
    claim_link: Callable[[User], str]
    join_link: str
    limits: imports.InvitationLimits
    notice: Notice


@dataclass(frozen=True)
class Synced:
    invited: int = 0
    updated: int = 0
    kept: int = 0
    rejected: tuple[str, ...] = ()  # "order ABC12, ticket 1: why", one each
    withdrawn: int = 0
    restored: int = 0

    def summary(self) -> str:
        """In words, for the organisers' page."""
        parts = [f"{self.invited} invited", f"{self.updated} updated",
                 f"{self.kept} kept as they wrote it"]  # fmt: skip
        if self.withdrawn:
            parts.append(f"{self.withdrawn} taken out (ticket cancelled)")
        if self.restored:
            parts.append(f"{self.restored} back (a ticket counts again)")
        if self.rejected:
            parts.append(f"{len(self.rejected)} not imported")
        return ", ".join(parts) + "."


# ---------------------------------------------------------------------------------------------
# The connection


def connection_of(session: Session, event: Event) -> PretixConnection | None:
    """The event's pretix connection, if any."""
    return session.scalar(sa.select(PretixConnection).where(PretixConnection.event_id == event.id))


def connect(
    session: Session,
    *,
    event: Event,
    base_url: str,
    organizer: str,
    event_slug: str,
    token: str,
    count_pending: bool,
    allow_private: bool,
    lookup: targets.Resolve = targets.resolve,
) -> PretixConnection:
    """Connect the event to a pretix event, or change its connection (an empty token keeps
    the one saved); Invalid naming each field that is wrong. Flush only."""
    found = connection_of(session, event)
    base_url = (base_url or "").strip().rstrip("/")
    organizer, event_slug, token = (v.strip() for v in (organizer or "", event_slug or "",
                                                         token or ""))  # fmt: skip
    errors: dict[str, list[str]] = {}
    if len(base_url) > BASE_URL_MAX:
        errors["base_url"] = [f"An address has at most {BASE_URL_MAX} characters."]
    else:
        try:
            targets.public_addresses(base_url, allow_private=allow_private, lookup=lookup)
        except ValueError as error:
            errors["base_url"] = [str(error)]
    for field, value in (("organizer", organizer), ("event_slug", event_slug)):
        if not value or len(value) > SLUG_MAX or "/" in value:
            errors[field] = ["Give the short name (slug) as it appears in pretix's addresses."]
    if not token and found is None:
        errors["token"] = ["Give an API token of a pretix team that may read orders."]
    elif len(token) > TOKEN_MAX:
        errors["token"] = [f"A token has at most {TOKEN_MAX} characters."]
    if errors:
        raise Invalid(errors)
    if found is None:
        found = PretixConnection(event_id=event.id, webhook_token=secrets.token_urlsafe(32),
                                 questions=[], mapping={}, last_result="")  # fmt: skip
        session.add(found)
    found.base_url, found.organizer_slug, found.event_slug = base_url, organizer, event_slug
    found.count_pending = count_pending
    if token:
        found.api_token = token
    session.flush()
    return found


def disconnect(session: Session, *, event: Event) -> None:
    """Forget the event's connection; its attendees stay (flush only)."""
    found = connection_of(session, event)
    if found is None:
        raise NotFound(NOT_CONNECTED)
    session.delete(found)
    session.flush()


def load_questions(session: Session, *, event: Event, shop: Shop) -> list[dict]:
    """Read the shop's questions again and keep them, for the organisers to map (flush)."""
    found = _connected(session, event)
    questions = []
    for question in shop.questions():
        text = question.get("question") or {}
        if isinstance(text, dict):
            text = text.get("en") or next(iter(text.values()), "")
        if question.get("identifier"):
            questions.append({"identifier": str(question["identifier"]), "question": str(text),
                              "type": str(question.get("type", ""))})  # fmt: skip
    found.questions = questions
    found.mapping = {k: v for k, v in found.mapping.items()
                     if any(q["identifier"] == k for q in questions)}  # fmt: skip
    session.flush()
    return questions


def save_mapping(session: Session, *, event: Event, mapping: dict[str, str]) -> PretixConnection:
    """Which answers fill which profile field (only the shop's known questions; flush)."""
    found = _connected(session, event)
    known = {q["identifier"] for q in found.questions}
    wrong = [f for k, f in mapping.items() if f not in FIELDS]
    if wrong:
        raise Invalid.field("mapping", f"{wrong[0]!r} is not a profile field.")
    found.mapping = {k: f for k, f in mapping.items() if k in known and f}
    session.flush()
    return found


def _connected(session: Session, event: Event) -> PretixConnection:
    found = connection_of(session, event)
    if found is None:
        raise NotFound(NOT_CONNECTED)
    return found


# ---------------------------------------------------------------------------------------------
# Orders to attendees


def _split(text: str) -> list[str]:
    return [part.strip() for part in text.replace(";", ",").split(",") if part.strip()]


def _intents(text: str) -> list[str]:
    """The intents an answer names, by their value or their label, whatever the case."""
    words = {v.casefold(): v for v in INTENTS} | {
        str(label).casefold(): str(v) for v, label in INTENT_LABELS.items()
    }
    return sorted({words[part.casefold()] for part in _split(text) if part.casefold() in words})


def person_of(order: dict, position: dict, mapping: dict[str, str]) -> dict:
    """What an order position says of its attendee, as an import's columns."""
    email = position.get("attendee_email") or order.get("email") or ""
    address = order.get("invoice_address") or {}
    name = position.get("attendee_name") or address.get("name") or email.split("@")[0]
    person = {"email": email, "name": name, "company": position.get("company") or "",
              "headline": "", "interests": [], "seeks": [], "offers": []}  # fmt: skip
    for answer in position.get("answers") or []:
        field = mapping.get(str(answer.get("question_identifier") or ""))
        text = str(answer.get("answer") or "").strip()
        if not field or not text:
            continue
        if field in ("company", "headline"):
            person[field] = text
        elif field == "interests":
            person["interests"] += _split(text)
        else:
            person[field] += _intents(text)
    return person


def _tickets(order: dict) -> list[dict]:
    """The positions of an order that are people: not add-ons."""
    return [p for p in order.get("positions") or [] if p.get("addon_to") is None]


def _counts(connection: PretixConnection, order: dict) -> bool:
    return order.get("status") == PAID or (
        connection.count_pending and order.get("status") == PENDING
    )


def _sync(
    session: Session, connection: PretixConnection, event: Event, orders: list[dict], ctx: Context
) -> Synced:
    """Bring the event in step with these orders."""
    people, where, gone, seen = [], [], set(), set()
    for order in orders:
        live = _counts(connection, order)
        for position in _tickets(order):
            person = person_of(order, position, connection.mapping)
            email = person["email"].strip().lower()
            if live and not position.get("canceled"):
                if email in seen:
                    continue  # one person, however many tickets
                seen.add(email)
                people.append(person)
                where.append(f"order {order.get('code')}, ticket {position.get('positionid')}")
            elif order.get("status") in GONE or position.get("canceled"):
                gone.add(email)
    invited = updated = kept = 0
    rejected = []
    if people:
        done = imports.import_people(
            session, event=event, actor_id=ctx.actor_id, people=people, source=SOURCE,
            now=ctx.now, mailer=ctx.mailer, claim_link=ctx.claim_link,
            join_link=ctx.join_link, limits=ctx.limits,
        )  # fmt: skip
        for line, one in zip(where, done, strict=True):
            if one.action == imports.Action.REJECT:
                rejected.append(f"{line}: {one.reason}")
            invited += one.action == imports.Action.CREATE
            updated += one.action == imports.Action.UPDATE
            kept += one.action == imports.Action.KEEP
    counted = {p["email"].strip().lower() for p in people}
    restored = _restore(session, event, counted)
    withdrawn = _withdraw(session, event, gone - counted, ctx)
    return Synced(invited, updated, kept, tuple(rejected), withdrawn, restored)


def _profiles(session: Session, event: Event, emails: set[str]) -> list[Profile]:
    if not emails:
        return []
    return list(
        session.scalars(
            sa.select(Profile)
            .join(User, User.id == Profile.user_id)
            .where(Profile.event_id == event.id, User.email.in_(sorted(emails)))
            .order_by(Profile.id)
        )
    )


def _withdraw(session: Session, event: Event, emails: set[str], ctx: Context) -> int:
    """Out of future runs and of the meetings still to come, those whose ticket is gone."""
    count = 0
    for profile in _profiles(session, event, emails):
        if profile.ticket_cancelled_at is not None:
            continue  # taken out already
        profile.ticket_cancelled_at, profile.hidden = ctx.now, True
        session.flush()
        publishing.withdraw(session, event, profile, now=ctx.now, notice=ctx.notice)
        count += 1
    return count


def _restore(session: Session, event: Event, emails: set[str]) -> int:
    """Back in future runs, those taken out whose ticket counts again."""
    count = 0
    for profile in _profiles(session, event, emails):
        if profile.ticket_cancelled_at is not None:
            profile.ticket_cancelled_at, profile.hidden = None, False
            count += 1
    session.flush()
    return count


def import_orders(session: Session, *, event: Event, shop: Shop, ctx: Context) -> Synced:
    """Read every order of the pretix event and bring the event in step: the people of the
    orders that count invited or updated, those of cancelled ones taken out (flush only)."""
    connection = _connected(session, event)
    synced = _sync(session, connection, event, list(shop.orders()), ctx)
    connection.synced_at, connection.last_result = ctx.now, synced.summary()
    session.flush()
    return synced


def connection_for_webhook(session: Session, *, token: str) -> PretixConnection:
    """The connection whose webhook address holds this secret; NotFound for any other."""
    found = session.scalar(
        sa.select(PretixConnection).where(PretixConnection.webhook_token == token)
    )
    if found is None:
        raise NotFound(UNKNOWN_HOOK)
    return found


def on_webhook(
    session: Session, *, connection: PretixConnection, payload: dict, shop: Shop, ctx: Context
) -> Synced | None:
    """A pretix webhook (`{"organizer", "event", "code", "action"}`): for a change of an order
    of the connected event, read that order again and bring its people in step; anything
    else is acknowledged and left alone (None). Flush only."""
    action = str(payload.get("action") or "")
    if not action.startswith("pretix.event.order.") or not payload.get("code"):
        return None
    if (payload.get("organizer"), payload.get("event")) != (
        connection.organizer_slug, connection.event_slug,
    ):  # fmt: skip
        return None
    event = session.get(Event, connection.event_id)
    order = shop.order(str(payload["code"]))
    synced = _sync(session, connection, event, [order], ctx)
    connection.synced_at = ctx.now
    connection.last_result = f"Order {payload['code']} ({action}): {synced.summary()}"
    session.flush()
    return synced
