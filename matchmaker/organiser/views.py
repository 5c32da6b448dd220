"""Organiser views: load, check access (in services), validate, call one service, render."""

from datetime import UTC, datetime

from flask import current_app, flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user
from wtforms import SelectChoice

from matchmaker.extensions import db
from matchmaker.i18n import said_each, written
from matchmaker.mailer import current_mailer
from matchmaker.organiser import bp
from matchmaker.organiser.forms import (
    EventForm,
    LocationEditForm,
    LocationForm,
    SlotForm,
    SlotSeriesForm,
)
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Invalid
from matchmaker.services.introductions import roster, stage
from matchmaker.services.people.attendance import slots_by_day
from matchmaker.services.planning import timetable_changes
from matchmaker.services.setup import events as event_service
from matchmaker.services.setup import overview, timetable
from matchmaker.web import external_url, kept_fragment, show_errors

SLOT_FIELDS = {"end": "end", "start": "start", "day": "day", "format": "format"}


def _notice() -> Notice:
    return Notice(current_mailer(), external_url("attendee.events"))


def _confirmed() -> bool:
    return request.form.get("confirm") == "yes"


def _ask_to_confirm(error: timetable_changes.Unconfirmed, what: str, back: str):
    """The page that lists what a timetable edit does to the published schedule, with the
    same request to send again with a yes."""
    fields = [
        (k, v) for k, v in request.form.items(multi=True) if k not in ("csrf_token", "confirm")
    ]
    return render_template(
        "organiser/confirm_change.html",
        event=g.event,
        effects=error.effects,
        what=what,
        action=request.path,
        fields=fields,
        back=back,
    )


def _details(form: EventForm) -> event_service.EventDetails:
    return event_service.EventDetails(
        name=form.name.data.strip(),
        description=(form.description.data or "").strip(),
        venue=(form.venue.data or "").strip(),
        timezone=form.timezone.data,
        starts_on=form.starts_on.data,
        ends_on=form.ends_on.data,
        join_closes_on=form.join_closes_on.data,
        max_meetings=form.max_meetings.data,
        group_size_min=form.group_size_min.data,
        group_size_max=form.group_size_max.data,
        requests_per_person=form.requests_per_person.data,
        tables_kept_free=form.tables_kept_free.data,
        meetings_kept_free=form.meetings_kept_free.data,
        reminder_minutes=form.reminder_minutes.data,
        morning_check=bool(form.morning_check.data),
    )


@bp.get("/events")
def events():
    mine = event_service.list_organised_events(db.session, actor_id=current_user.id)
    return render_template("organiser/events.html", events=mine)


