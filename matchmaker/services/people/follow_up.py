"""After the event: two days after its last day, one message to each attendee with the people
they met (those who share contact details as vCards attached), once; and for each connection a
private "next step" with an optional date, reminded on that date, once per date."""

from datetime import UTC, date, datetime, timedelta

import sqlalchemy as sa
from sqlalchemy.orm import Session

from matchmaker.exports.contacts import connections_vcf
from matchmaker.models import Event, NextStep, Profile, User
from matchmaker.models.user import NEXT_STEP_MAX
from matchmaker.services.core.messages import Attachment, Mail, Mailer, render_mail, say
from matchmaker.services.errors import Invalid, NotFound
from matchmaker.services.people.connections import my_connections
from matchmaker.vocabulary import N_

# The follow-up leaves this long after the event's last day, and no later than this.
AFTER = timedelta(days=2)
UNTIL = timedelta(days=9)


def _due_events(session: Session, now: datetime) -> list[Event]:
    """Published events whose follow-up is due: their last day ended two to nine days ago
    (where each is); older ones are left alone (a new server does not write to last year's
    attendees)."""
    today = now.date()
    near = session.scalars(
        sa.select(Event).where(
            Event.published_run_id.is_not(None),
            Event.ends_on <= today - AFTER + timedelta(days=1),
            Event.ends_on >= today - UNTIL - timedelta(days=1),
        )
    )
    due = []
    for event in near:
        local = now.astimezone(event.zone).date()
        if event.ends_on + AFTER <= local <= event.ends_on + UNTIL:
            due.append(event)
    return due


def follow_ups_due(session: Session, *, now: datetime) -> int:
    """How many events have a follow-up due."""
    return len(_due_events(session, now))


def send_follow_ups(session: Session, *, now: datetime, mailer: Mailer, link: str) -> int:
    """Write the follow-up of each event due to each of its attendees who met someone there,
    once (the profile is marked in this transaction; two senders mark different ones).
    Returns how many; flush only."""
    sent = 0
    for event in _due_events(session, now):
        claimed = session.scalars(
            sa.update(Profile)
            .where(Profile.event_id == event.id, Profile.followed_up_at.is_(None))
            .values(followed_up_at=now)
            .returning(Profile.id)
            .execution_options(synchronize_session=False)
        ).all()
        people = session.execute(
            sa.select(Profile.id, Profile.name, User.id, User.email, User.language)
            .join(User, User.id == Profile.user_id)
            .where(Profile.id.in_(claimed))
            .order_by(Profile.id)
        ).all()
        for _, name, user_id, email, language in people:
            met = [c for c in my_connections(session, user_id=user_id) if c.event_id == event.id]
            if not met:
                continue
            sharing = [c for c in met if c.shares_contact]
            files = ()
            if sharing:
                card = connections_vcf(sharing)
                files = (Attachment(f"{event.slug}-people-you-met.vcf", card.content_type,
                                    card.data),)  # fmt: skip
            mailer.send(
                Mail(
                    to=email,
                    subject=say(language, N_("%(event)s: the people you met"),
                                event=event.name),
                    body=render_mail("follow_up", language, event=event, reader=name, met=met,
                                     sharing=sharing, link=link),
                    attachments=files,
                )
            )  # fmt: skip
            sent += 1
    session.flush()
    return sent


def my_next_steps(session: Session, *, user_id: int) -> dict[int, NextStep]:
    """The user's next steps, by the other person's user id."""
    return {
        step.other_user_id: step
        for step in session.scalars(sa.select(NextStep).where(NextStep.user_id == user_id))
    }


def save_next_step(
    session: Session, *, user_id: int, other_user_id: int, text: str, remind_on: date | None,
    now: datetime,
) -> NextStep:  # fmt: skip
    """Keep what the user means to do next with someone they met (theirs alone), and the day
    to be reminded; a new day is reminded again. NotFound for anyone who is not one of their
    connections. Flush only."""
    if other_user_id not in {c.user_id for c in my_connections(session, user_id=user_id)}:
        raise NotFound(N_("That person is not one of your connections."))
    text = text.strip()
    errors = {}
    if len(text) > NEXT_STEP_MAX:
        errors["text"] = [f"Keep it to {NEXT_STEP_MAX} characters ({len(text)} now)."]
    if remind_on is not None and remind_on < now.date():
        errors["remind_on"] = [N_("Choose today or a day to come.")]
    if remind_on is not None and not text:
        errors["text"] = [N_("Say what the next step is, to be reminded of it.")]
    if errors:
        raise Invalid(errors)
    step = session.scalar(
        sa.select(NextStep).where(
            NextStep.user_id == user_id, NextStep.other_user_id == other_user_id
        )
    )
    if step is None:
        step = NextStep(user_id=user_id, other_user_id=other_user_id)
        session.add(step)
    if step.remind_on != remind_on:
        step.reminded_at = None
    step.text, step.remind_on, step.updated_at = text, remind_on, now
    session.flush()
    return step


def next_steps_due(session: Session, *, now: datetime) -> int:
    """How many next steps are due to be reminded."""
    return session.scalar(
        sa.select(sa.func.count(NextStep.id)).where(
            NextStep.remind_on <= now.astimezone(UTC).date(), NextStep.reminded_at.is_(None)
        )
    )


def send_next_step_reminders(session: Session, *, now: datetime, mailer: Mailer, link: str) -> int:
    """Remind each next step whose day has come (UTC), once per day set (marked in this
    transaction). Returns how many; flush only."""
    claimed = session.scalars(
        sa.update(NextStep)
        .where(
            NextStep.remind_on <= now.astimezone(UTC).date(),
            NextStep.reminded_at.is_(None),
            NextStep.text != "",
        )
        .values(reminded_at=now)
        .returning(NextStep.id)
        .execution_options(synchronize_session=False)
    ).all()
    other = sa.orm.aliased(User)
    rows = session.execute(
        sa.select(NextStep.text, User.email, User.name, User.language, other.name.label("other"))
        .join(User, User.id == NextStep.user_id)
        .join(other, other.id == NextStep.other_user_id)
        .where(NextStep.id.in_(claimed))
        .order_by(NextStep.id)
    ).all()
    for row in rows:
        mailer.send(
            Mail(
                to=row.email,
                subject=say(row.language, N_("Your next step with %(name)s"), name=row.other),
                body=render_mail("next_step", row.language, reader=row.name, other=row.other,
                                 text=row.text, link=link),
            )
        )  # fmt: skip
    session.flush()
    return len(rows)
