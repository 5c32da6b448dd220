"""The organiser's API tokens: made with a name and a scope, shown once, revoked."""

from datetime import UTC, datetime

from flask import flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_login import current_user

from matchmaker import throttle
from matchmaker.extensions import db
from matchmaker.organiser import bp
from matchmaker.organiser.forms import ApiTokenForm
from matchmaker.services.errors import Invalid
from matchmaker.services.people import api_tokens
from matchmaker.web import show_errors


@bp.route("/tokens", methods=["GET", "POST"])
@throttle.per_person(throttle.TOKENS_PER_ORGANISER)
def tokens():
    form = ApiTokenForm()
    made = None
    if form.validate_on_submit():
        try:
            made = api_tokens.create_token(
                db.session,
                user=current_user,
                name=form.name.data,
                scope=form.scope.data,
                now=datetime.now(UTC),
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            form = ApiTokenForm(formdata=None)
    status = 400 if form.errors else 200
    listed = api_tokens.list_tokens(db.session, user_id=current_user.id)
    page = render_template("organiser/tokens.html", form=form, tokens=listed, made=made)
    return page, status, {"Cache-Control": "no-store"}


@bp.post("/tokens/<int:token_id>/revoke")
def revoke_token(token_id: int):
    token = api_tokens.revoke_token(
        db.session, user_id=current_user.id, token_id=token_id, now=datetime.now(UTC)
    )
    flash(_("The token “%(name)s” is revoked: calls with it are refused from now on.",
            name=token.name), "success")  # fmt: skip
    return redirect(url_for(".tokens"))
