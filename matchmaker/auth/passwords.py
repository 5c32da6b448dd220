"""Forgotten passwords: ask for a link by mail, then choose a new password through it."""

from flask import current_app, flash, redirect, render_template, url_for
from flask_babel import gettext as _
from flask_babel import lazy_gettext as _l
from flask_login import login_user

from matchmaker import throttle
from matchmaker.auth import bp
from matchmaker.auth.forms import ForgotPasswordForm, NewPasswordForm
from matchmaker.errors import status_of
from matchmaker.extensions import db, limiter
from matchmaker.mailer import current_mailer
from matchmaker.services.errors import Invalid
from matchmaker.services.people import passwords
from matchmaker.web import external_url, show_errors

SENT = _l(
    "If an account uses this address, a link to choose a new password is on its way. "
    "Look in your mail (and its spam folder)."
)


def _too_many_mails(_limit):
    return throttle.refuse("auth/forgot.html", ForgotPasswordForm(), throttle.TOO_MANY_RESET_MAILS)


def _as_if_sent(_limit):
    """Past an account's limit: the same answer as any request, and no more mail (the links
    sent already work), so that strangers neither learn anything nor stop the owner."""
    flash(str(SENT), "info")
    return redirect(url_for(".login"))


def _reset_mails(limit: str, key_func, on_breach=_too_many_mails, exempt_when=None):
    return limiter.limit(
        limit, key_func=key_func, methods=["POST"], on_breach=on_breach, exempt_when=exempt_when
    )


def _link_seconds() -> int:
    return current_app.config["MATCHMAKER_RESET_LINK_SECONDS"]


@bp.route("/password/forgot", methods=["GET", "POST"])
# The account's own limits spare the owner's browser (its device cookie): see throttle.py.
@_reset_mails(
    throttle.RESET_MAILS_PER_ACCOUNT_AT_ADDRESS,
    throttle.account_at_network_key,
    _as_if_sent,
    throttle.trusted_device,
)
@_reset_mails(
    throttle.RESET_MAILS_PER_ACCOUNT, throttle.account_key, _as_if_sent, throttle.trusted_device
)
@_reset_mails(throttle.RESET_MAILS_PER_ADDRESS, throttle.network_key)
def forgot_password():
    form = ForgotPasswordForm()
    if form.validate_on_submit():
        passwords.send_reset_link(
            db.session,
            email=form.email.data,
            secret=current_app.secret_key,
            link_for=lambda token: external_url(".reset_password", token=token),
            hours=_link_seconds() / 3600,
            mailer=current_mailer(),
        )
        flash(str(SENT), "info")
        return redirect(url_for(".login"))
    return render_template("auth/forgot.html", form=form)


def _choose_password(token: str, *, max_age: int, salt: str, claim: bool):
    """A password chosen through a mailed link: the form again (with its errors) or the
    forgotten-password page for a bad link, else None once the password is set and the
    person logged in."""
    secret = current_app.secret_key
    try:
        user = passwords.user_for_reset(
            db.session, token=token, secret=secret, max_age=max_age, salt=salt
        )
    except passwords.ResetLinkInvalid as error:
        form = ForgotPasswordForm(formdata=None)
        form.form_errors.append(error.message)
        return render_template("auth/forgot.html", form=form), status_of(error)
    form = NewPasswordForm()
    if form.validate_on_submit():
        try:
            passwords.reset_password(
                db.session,
                token=token,
                secret=secret,
                max_age=max_age,
                password=form.password.data,
                salt=salt,
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            login_user(user)
            return None
    return render_template("auth/reset.html", form=form, user=user, claim=claim)


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token: str):
    page = _choose_password(token, max_age=_link_seconds(), salt=passwords.RESET_SALT, claim=False)
    if page is not None:
        return page
    flash(_("Your new password is set, and you are logged in."), "success")
    return redirect(url_for(".login"))


@bp.route("/claim/<token>", methods=["GET", "POST"])
def claim_account(token: str):
    """An imported person chooses their first password through the link in their invitation."""
    page = _choose_password(
        token, max_age=passwords.CLAIM_SECONDS, salt=passwords.CLAIM_SALT, claim=True
    )
    if page is not None:
        return page
    flash(_("Welcome! Your account is ready: fill in your profile."), "success")
    return redirect(url_for("attendee.events"))
