"""The morning's "still coming today?", answered from the links in its message: no login, the
secret in the address is the key. "Yes" is one click (safe to repeat, and what a link
scanner's visit would say anyway); "no" frees meetings, so it asks once more on the page."""

from datetime import UTC, datetime

from flask import flash, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext

from matchmaker import throttle
from matchmaker.attendee import bp
from matchmaker.attendee.introductions import notice_for
from matchmaker.extensions import db
from matchmaker.i18n import said
from matchmaker.services.errors import Conflict
from matchmaker.services.introductions import event_day


def _now() -> datetime:
    return datetime.now(UTC)


@bp.route("/day/<token>", methods=["GET", "POST"])
@throttle.per_address(throttle.DAY_ANSWERS_PER_ADDRESS)
def day_check(token: str):
    answer = (request.form if request.method == "POST" else request.args).get("answer", "")
    if request.method == "GET" and answer == "yes":
        event_day.coming(db.session, token=token, now=_now())
    if request.method == "POST":
        view = event_day.day_view(db.session, token=token, now=_now())
        if answer not in ("yes", "no"):
            flash(_("Choose yes or no."), "error")
        elif answer == "yes":
            event_day.coming(db.session, token=token, now=_now())
            flash(_("Thank you: see you today."), "success")
        else:
            try:
                freed = event_day.not_coming(
                    db.session, token=token, now=_now(), notice=notice_for(view.event.slug)
                )
            except Conflict as error:
                flash(said(error), "error")
            else:
                flash(
                    ngettext(
                        "Thank you for saying so: %(num)d meeting today was freed, and the "
                        "person you were to meet is told only that it will not take place.",
                        "Thank you for saying so: %(num)d meetings today were freed, and the "
                        "people you were to meet are told only that they will not take place.",
                        freed,
                    ),
                    "success",
                )
        return redirect(url_for(".day_check", token=token))
    view = event_day.day_view(db.session, token=token, now=_now())
    return render_template("attendee/day_check.html", view=view, asking_no=answer == "no")
