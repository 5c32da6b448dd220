"""An attendee's introductions (accept or decline each, privately), one meeting in full with
what they say happened, another time for it, and their schedule to read or print."""

from datetime import UTC, datetime

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import throttle
from matchmaker.attendee import bp
from matchmaker.attendee.forms import AnotherTimeForm, AnswerForm, OutcomeForm, TimeAnswerForm
from matchmaker.extensions import db
from matchmaker.i18n import said, said_each, written
from matchmaker.mailer import current_mailer
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.introductions import (
    answers,
    at_the_table,
    free_now,
    reading,
    rescheduling,
)
from matchmaker.web import external_url, show_errors


def _now() -> datetime:
    return datetime.now(UTC)


def _meeting_notice(slug: str, meeting_id: int) -> Notice:
    """Where messages about another time point: the meeting's page."""
    link = external_url("attendee.introduction", slug=slug, meeting_id=meeting_id)
    return Notice(current_mailer(), link)


def notice_for(slug: str) -> Notice:
    """Where messages about changed introductions point: the attendee's introductions."""
    return Notice(current_mailer(), external_url("attendee.introductions", slug=slug))


@bp.get("/events/<slug>/introductions", endpoint="introductions")
@login_required
def introductions_page(slug: str):
    now = _now()
    found = reading.my_introductions(db.session, slug=slug, user_id=current_user.id, now=now)
    return render_template(
        "attendee/introductions.html",
        found=found,
        event=found.event,
        free=free_now.free_now_state(found.profile, now),
    )


def _meeting_page(slug: str, meeting_id: int, outcome_form: OutcomeForm | None = None):
    event, item = _own_meeting(slug, meeting_id)
    if outcome_form is None:
        outcome_form = OutcomeForm(
            outcome=item.outcome or "", rating=str(item.rating or ""), note=item.note
        )
    status = 400 if outcome_form.errors else 200
    table = None
    if item.takes_place and item.starts_at - at_the_table.CHECK_IN_OPENS <= _now() < item.ends_at:
        table = at_the_table.at_the_table(
            db.session, slug=slug, user_id=current_user.id, meeting_id=meeting_id, now=_now()
        )
    suggestion = None
    if item.can_answer:
        suggestion = rescheduling.open_suggestion(
            db.session, user_id=current_user.id, meeting_id=meeting_id, zone=event.zone
        )
    return render_template(
        "attendee/introduction.html",
        event=event,
        item=item,
        outcome_form=outcome_form,
        suggestion=suggestion,
        table=table,
    ), status


def _own_meeting(slug: str, meeting_id: int):
    """The attendee's own meeting; NotFound (404) before anything else for anyone else."""
    return reading.my_introduction(
        db.session, slug=slug, user_id=current_user.id, meeting_id=meeting_id, now=_now()
    )


@bp.get("/events/<slug>/introductions/<int:meeting_id>")
@login_required
def introduction(slug: str, meeting_id: int):
    return _meeting_page(slug, meeting_id)


@bp.post("/events/<slug>/introductions/<int:meeting_id>/answer")
@login_required
@throttle.per_person(throttle.ANSWERS_PER_PERSON)
def answer(slug: str, meeting_id: int):
    _own_meeting(slug, meeting_id)
    form = AnswerForm()
    # Back to the top of the list, where the message says what happened (and any new
    # introduction shows).
    back = redirect(url_for(".introductions", slug=slug))
    if not form.validate_on_submit() or not (form.accept.data or form.decline.data):
        flash(_("Choose Accept or Decline."), "error")
        return back
    try:
        made = answers.respond(
            db.session,
            slug=slug,
            user_id=current_user.id,
            meeting_id=meeting_id,
            accept=bool(form.accept.data),
            now=_now(),
            notice=notice_for(slug),
        )
    except (Conflict, Invalid) as error:
        words = said_each(error.errors).values() if isinstance(error, Invalid) else [[said(error)]]
        flash(" ".join(m for messages in words for m in messages), "error")
        return back
    if form.accept.data:
        flash(_("You accepted. It is confirmed once both of you have."), "success")
    elif made:
        flash(_("You declined. We found you another introduction in the same slot."), "success")
    else:
        flash(_("You declined. Nobody else is free in that slot."), "success")
    return back


