"""The event's directory: people who chose to be listed, searched and ranked for the reader,
and asking one of them to meet."""

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import throttle
from matchmaker.attendee import bp
from matchmaker.attendee.forms import AskForm
from matchmaker.attendee.introductions import notice_for
from matchmaker.extensions import db
from matchmaker.i18n import said
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.introductions import requests
from matchmaker.web import show_errors


@bp.get("/events/<slug>/people")
@login_required
def directory(slug: str):
    found = requests.directory(
        db.session,
        slug=slug,
        user_id=current_user.id,
        now=datetime.now(UTC),
        query=request.args.get("q", ""),
    )
    return render_template(
        "attendee/directory.html",
        event=found.reader.event,
        found=found,
        mine=requests.my_requests(db.session, profile=found.reader),
    )


@bp.route("/events/<slug>/people/<int:profile_id>/ask", methods=["GET", "POST"])
@login_required
@throttle.per_person(throttle.REQUESTS_TO_MEET_PER_PERSON)
def ask(slug: str, profile_id: int):
    person = requests.listed_person(
        db.session, slug=slug, user_id=current_user.id, profile_id=profile_id
    )
    form = AskForm()
    if form.validate_on_submit():
        try:
            requests.ask(
                db.session,
                slug=slug,
                user_id=current_user.id,
                asked_id=profile_id,
                note=form.note.data or "",
                now=datetime.now(UTC),
                notice=notice_for(slug),
            )
        except Invalid as error:
            show_errors(form, error)
        except Conflict as error:
            flash(said(error), "error")
            return redirect(url_for(".directory", slug=slug))
        else:
            flash(_("You asked %(name)s to meet: see “Your requests” below.", name=person.name),
                  "success")  # fmt: skip
            return redirect(url_for(".directory", slug=slug))
    status = 400 if form.errors else 200
    page = render_template("attendee/ask.html", event=person.event, person=person, form=form)
    return page, status
