"""At the table: "I'm here" on the meeting page or by the table's code (the QR code on its sign
opens the meeting there), "find someone else" when a partner has not come, and "I'm free now"."""

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import throttle
from matchmaker.attendee import bp, introductions
from matchmaker.attendee.forms import TableCodeForm
from matchmaker.attendee.introductions import notice_for
from matchmaker.extensions import db
from matchmaker.i18n import said, said_each
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.introductions import at_the_table
from matchmaker.services.introductions import free_now as free_now_service
from matchmaker.services.people.attendance import get_own_profile
from matchmaker.web import show_errors


def _now():
    return introductions._now()  # one clock for the attendee's meeting pages (tests set it)


def _meeting(slug: str, meeting_id: int):
    return redirect(url_for(".introduction", slug=slug, meeting_id=meeting_id))


@bp.post("/events/<slug>/introductions/<int:meeting_id>/here")
@login_required
@throttle.per_person(throttle.ANSWERS_PER_PERSON)
def check_in(slug: str, meeting_id: int):
    try:
        at_the_table.check_in(
            db.session, slug=slug, user_id=current_user.id, meeting_id=meeting_id, now=_now()
        )
    except Conflict as error:
        flash(said(error), "error")
    else:
        flash(_("You are checked in. Enjoy the meeting!"), "success")
    return _meeting(slug, meeting_id)


@bp.post("/events/<slug>/introductions/<int:meeting_id>/someone-else")
@login_required
@throttle.per_person(throttle.ANSWERS_PER_PERSON)
def someone_else(slug: str, meeting_id: int):
    try:
        made = at_the_table.find_someone_else(
            db.session, slug=slug, user_id=current_user.id, meeting_id=meeting_id, now=_now(),
            notice=notice_for(slug),
        )  # fmt: skip
    except Conflict as error:
        flash(said(error), "error")
        return _meeting(slug, meeting_id)
    if made is None:
        flash(at_the_table.NOBODY_FREE, "error")
        return _meeting(slug, meeting_id)
    other = next(s.profile.name for s in made.seats if s.profile.user_id != current_user.id)
    flash(_("%(name)s is on their way to %(place)s: they have just been told.", name=other,
            place=made.location.name), "success")  # fmt: skip
    return _meeting(slug, made.id)


@bp.get("/events/<slug>/here/<code>")
@login_required
def at_table(slug: str, code: str):
    """Where the QR code on a table's sign leads: the reader's meeting there now."""
    try:
        meeting_id = at_the_table.meeting_at(
            db.session, slug=slug, user_id=current_user.id, code=code, now=_now()
        )
    except Invalid as error:
        flash(
            " ".join(m for messages in said_each(error.errors).values() for m in messages), "error"
        )
        return redirect(url_for(".check_in_code", slug=slug))
    return _meeting(slug, meeting_id)


@bp.route("/events/<slug>/here", methods=["GET", "POST"])
@login_required
@throttle.per_person(throttle.ANSWERS_PER_PERSON)
def check_in_code(slug: str):
    """Check in by typing the code on the table's sign."""
    profile = get_own_profile(db.session, slug=slug, user_id=current_user.id)
    form = TableCodeForm()
    if form.validate_on_submit():
        try:
            meeting_id = at_the_table.check_in_by_code(
                db.session, slug=slug, user_id=current_user.id, code=form.code.data, now=_now()
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("You are checked in. Enjoy the meeting!"), "success")
            return _meeting(slug, meeting_id)
    status = 400 if form.errors else 200
    return render_template("attendee/check_in.html", event=profile.event, form=form), status


@bp.post("/events/<slug>/free-now")
@login_required
@throttle.per_person(throttle.ANSWERS_PER_PERSON)
def free_now(slug: str):
    """ "I'm free for the next 30 minutes", or (with `stop`) no longer."""
    back = redirect(url_for(".introductions", slug=slug))
    if request.form.get("stop"):
        free_now_service.not_free(db.session, slug=slug, user_id=current_user.id)
        flash(_("You are no longer marked as free now."), "success")
        return back
    try:
        made = free_now_service.say_free_now(
            db.session, slug=slug, user_id=current_user.id, now=_now(), notice=notice_for(slug)
        )
    except Conflict as error:
        flash(said(error), "error")
        return back
    if made is None:
        flash(
            _("You are free for the next 30 minutes. Nobody free now matches you yet: whoever "
              "says so next may meet you, and you will get a message."),
            "success",
        )  # fmt: skip
        return back
    other = next(s.profile.name for s in made.seats if s.profile.user_id != current_user.id)
    flash(_("Meet %(name)s at %(place)s: they are free now too, and have been told.",
            name=other, place=made.location.name), "success")  # fmt: skip
    return _meeting(slug, made.id)
