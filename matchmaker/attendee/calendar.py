"""An attendee's meetings in their calendar (a download, and a subscription feed at a secret
address that they can replace, which revokes the old one) and on paper (a PDF)."""

from dataclasses import replace
from datetime import UTC, datetime

from flask import Response, flash, redirect, render_template, url_for
from flask_babel import get_locale
from flask_babel import gettext as _
from flask_login import current_user, login_required

from matchmaker import throttle
from matchmaker.attendee import bp
from matchmaker.exports import pdf
from matchmaker.exports.ical import schedule_ics
from matchmaker.exports.schedule import Schedule
from matchmaker.extensions import csrf, db
from matchmaker.services.schedules import published
from matchmaker.web import calendar_host, download, external_url


@bp.get("/events/<slug>/calendar")
@login_required
def calendar(slug: str):
    token = published.calendar_token(db.session, slug=slug, user_id=current_user.id)
    schedule = published.own_schedule(
        db.session, slug=slug, user_id=current_user.id, now=datetime.now(UTC)
    )
    feed = external_url("attendee.calendar_feed", token=token)
    return render_template(
        "attendee/calendar.html", event=schedule.event, feed=feed, meetings=schedule.rows
    )


@bp.post("/events/<slug>/calendar/renew")
@login_required
@throttle.per_person(throttle.CALENDAR_RENEWALS_PER_PERSON)
def renew_calendar(slug: str):
    published.calendar_token(db.session, slug=slug, user_id=current_user.id, renew=True)
    flash(_("Your calendar has a new address. The old one no longer works."), "success")
    return redirect(url_for(".calendar", slug=slug))


@bp.get("/events/<slug>/calendar.ics")
@login_required
def calendar_download(slug: str):
    schedule = published.own_schedule(
        db.session, slug=slug, user_id=current_user.id, now=datetime.now(UTC)
    )
    schedule = replace(schedule, language=str(get_locale()))  # the page's, as they read it
    return download(schedule_ics(schedule, host=calendar_host(), per_person=True))


@bp.get("/events/<slug>/schedule.pdf")
@login_required
def schedule_pdf(slug: str):
    """The attendee's own printed schedule (meetings that take place)."""
    schedule = published.own_schedule(
        db.session, slug=slug, user_id=current_user.id, now=datetime.now(UTC)
    )
    taking_place = [row for row in schedule.rows if not row.cancelled]
    export = pdf.attendees_pdf(Schedule(schedule.event, taking_place, str(get_locale())))
    return download(export)


@bp.get("/calendar/<token>.ics")
@csrf.exempt
def calendar_feed(token: str) -> Response:
    """The feed calendars poll: no login, the secret address is the key."""
    schedule = published.feed_schedule(db.session, token=token, now=datetime.now(UTC))
    export = schedule_ics(schedule, host=calendar_host(), per_person=True)
    # A personal schedule behind a secret address: no shared cache keeps it.
    return Response(
        export.data, content_type=export.content_type, headers={"Cache-Control": "no-store"}
    )
