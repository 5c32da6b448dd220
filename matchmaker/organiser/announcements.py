"""Messages to the event's attendees: remind those who have not answered, or write to
everyone (with a preview first)."""

from datetime import UTC, datetime

from flask import flash, g, redirect, render_template, url_for
from flask_babel import ngettext
from flask_login import current_user

from matchmaker import throttle
from matchmaker.extensions import db
from matchmaker.i18n import said
from matchmaker.mailer import current_mailer
from matchmaker.organiser import bp
from matchmaker.organiser.forms import MessageForm
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.introductions import announcements
from matchmaker.web import external_url, show_errors


def _now() -> datetime:
    return datetime.now(UTC)


def _page(form: MessageForm, preview: tuple[str, str] | None = None, status: int = 200):
    event = g.event
    now = _now()
    page = render_template(
        "organiser/messages.html",
        event=event,
        form=form,
        preview=preview,
        waiting=announcements.waiting_for_answers(db.session, event=event, now=now),
        everyone=announcements.everyone(db.session, event=event),
        left=announcements.messages_left(db.session, event=event, now=now),
        sent=announcements.sent_messages(db.session, event=event),
        per_day=announcements.MESSAGES_PER_DAY,
    )
    return page, status


def _link() -> str:
    return external_url("attendee.introductions", slug=g.event.slug)


@bp.get("/events/<int:event_id>/messages")
def messages(event_id: int):
    return _page(MessageForm())


@bp.post("/events/<int:event_id>/messages/remind")
@throttle.per_person(throttle.ORGANISER_MESSAGES)
def remind_unanswered(event_id: int):
    try:
        sent = announcements.remind_unanswered(
            db.session, event=g.event, actor_id=current_user.id, now=_now(),
            mailer=current_mailer(), link=_link(),
        )  # fmt: skip
    except Conflict as error:
        flash(said(error), "error")
    else:
        flash(
            ngettext(
                "A reminder is on its way to %(num)d attendee.",
                "A reminder is on its way to %(num)d attendees.",
                sent,
            ),
            "success",
        )
    return redirect(url_for(".messages", event_id=event_id))


@bp.post("/events/<int:event_id>/messages")
@throttle.per_person(throttle.ORGANISER_MESSAGES)
def message_everyone(event_id: int):
    form = MessageForm()
    if not form.validate_on_submit():
        return _page(form, status=400)
    if not form.send.data:  # "Preview": show it as attendees will read it, nothing sent
        try:
            shown = announcements.check_message(form.subject.data or "", form.body.data or "")
        except Invalid as error:
            show_errors(form, error)
            return _page(form, status=400)
        return _page(form, preview=shown)
    try:
        sent = announcements.message_everyone(
            db.session, event=g.event, actor_id=current_user.id, subject=form.subject.data or "",
            body=form.body.data or "", now=_now(), mailer=current_mailer(), link=_link(),
        )  # fmt: skip
    except Invalid as error:
        show_errors(form, error)
        return _page(form, status=400)
    except Conflict as error:
        form.form_errors.append(said(error))
        return _page(form, status=409)
    flash(
        ngettext(
            "Your message is on its way to %(num)d attendee.",
            "Your message is on its way to %(num)d attendees.",
            sent,
        ),
        "success",
    )
    return redirect(url_for(".messages", event_id=event_id))