@bp.post("/events/<slug>/introductions/<int:meeting_id>/outcome")
@login_required
@throttle.per_person(throttle.OUTCOMES_PER_PERSON)
def outcome(slug: str, meeting_id: int):
    _own_meeting(slug, meeting_id)
    form = OutcomeForm()
    if form.validate_on_submit():
        try:
            answers.record_outcome(
                db.session,
                slug=slug,
                user_id=current_user.id,
                meeting_id=meeting_id,
                outcome=form.outcome.data or None,
                rating=int(form.rating.data) if form.rating.data else None,
                note=form.note.data or "",
                now=_now(),
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("Saved. Only you see your rating and note."), "success")
            return redirect(url_for(".introduction", slug=slug, meeting_id=meeting_id))
    return _meeting_page(slug, meeting_id, form)


@bp.get("/events/<slug>/schedule")
@login_required
def schedule(slug: str):
    found = reading.my_introductions(
        db.session, slug=slug, user_id=current_user.id, now=_now(), full=False
    )
    return render_template(
        "attendee/schedule.html",
        found=found,
        event=found.event,
        items=found.taking_place,
    )


@bp.route("/events/<slug>/introductions/<int:meeting_id>/another-time", methods=["GET", "POST"])
@login_required
@throttle.per_person(throttle.ANSWERS_PER_PERSON)
def another_time(slug: str, meeting_id: int):
    event, item = _own_meeting(slug, meeting_id)
    found = rescheduling.other_times(
        db.session, slug=slug, user_id=current_user.id, meeting_id=meeting_id, now=_now()
    )
    back = redirect(url_for(".introduction", slug=slug, meeting_id=meeting_id))
    if found.why_fixed:
        flash(_(found.why_fixed), "error")
        return back
    form = AnotherTimeForm()
    form.slot_id.choices = [
        (t.slot_id, f"{written(t.starts_at, 'day_time')}–{written(t.ends_at, 'clock')}")
        for t in found.times
    ]
    if form.validate_on_submit():
        try:
            rescheduling.suggest(
                db.session,
                slug=slug,
                user_id=current_user.id,
                meeting_id=meeting_id,
                slot_id=form.slot_id.data,
                now=_now(),
                notice=_meeting_notice(slug, meeting_id),
            )
        except Invalid as error:
            show_errors(form, error)
        except Conflict as error:
            flash(said(error), "error")
            return back
        else:
            names = ", ".join(p.name for p in item.people)
            flash(
                _(
                    "You suggested another time. %(names)s confirms it or keeps the current "
                    "time; until then the meeting stays where it is.",
                    names=names,
                ),
                "success",
            )
            return back
    status = 400 if form.errors else 200
    page = render_template(
        "attendee/another_time.html", event=event, item=item, found=found, form=form
    )
    return page, status


@bp.post("/events/<slug>/introductions/<int:meeting_id>/another-time/answer")
@login_required
@throttle.per_person(throttle.ANSWERS_PER_PERSON)
def time_answer(slug: str, meeting_id: int):
    _own_meeting(slug, meeting_id)
    form = TimeAnswerForm()
    back = redirect(url_for(".introduction", slug=slug, meeting_id=meeting_id))
    if not form.validate_on_submit() or not (form.confirm.data or form.keep.data):
        flash(_("Choose to confirm the new time or to keep the current one."), "error")
        return back
    try:
        rescheduling.answer(
            db.session,
            slug=slug,
            user_id=current_user.id,
            meeting_id=meeting_id,
            confirm=bool(form.confirm.data),
            now=_now(),
            notice=_meeting_notice(slug, meeting_id),
        )
    except Conflict as error:
        flash(said(error), "error")
        return back
    if form.confirm.data:
        flash(_("Confirmed: the meeting moved to the new time, in your schedule and calendar."),
              "success")  # fmt: skip
    else:
        flash(_("The meeting stays where it is."), "success")
    return back
