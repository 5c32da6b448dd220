"""Sign up as an organiser, log in and out."""

from flask import current_app, flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_login import current_user, login_required, login_user, logout_user

from matchmaker import throttle
from matchmaker.auth import bp
from matchmaker.auth.forms import ConfirmSignupForm, LoginForm, SignupForm
from matchmaker.errors import render_error, status_of
from matchmaker.extensions import db, limiter
from matchmaker.services.errors import Invalid
from matchmaker.services.people import accounts, signups
from matchmaker.web import begin_sign_up, safe_next, show_errors


def _landing():
    if current_user.is_organiser:
        return url_for("organiser.events")
    return url_for("attendee.events")


def _too_many_signups(_limit):
    return throttle.refuse("auth/signup.html", SignupForm(), throttle.TOO_MANY_SIGNUPS)


def _too_many_logins(_limit):
    return throttle.refuse("auth/login.html", LoginForm(), throttle.TOO_MANY_LOGINS)


@bp.route("/signup", methods=["GET", "POST"])
@limiter.limit(
    throttle.SIGNUPS_PER_ADDRESS,
    key_func=throttle.network_key,
    methods=["POST"],
    on_breach=_too_many_signups,
)
def signup():
    form = SignupForm()
    if form.validate_on_submit():
        try:
            begin_sign_up(form, join_token=None)
        except Invalid as error:
            show_errors(form, error)
        else:
            return render_template("auth/check_mail.html", email=form.email.data, event=None)
    return render_template("auth/signup.html", form=form)


@bp.route("/confirm/<token>", methods=["GET", "POST"])
def confirm_sign_up(token: str):
    """The page a confirmation link opens: opening it changes nothing (a link opened by
    someone else, or by a mail scanner, logs nobody in); its owner chooses a password and
    sends the form, which confirms the address and logs them in."""
    try:
        user, _found = signups.pending_sign_up(
            db.session, token=token, secret=current_app.secret_key
        )
    except signups.ConfirmLinkInvalid as error:
        return render_error(status_of(error), error.message)
    form = ConfirmSignupForm()
    if request.method == "GET":
        form.name.data = user.name
    elif form.validate_on_submit():
        try:
            user, event = signups.confirm_sign_up(
                db.session,
                token=token,
                secret=current_app.secret_key,
                name=form.name.data,
                password=form.password.data,
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            login_user(user)
            if event is not None:
                flash(_("Welcome to %(event)s! Fill your profile to be matched.",
                        event=event.name), "success")  # fmt: skip
                return redirect(url_for("attendee.profile", slug=event.slug))
            flash(_("Welcome! Your address is confirmed. Create your first event."), "success")
            return redirect(url_for("organiser.new_event"))
    status = 400 if form.errors else 200
    return render_template("auth/confirm.html", form=form, email=user.email), status


def _failed_logins(limit: str, key_func, *, devices: str = "untrusted"):
    """A limit on failed logins: for untrusted clients (no device cookie of the account),
    or for trusted devices only (counted per device)."""
    exempt = throttle.trusted_device if devices == "untrusted" else _untrusted
    return limiter.limit(
        limit,
        key_func=key_func,
        methods=["POST"],
        deduct_when=throttle.login_failed,
        exempt_when=exempt,
        on_breach=_too_many_logins,
    )


def _untrusted() -> bool:
    return not throttle.trusted_device()


@bp.route("/login", methods=["GET", "POST"])
@_failed_logins(throttle.FAILED_LOGINS_PER_ACCOUNT_AT_ADDRESS, throttle.account_at_network_key)
@_failed_logins(throttle.FAILED_LOGINS_PER_ACCOUNT, throttle.account_key)
@_failed_logins(throttle.FAILED_LOGINS_PER_ADDRESS, throttle.network_key)
@_failed_logins(throttle.FAILED_LOGINS_PER_DEVICE, throttle.device_key, devices="trusted")
def login():
    if current_user.is_authenticated:
        return redirect(safe_next(request.args.get("next")) or _landing())
    form = LoginForm()
    if form.validate_on_submit():
        try:
            user = accounts.authenticate(
                db.session, email=form.email.data, password=form.password.data
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            login_user(user, remember=form.remember.data)
            response = redirect(safe_next(request.args.get("next")) or _landing())
            return throttle.remember_device(response, form.email.data)
    return render_template("auth/login.html", form=form)


@bp.post("/logout")
@login_required
def logout():
    accounts.end_sessions(db.session, user_id=current_user.id)
    logout_user()
    flash(_("You are logged out."), "info")
    return redirect(url_for("main.home"))
