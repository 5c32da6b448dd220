"""An attendee's connections (with vCard and CSV downloads, and a private next step for each)
and their own data: hide their
profile from introductions, download everything as JSON, delete their account."""

import json
from datetime import UTC, datetime

from flask import abort, flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, logout_user

from matchmaker import throttle
from matchmaker.attendee import bp
from matchmaker.attendee.forms import DeleteAccountForm, NextStepForm
from matchmaker.errors import render_error
from matchmaker.exports import JSON
from matchmaker.exports.contacts import connections_csv, connections_vcf
from matchmaker.extensions import db, limiter
from matchmaker.mailer import current_mailer
from matchmaker.services import my_data
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict, Gone, Invalid
from matchmaker.services.people import attendance, follow_up
from matchmaker.services.people.connections import my_connections
from matchmaker.web import download, external_url, show_errors


def _connections_page(failed: tuple[int, NextStepForm] | None = None):
    steps = follow_up.my_next_steps(db.session, user_id=current_user.id)
    people = my_connections(db.session, user_id=current_user.id)
    forms = {}
    for c in people:
        step = steps.get(c.user_id)
        forms[c.user_id] = (
            failed[1]
            if failed and failed[0] == c.user_id
            else NextStepForm(
                formdata=None,
                prefix=f"c{c.user_id}",
                text=step.text if step else "",
                remind_on=step.remind_on if step else None,
            )
        )
    page = render_template(
        "attendee/connections.html",
        connections=people,
        forms=forms,
        steps=steps,
    )
    return page, 400 if failed else 200


@bp.get("/connections")
@login_required
def connections():
    return _connections_page()


@bp.post("/connections/<int:user_id>/next-step")
@login_required
@throttle.per_person(throttle.OUTCOMES_PER_PERSON)
def next_step(user_id: int):
    form = NextStepForm(prefix=f"c{user_id}")  # field ids differ per connection on one page
    if form.validate_on_submit():
        try:
            follow_up.save_next_step(
                db.session, user_id=current_user.id, other_user_id=user_id,
                text=form.text.data or "", remind_on=form.remind_on.data,
                now=datetime.now(UTC),
            )  # fmt: skip
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("Saved. Only you see your next steps."), "success")
            return redirect(url_for(".connections") + f"#connection-{user_id}")
    elif user_id not in {c.user_id for c in my_connections(db.session, user_id=current_user.id)}:
        abort(404)
    return _connections_page((user_id, form))


@bp.get("/connections.vcf")
@login_required
def connections_vcard():
    return download(connections_vcf(my_connections(db.session, user_id=current_user.id)))


@bp.get("/connections.csv")
@login_required
def connections_table():
    return download(connections_csv(my_connections(db.session, user_id=current_user.id)))


def _data_page(form: DeleteAccountForm, status: int = 200):
    profiles = attendance.list_attended(db.session, user_id=current_user.id)
    return render_template("attendee/my_data.html", profiles=profiles, form=form), status


@bp.get("/account/data")
@login_required
def data():
    return _data_page(DeleteAccountForm())


@bp.get("/account/data.json")
@login_required
def data_download():
    found = my_data.export_my_data(db.session, user_id=current_user.id)
    body = json.dumps(found, ensure_ascii=False, indent=2).encode()
    return download(JSON.file(body, "my-matchmaker-data"))


@bp.post("/events/<slug>/visibility")
@login_required
@throttle.per_person(throttle.VISIBILITY_CHANGES_PER_PERSON)
def visibility(slug: str):
    hidden = request.form.get("hidden") == "1"
    profile = my_data.set_hidden(db.session, slug=slug, user_id=current_user.id, hidden=hidden)
    if hidden:
        flash(_("You are hidden from introductions at %(event)s.", event=profile.event.name),
              "success")  # fmt: skip
    else:
        flash(_("You are back in introductions at %(event)s.", event=profile.event.name),
              "success")  # fmt: skip
    return redirect(url_for(".data"))


def _too_many_password_checks(_limit):
    form = DeleteAccountForm()
    form.form_errors.append(throttle.TOO_MANY_PASSWORD_CHECKS)
    return make_response(*_data_page(form, 429))


@bp.post("/account/delete")
@login_required
@limiter.limit(
    throttle.FAILED_PASSWORD_CHECKS_PER_ACCOUNT,
    key_func=throttle.user_key,
    methods=["POST"],
    deduct_when=lambda response: response.status_code == 400,  # a wrong password
    on_breach=_too_many_password_checks,
)
def delete_account():
    form = DeleteAccountForm()
    if form.validate_on_submit():
        try:
            my_data.delete_account(
                db.session,
                user_id=current_user.id,
                password=form.password.data,
                now=datetime.now(UTC),
                notice=Notice(current_mailer(), external_url("attendee.events")),
            )
        except Invalid as error:
            show_errors(form, error)
        except Conflict as error:
            form.form_errors.append(error.message)
        except Gone as error:  # deleted by another request of theirs a moment ago
            logout_user()
            return render_error(410, error.message)
        else:
            logout_user()
            flash(_("Your account and everything in it are deleted."), "success")
            return redirect(url_for("main.home"))
    return _data_page(form, 400)
