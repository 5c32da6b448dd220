"""Changing one meeting of a finished plan: move it, or cancel it."""

from datetime import UTC, datetime

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from wtforms import SelectChoice

from matchmaker.extensions import db
from matchmaker.i18n import written
from matchmaker.mailer import current_mailer
from matchmaker.organiser import bp
from matchmaker.organiser.forms import MoveMeetingForm
from matchmaker.services.errors import Invalid
from matchmaker.services.planning import plan_edits
from matchmaker.web import external_url, row_id_arg, show_errors


def _notice(meeting) -> plan_edits.Notice:
    """Messages about a changed meeting point to its event's introductions."""
    slug = meeting.run.event.slug
    return plan_edits.Notice(current_mailer(), external_url("attendee.introductions", slug=slug))


def _form(meeting) -> MoveMeetingForm:
    """The move form: the slots of the meeting's kind, and the places free in the slot chosen
    (posted, or asked for with "Show the free places", or its own)."""
    event = meeting.run.event
    slots = sorted((s for s in event.slots if s.format == meeting.kind and s.retired_at is None),
                   key=lambda s: (s.starts_at, s.id))  # fmt: skip
    wanted = (request.form if request.method == "POST" else request.args).get(
        "slot_id", type=row_id_arg
    )
    slot_id = wanted if wanted in {s.id for s in slots} else meeting.slot_id
    form = MoveMeetingForm(slot_id=slot_id, location_id=meeting.location_id)
    form.slot_id.choices = [SelectChoice(s.id, written(s.starts_at, "slot")) for s in slots]
    form.location_id.choices = [
        SelectChoice(loc.id, _("%(name)s (%(seats)d seats)", name=loc.name, seats=loc.capacity))
        for loc in plan_edits.free_locations(db.session, meeting, slot_id)
    ]
    return form


def _load(event_id: int, meeting_id: int):
    return plan_edits.get_meeting(
        db.session,
        event=g.event,
        meeting_id=meeting_id,
    )


def _back(meeting):
    """The review, at the meeting's slot (large plans show one slot at a time)."""
    return url_for(
        ".run", event_id=meeting.run.event_id, run_id=meeting.run_id, slot=meeting.slot_id
    )


@bp.route("/events/<int:event_id>/meetings/<int:meeting_id>", methods=["GET", "POST"])
def meeting(event_id: int, meeting_id: int):
    found = _load(event_id, meeting_id)
    form = _form(found)
    if form.validate_on_submit():
        try:
            plan_edits.move_meeting(
                db.session,
                event=g.event,
                meeting_id=meeting_id,
                slot_id=form.slot_id.data,
                location_id=form.location_id.data,
                notice=_notice(found),
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("The meeting is moved."), "success")
            return redirect(_back(found) + f"#meeting-{meeting_id}")
    status = 400 if form.errors else 200
    return render_template(
        "organiser/meeting.html", event=found.run.event, meeting=found, form=form
    ), status


@bp.post("/events/<int:event_id>/meetings/<int:meeting_id>/cancel")
def cancel_meeting(event_id: int, meeting_id: int):
    found = _load(event_id, meeting_id)
    back = _back(found)
    made = plan_edits.cancel_meeting(
        db.session,
        event=g.event,
        meeting_id=meeting_id,
        notice=_notice(found),
        now=datetime.now(UTC),
        refill=request.form.get("refill") == "y",
    )
    if made:
        flash(ngettext("The meeting is cancelled. %(num)d new meeting was proposed in its slot.",
                       "The meeting is cancelled. %(num)d new meetings were proposed in its slot.",
                       len(made)), "success")  # fmt: skip
    else:
        flash(_("The meeting is cancelled."), "success")
    return redirect(back)