@bp.route("/events/new", methods=["GET", "POST"])
def new_event():
    form = EventForm(max_meetings=current_app.config["MATCHMAKER_DEFAULT_MAX_MEETINGS"])
    if form.validate_on_submit():
        try:
            event = event_service.create_event(
                db.session, organiser_id=current_user.id, details=_details(form)
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(
                _("%(name)s is created. Now add its time slots and locations.", name=event.name),
                "success",
            )
            return redirect(url_for(".event", event_id=event.id))
    return render_template("organiser/event_form.html", form=form, event=None)


@bp.get("/events/<int:event_id>")
def event(event_id: int):
    event = g.event

    def figures() -> dict:
        found = overview.event_overview(db.session, event=event)
        signups = [(written(d, "day_month"), n) for d, n in found.signups]
        return dict(event=event, overview=found, signups=signups)

    return render_template(
        "organiser/event.html",
        event=event,
        stage=stage.event_stage(db.session, event=event),
        figures=kept_fragment(event, "overview", "organiser/_overview.html", figures),
        join_url=external_url("attendee.join", token=event.join_token),
    )


@bp.get("/events/<int:event_id>/timetable")
def timetable_page(event_id: int):
    event = g.event
    return render_template(
        "organiser/timetable.html",
        event=event,
        days=slots_by_day(event.slots),
        location_runs=timetable.location_runs(event.locations),
    )


@bp.route("/events/<int:event_id>/edit", methods=["GET", "POST"])
def edit_event(event_id: int):
    event = g.event
    form = EventForm(obj=event)
    if event.timezone not in {choice.value for choice in form.timezone.choices}:
        # A zone the list no longer offers (an old alias): it stays choosable for this event.
        form.timezone.choices = [SelectChoice(event.timezone), *form.timezone.choices]
    if form.validate_on_submit():
        try:
            event_service.update_event(
                db.session,
                event=g.event,
                details=_details(form),
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("The event is saved."), "success")
            return redirect(url_for(".event", event_id=event.id))
    return render_template("organiser/event_form.html", form=form, event=event)


@bp.post("/events/<int:event_id>/join-link")
def reset_join_link(event_id: int):
    event_service.reset_join_link(db.session, event=g.event)
    flash(_("The join link is new. The old link no longer works."), "success")
    return redirect(url_for(".event", event_id=event_id))


@bp.route("/events/<int:event_id>/slots/new", methods=["GET", "POST"])
def new_slot(event_id: int):
    event = g.event
    form = SlotForm()
    if form.validate_on_submit():
        try:
            timetable.add_slot(
                db.session,
                event=g.event,
                starts_at=datetime.combine(form.day.data, form.start.data),
                ends_at=datetime.combine(form.day.data, form.end.data),
                format=form.format.data,
                label=form.label.data or "",
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(_("The slot is added."), "success")
            return redirect(url_for(".timetable_page", event_id=event.id) + "#slots")
    return render_template("organiser/slot_form.html", form=form, event=event, slot=None)


@bp.route("/events/<int:event_id>/slots/generate", methods=["GET", "POST"])
def generate_slots(event_id: int):
    event = g.event
    form = SlotSeriesForm()
    if form.validate_on_submit():
        series = timetable.SlotSeries(
            day=form.day.data,
            start=form.start.data,
            end=form.end.data,
            length=form.length.data,
            pause=form.pause.data,
            format=form.format.data,
        )
        try:
            slots = timetable.generate_slots(db.session, event=g.event, series=series)
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(
                ngettext("%(num)d slot is added.", "%(num)d slots are added.", len(slots)),
                "success",
            )
            return redirect(url_for(".timetable_page", event_id=event.id) + "#slots")
    return render_template("organiser/slot_series_form.html", form=form, event=event)


@bp.route("/events/<int:event_id>/slots/<int:slot_id>/edit", methods=["GET", "POST"])
def edit_slot(event_id: int, slot_id: int):
    slot = timetable.get_slot(
        db.session,
        event=g.event,
        slot_id=slot_id,
    )
    form = SlotForm(
        day=slot.starts_at.date(),
        start=slot.starts_at.time(),
        end=slot.ends_at.time(),
        format=slot.format,
        label=slot.label,
    )
    if form.validate_on_submit():
        try:
            timetable_changes.change_slot(
                db.session,
                event=g.event,
                slot_id=slot_id,
                starts_at=datetime.combine(form.day.data, form.start.data),
                ends_at=datetime.combine(form.day.data, form.end.data),
                format=form.format.data,
                label=(form.label.data or "").strip(),
                now=datetime.now(UTC),
                notice=_notice(),
                confirmed=_confirmed(),
            )
        except Invalid as error:
            show_errors(form, error)
        except timetable_changes.Unconfirmed as error:
            back = url_for(".edit_slot", event_id=event_id, slot_id=slot_id)
            return _ask_to_confirm(error, _("Change this slot"), back)
        else:
            flash(_("The slot is saved."), "success")
            return redirect(url_for(".timetable_page", event_id=event_id) + "#slots")
    return render_template("organiser/slot_form.html", form=form, event=slot.event, slot=slot)


@bp.post("/events/<int:event_id>/slots/<int:slot_id>/delete")
def delete_slot(event_id: int, slot_id: int):
    try:
        timetable_changes.remove_slot(
            db.session,
            event=g.event,
            slot_id=slot_id,
            now=datetime.now(UTC),
            notice=_notice(),
            confirmed=_confirmed(),
        )
    except timetable_changes.Unconfirmed as error:
        back = url_for(".timetable_page", event_id=event_id) + "#slots"
        return _ask_to_confirm(error, _("Delete this slot"), back)
    flash(_("The slot is deleted."), "success")
    return redirect(url_for(".timetable_page", event_id=event_id) + "#slots")


@bp.route("/events/<int:event_id>/locations/new", methods=["GET", "POST"])
def new_location(event_id: int):
    event = g.event
    form = LocationForm()
    if form.validate_on_submit():
        try:
            added = timetable.add_locations(
                db.session,
                event=g.event,
                name=form.name.data,
                capacity=form.capacity.data,
                count=form.count.data,
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            flash(
                ngettext("%(num)d location added.", "%(num)d locations added.", len(added)),
                "success",
            )
            return redirect(url_for(".timetable_page", event_id=event.id) + "#locations")
    return render_template("organiser/location_form.html", form=form, event=event, location=None)


@bp.route("/events/<int:event_id>/locations/<int:location_id>/edit", methods=["GET", "POST"])
def edit_location(event_id: int, location_id: int):
    location = timetable.get_location(
        db.session,
        event=g.event,
        location_id=location_id,
    )
    form = LocationEditForm(obj=location)
    if form.validate_on_submit():
        try:
            timetable_changes.change_location(
                db.session,
                event=g.event,
                location_id=location_id,
                name=form.name.data,
                capacity=form.capacity.data,
                now=datetime.now(UTC),
                notice=_notice(),
                confirmed=_confirmed(),
            )
        except Invalid as error:
            show_errors(form, error)
        except timetable_changes.Unconfirmed as error:
            back = url_for(".edit_location", event_id=event_id, location_id=location_id)
            return _ask_to_confirm(error, _("Change this location"), back)
        else:
            flash(_("The location is saved."), "success")
            return redirect(url_for(".timetable_page", event_id=event_id) + "#locations")
    return render_template(
        "organiser/location_form.html",
        form=form,
        event=location.event,
        location=location,
    )


@bp.get("/events/<int:event_id>/locations/find")
def find_location(event_id: int):
    # Long runs of tables ("Tables 1-540") are edited by number, not from 540 links.
    try:
        location = timetable.find_numbered_location(
            db.session,
            event=g.event,
            stem=request.args.get("stem", ""),
            number=request.args.get("number", type=int),
        )
    except Invalid as error:
        flash(said_each(error.errors)["number"][0], "error")
        return redirect(url_for(".timetable_page", event_id=event_id) + "#locations")
    return redirect(url_for(".edit_location", event_id=event_id, location_id=location.id))


@bp.post("/events/<int:event_id>/locations/<int:location_id>/delete")
def delete_location(event_id: int, location_id: int):
    try:
        timetable_changes.remove_location(
            db.session,
            event=g.event,
            location_id=location_id,
            now=datetime.now(UTC),
            notice=_notice(),
            confirmed=_confirmed(),
        )
    except timetable_changes.Unconfirmed as error:
        back = url_for(".timetable_page", event_id=event_id) + "#locations"
        return _ask_to_confirm(error, _("Delete this location"), back)
    flash(_("The location is deleted."), "success")
    return redirect(url_for(".timetable_page", event_id=event_id) + "#locations")


@bp.get("/events/<int:event_id>/attendees")
def attendees(event_id: int):
    event = g.event
    listing = roster.roster(
        db.session,
        event=g.event,
        page=request.args.get("page", 1, type=int),
        query=request.args.get("q", ""),
        show=request.args.get("show", ""),
    )
    return render_template(
        "organiser/attendees.html",
        event=event,
        listing=listing,
        shows=roster.SHOWS,
        many_declines=roster.MANY_DECLINES,
    )


@bp.get("/events/<int:event_id>/attendees/<int:profile_id>")
def attendee(event_id: int, profile_id: int):
    found = roster.person(db.session, event=g.event, profile_id=profile_id)
    return render_template(
        "organiser/attendee.html", event=g.event, profile=found.profile, found=found
    )
