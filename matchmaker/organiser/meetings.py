"""Changing one meeting of a finished plan: move it, or cancel it."""

from datetime import UTC, datetime

from flask import flash, g, redirect, render_template, request, url_for
from wtforms import SelectChoice

from matchmaker.extensions import db
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
    form.slot_id.choices = [
        SelectChoice(s.id, s.starts_at.strftime("%a %d %b %H:%M")) for s in slots
    ]
    form.location_id.choices = [
        SelectChoice(loc.id, f"{loc.name} ({loc.capacity} seats)")
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
            flash("The meeting is moved.", "success")
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
    refilled = f" {len(made)} new meeting(s) were proposed in its slot." if made else ""
    flash("The meeting is cancelled." + refilled, "success")
    return redirect(back)
