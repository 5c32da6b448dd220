"""The event as it happens: figures per slot that follow it (a page that refreshes itself
without JavaScript, and JSON that live.js polls to update it in place); and afterwards, the
outcome report with its CSV."""

from datetime import UTC, datetime

from flask import g, jsonify, render_template
from flask_babel import gettext as _

from matchmaker.catalogue import N_
from matchmaker.exports.outcome import outcome_csv
from matchmaker.extensions import db
from matchmaker.i18n import number, written
from matchmaker.organiser import bp
from matchmaker.services.introductions import live, report
from matchmaker.web import download

# How often the page follows the event, in seconds (the JSON poll and the refresh alike).
EVERY = 20
STATES = {"to come": N_("to come"), "on now": N_("on now"), "over": N_("over")}


def shown(s: live.SlotFigures) -> dict[str, str]:
    """A slot's figures in the reader's words, as the page shows them and live.js updates
    them."""
    return {
        "state": _(STATES.get(s.state, s.state)),
        "checked_in": _("%(done)s of %(seats)s", done=s.checked_in, seats=s.seats),
        "answer_rate": "–" if s.answer_rate is None else f"{round(s.answer_rate * 100)}%",
        "rating": "–" if s.rating is None else _("%(rating)s of 5", rating=number(s.rating, 1)),
    }


def _now() -> datetime:
    return datetime.now(UTC)


@bp.get("/events/<int:event_id>/live")
def live_page(event_id: int):
    found = live.live_view(db.session, event=g.event, now=_now())
    return render_template(
        "organiser/live.html", event=g.event, live=found, every=EVERY, shown=shown
    )


@bp.get("/events/<int:event_id>/live.json")
def live_json(event_id: int):
    found = live.live_view(db.session, event=g.event, now=_now())
    return jsonify(
        {
            "published": found.published,
            "now": found.now.isoformat(),
            "now_shown": written(found.now, "day_time"),
            "slots": [{**s.as_json(), "shown": shown(s)} for s in found.slots],
        }
    )


@bp.get("/events/<int:event_id>/report")
def report_page(event_id: int):
    found = report.outcome_report(db.session, event=g.event, now=_now())
    return render_template("organiser/report.html", event=g.event, report=found)


@bp.get("/events/<int:event_id>/report.csv")
def report_csv(event_id: int):
    found = report.outcome_report(db.session, event=g.event, now=_now())
    return download(outcome_csv(g.event.slug, found.per_slot_rows, found.totals))
