"""Limits on password guessing, mass sign-ups and reset mails, and the page shown when one
is reached.

Only failed logins count, so people who type their password right are never slowed down. The
limits per network address are generous because a venue's Wi-Fi puts hundreds of attendees
behind one address.

Strangers cannot lock an owner out (OWASP's "device cookies" against online guessing): a
successful login leaves a signed device cookie for that account in the browser; a login that
presents one for the account it tries is counted per device, not per account or network, so
guesses from any number of addresses never stop the owner's own browser. A reset asked past
the account's limit gets the same answer as any other and sends no more mail: the links
already sent work.
"""

import hashlib

from flask import make_response, render_template, request
from flask_limiter.util import get_remote_address

# Per account *and* address: a stranger's guesses from their network never lock the owner
# out of theirs. Per account alone, a looser limit against guesses spread over many addresses.
FAILED_LOGINS_PER_ACCOUNT_AT_ADDRESS = "5 per minute;20 per hour"
FAILED_LOGINS_PER_ACCOUNT = "60 per hour"
FAILED_LOGINS_PER_ADDRESS = "30 per minute;300 per hour"
FAILED_LOGINS_PER_DEVICE = "5 per minute;20 per hour"
DEVICE_COOKIE = "matchmaker_device"
DEVICE_SALT = "device-cookie"
DEVICE_DAYS = 365
SIGNUPS_PER_ADDRESS = "30 per minute;500 per hour"
RESET_MAILS_PER_ACCOUNT_AT_ADDRESS = "3 per hour"
RESET_MAILS_PER_ACCOUNT = "10 per hour"
RESET_MAILS_PER_ADDRESS = "30 per hour"
# A person saving their profile: plenty for someone editing, not a flood of embedding jobs.
PROFILE_SAVES_PER_PERSON = "10 per minute;100 per hour"
# What one person does with their introductions, calendar and visibility: far above what a
# person clicks, far below what a script sends (each of these writes, mails or refills).
ANSWERS_PER_PERSON = "30 per minute;300 per hour"
OUTCOMES_PER_PERSON = "30 per minute;300 per hour"
CALENDAR_RENEWALS_PER_PERSON = "5 per minute;20 per day"
VISIBILITY_CHANGES_PER_PERSON = "10 per minute;50 per day"
# Requests to meet: the event's quota caps how many count; this caps how fast anyone tries.
REQUESTS_TO_MEET_PER_PERSON = "10 per minute;60 per day"
# Answers to the morning's "still coming today?" (no login: counted per network address,
# generous because a venue's Wi-Fi puts many attendees behind one).
DAY_ANSWERS_PER_ADDRESS = "60 per minute;600 per hour"
# An organiser's messages to attendees (the event's own limit is a few a day; this stops a
# script).
ORGANISER_MESSAGES = "10 per minute;60 per day"
# An organiser's CSV uploads (each parses up to the upload limit).
UPLOADS_PER_ORGANISER = "10 per minute;100 per day"
# API tokens made by an organiser (each is a new key to their events).
TOKENS_PER_ORGANISER = "10 per minute;50 per day"
# Connecting a ticket shop or reading its questions (each reads the shop).
TICKET_SHOP_CHANGES = "10 per minute;100 per day"
# pretix's webhooks, per network address (pretix posts from few addresses, in bursts).
PRETIX_WEBHOOKS_PER_ADDRESS = "300 per minute"
# Webhooks added or their secrets rotated (each add resolves the address it names).
WEBHOOK_CHANGES = "10 per minute;100 per day"
# Password checks outside the login (deleting the account) count like failed logins.
FAILED_PASSWORD_CHECKS_PER_ACCOUNT = "5 per minute;20 per hour"
EMAIL_MAX = 254
EMAIL_TOO_LONG = "An email address has at most 254 characters: check what you typed."

