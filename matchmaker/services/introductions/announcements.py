"""Messages from organisers to their attendees: a reminder to those who have introductions
waiting for their answer, and a message to everyone (previewed before it goes). Both go by
the queue (the outbox of the request's transaction), are kept on record, and at most
MESSAGES_PER_DAY leave per event in 24 hours."""

from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.models import Event, Meeting, MeetingSeat, OrganiserMessage, Profile, Slot, User
from matchmaker.services.core.messages import Mail, Mailer, render_mail, say
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.vocabulary import N_, MeetingKind, Response

MESSAGES_PER_DAY = 3
SUBJECT_MAX = 120
BODY_MAX = 5000
TOO_MANY = (
    f"{MESSAGES_PER_DAY} messages have gone to this event's attendees in the last 24 hours, "
    "the most a day allows: people stop reading mail that comes too often."
)


@dataclass(frozen=True)
class Waiting:
    """Someone with introductions waiting for their answer."""

    profile_id: int
    name: str
    email: str
    language: str | None
    waiting: int


def messages_left(session: Session, *, event: Event, now: datetime) -> int:
    """How many more messages may go to the event's attendees in the next 24 hours."""
    sent = session.scalar(
        sa.select(sa.func.count(OrganiserMessage.id)).where(
            OrganiserMessage.event_id == event.id,
            OrganiserMessage.created_at > now - timedelta(days=1),
        )
    )
    return max(0, MESSAGES_PER_DAY - sent)


def sent_messages(session: Session, *, event: Event) -> list[OrganiserMessage]:
    """What was sent to the event's attendees, newest first."""
    return list(
        session.scalars(
            sa.select(OrganiserMessage)
            .where(OrganiserMessage.event_id == event.id)
            .order_by(OrganiserMessage.created_at.desc(), OrganiserMessage.id.desc())
        )
    )


def waiting_for_answers(session: Session, *, event: Event, now: datetime) -> list[Waiting]:
    """The attendees with one-to-one introductions of the published schedule still to come
    that they have not answered, by name."""
    if event.published_run_id is None:
        return []
    local = now.astimezone(event.zone).replace(tzinfo=None)
    rows = session.execute(
        sa.select(Profile.id, Profile.name, User.email, User.language, sa.func.count())
        .join(MeetingSeat, MeetingSeat.profile_id == Profile.id)
        .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
        .join(Slot, Slot.id == Meeting.slot_id)
        .join(User, User.id == Profile.user_id)
        .where(
            Meeting.run_id == event.published_run_id,
            Meeting.cancelled_at.is_(None),
            Meeting.kind == MeetingKind.ONE_TO_ONE,
            MeetingSeat.response == Response.PENDING,
            Slot.starts_at > local,
        )
        .group_by(Profile.id, Profile.name, User.email, User.language)
        .order_by(sa.func.lower(Profile.name), Profile.id)
    ).all()
    return [Waiting(*row) for row in rows]


def _keep(session, event, kind, subject, body, recipients, actor_id, now) -> None:
    if messages_left(session, event=event, now=now) <= 0:
        raise Conflict(TOO_MANY)
    session.add(
        OrganiserMessage(
            event_id=event.id, kind=kind, subject=subject, body=body, recipients=recipients,
            sent_by_id=actor_id, created_at=now,
        )
    )  # fmt: skip
    session.flush()


def remind_unanswered(
    session: Session, *, event: Event, actor_id: int, now: datetime, mailer: Mailer, link: str
) -> int:
    """Remind each attendee with introductions waiting for their answer, one message each;
    returns how many (Conflict when nobody waits or the day's messages are used up)."""
    waiting = waiting_for_answers(session, event=event, now=now)
    if not waiting:
        raise Conflict("Nobody has an introduction waiting for an answer.")
    subject = N_("%(event)s: introductions waiting for your answer")
    _keep(session, event, "remind", say(None, subject, event=event.name), "", len(waiting),
          actor_id, now)  # fmt: skip
    for person in waiting:
        mailer.send(
            Mail(
                to=person.email,
                subject=say(person.language, subject, event=event.name),
                body=render_mail("remind_answers", person.language, event=event,
                                 reader=person.name, waiting=person.waiting, link=link),
            )
        )  # fmt: skip
    return len(waiting)


def check_message(subject: str, body: str) -> tuple[str, str]:
    """The subject and text of a message to everyone, trimmed; Invalid naming each field
    that is empty or too long."""
    subject, body = " ".join(subject.split()), body.strip()
    errors = {}
    if not subject:
        errors["subject"] = ["Give the message a subject."]
    elif len(subject) > SUBJECT_MAX:
        errors["subject"] = [f"Keep the subject to {SUBJECT_MAX} characters ({len(subject)} now)."]
    if not body:
        errors["body"] = ["Write the message."]
    elif len(body) > BODY_MAX:
        errors["body"] = [f"Keep the message to {BODY_MAX} characters ({len(body)} now)."]
    if errors:
        raise Invalid(errors)
    return subject, body


def everyone(session: Session, *, event: Event) -> int:
    """How many attendees a message to everyone goes to."""
    return session.scalar(sa.select(sa.func.count(Profile.id)).where(Profile.event_id == event.id))


def message_everyone(
    session: Session,
    *,
    event: Event,
    actor_id: int,
    subject: str,
    body: str,
    now: datetime,
    mailer: Mailer,
    link: str,
) -> int:
    """Send the organisers' message to every attendee of the event, one each; returns how
    many (Invalid for an empty or too long field, Conflict past the day's messages)."""
    subject, body = check_message(subject, body)
    people = session.execute(
        sa.select(Profile.name, User.email, User.language)
        .join(User, User.id == Profile.user_id)
        .where(Profile.event_id == event.id)
        .order_by(Profile.id)
    ).all()
    if not people:
        raise Conflict("Nobody has joined this event yet.")
    _keep(session, event, "everyone", subject, body, len(people), actor_id, now)
    for name, email, language in people:
        mailer.send(
            Mail(
                to=email,
                subject=f"{event.name}: {subject}",
                body=render_mail("organiser_message", language, event=event, reader=name,
                                 body=body, link=link),
            )
        )  # fmt: skip
    return len(people)