TOO_MANY_LOGINS = (
    "Too many failed logins for this account or from your network. "
    "Wait a few minutes, then try again."
)
TOO_MANY_SIGNUPS = "Too many sign-ups from your network. Wait a few minutes, then try again."
TOO_MANY_SAVES = (
    "You have saved your profile many times in a short while, so this change was not saved "
    "yet. Wait a minute, then save again: what you typed is still here."
)
TOO_MANY_ACTIONS = (
    "You have done this many times in a short while, so this was not done. Wait a minute, "
    "then try again."
)
TOO_MANY_PASSWORD_CHECKS = (
    "Too many wrong passwords for this account. Wait a few minutes, then try again."
)
TOO_MANY_RESET_MAILS = (
    "We have sent enough links for now. Look for them in your mail (and its spam folder), "
    "or try again in an hour."
)


def account_key() -> str:
    """The account a login tries, whatever the case of its email address: a fixed-size
    digest, so that no typed text is kept in the counters."""
    email = request.form.get("email", "")[: EMAIL_MAX + 1].strip().lower()
    return "account:" + hashlib.sha256(email.encode()).hexdigest()


def network_key() -> str:
    """The address the request comes from."""
    return get_remote_address()


def user_key() -> str:
    """The logged-in person (views that use it require a login)."""
    from flask_login import current_user

    if current_user.is_authenticated:
        return f"user:{current_user.id}"
    return network_key()


def account_at_network_key() -> str:
    """The account a login tries, from this address."""
    return f"{account_key()}@{network_key()}"


def refuse_long_email():
    """A before-request hook, ahead of every limiter and query: a form whose email field is
    longer than any address is refused at once."""
    if request.method == "POST" and len(request.form.get("email", "")) > EMAIL_MAX:
        from matchmaker.errors import render_error

        return render_error(400, EMAIL_TOO_LONG)
    return None


def per_person(limit: str):
    """A limit on what one logged-in person sends to a route (POST), answered by the 429
    page."""
    from matchmaker.extensions import limiter

    return limiter.limit(limit, key_func=user_key, methods=["POST"], on_breach=_too_many)


def per_address(limit: str):
    """A limit on what one network address sends to a route (POST), answered by the 429
    page: for pages without a login."""
    from matchmaker.extensions import limiter

    return limiter.limit(limit, key_func=network_key, methods=["POST"], on_breach=_too_many)


def _too_many(_limit):
    from matchmaker.errors import render_error

    return make_response(render_error(429, TOO_MANY_ACTIONS))


def _devices():
    from flask import current_app
    from itsdangerous import URLSafeSerializer

    return URLSafeSerializer(current_app.secret_key, salt=DEVICE_SALT)


def device_of_login() -> str | None:
    """The nonce of the device cookie sent with this login, if it was issued for the account
    the login tries (else None: an untrusted client)."""
    from itsdangerous import BadSignature

    cookie = request.cookies.get(DEVICE_COOKIE)
    if not cookie:
        return None
    try:
        data = _devices().loads(cookie)
    except BadSignature:
        return None
    if not isinstance(data, dict) or data.get("account") != account_key():
        return None
    return str(data.get("nonce"))


def trusted_device() -> bool:
    """The login comes from a browser where this account logged in before."""
    return device_of_login() is not None


def device_key() -> str:
    return f"device:{device_of_login()}"


def remember_device(response, email: str):
    """After a successful login: the device cookie for this account (a new nonce)."""
    import secrets

    from flask import current_app

    email = email[: EMAIL_MAX + 1].strip().lower()
    account = "account:" + hashlib.sha256(email.encode()).hexdigest()
    value = _devices().dumps({"account": account, "nonce": secrets.token_hex(16)})
    response.set_cookie(
        DEVICE_COOKIE,
        value,
        max_age=DEVICE_DAYS * 86400,
        httponly=True,
        samesite="Lax",
        secure=current_app.config.get("SESSION_COOKIE_SECURE", False),
    )
    return response


def login_failed(response) -> bool:
    """A login that did not go through re-shows the form; a good one redirects."""
    return response.status_code != 302


def refuse(template: str, form, message: str, **context):
    """The same page again with what was typed (never the password), a message, and 429."""
    form.form_errors.append(message)
    return make_response(render_template(template, form=form, **context), 429)
