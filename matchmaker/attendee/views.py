"""Attendee views: join through the link, then fill and edit the profile."""

from datetime import UTC, datetime

from flask import flash, make_response, redirect, render_template, request, url_for
from flask_babel import gettext as _
from flask_babel import ngettext
from flask_login import current_user, login_required
from wtforms import SelectChoice

from matchmaker import runner, throttle
from matchmaker.attendee import bp
from matchmaker.attendee.forms import ProfileForm
from matchmaker.auth.forms import SignupForm
from matchmaker.boundary import after_commit
from matchmaker.extensions import db, limiter
from matchmaker.mailer import current_mailer
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Invalid
from matchmaker.services.introductions import joining
from matchmaker.services.people import attendance
from matchmaker.services.setup import imports
from matchmaker.vocabulary import Direction
from matchmaker.web import begin_sign_up, external_url, show_errors


@bp.get("/events")
@login_required
def events():
    profiles = attendance.list_attended(db.session, user_id=current_user.id)
    return render_template("attendee/events.html", profiles=profiles)


def _too_many_signups(_limit):
    event = attendance.event_for_join_token(db.session, token=request.view_args["token"])
    return throttle.refuse(
        "attendee/join.html", SignupForm(), throttle.TOO_MANY_SIGNUPS, event=event
    )


@bp.route("/join/<token>", methods=["GET", "POST"])
@limiter.limit(
    throttle.SIGNUPS_PER_ADDRESS,
    key_func=throttle.network_key,
    methods=["POST"],
    exempt_when=lambda: current_user.is_authenticated,
    on_breach=_too_many_signups,
)
def join(token: str):
    event = attendance.event_for_join_token(db.session, token=token)
    if current_user.is_authenticated:
        if request.method == "POST":
            joined = attendance.join_event(db.session, token=token, user_id=current_user.id)
            # Invited by an import: start from what the organisers know of them.
            imports.fill_from_invitation(db.session, profile=joined, now=datetime.now(UTC))
            flash(
                _("You have joined %(event)s. Tell us what you are looking for.", event=event.name),
                "success",
            )
            return redirect(url_for(".profile", slug=event.slug))
        return render_template("attendee/join.html", event=event, form=None)
    form = SignupForm()
    if form.validate_on_submit():
        try:
            begin_sign_up(form, join_token=token)
        except Invalid as error:
            show_errors(form, error)
        else:
            return render_template("auth/check_mail.html", email=form.email.data, event=event)
    return render_template("attendee/join.html", event=event, form=form)


def _fill_form(form: ProfileForm, profile, suggestions: list[str]) -> None:
    tags = [tag.name for tag in profile.tags]
    form.name.data = profile.name
    form.headline.data = profile.headline
    form.company.data = profile.company
    form.bio.data = profile.bio
    form.suggested_interests.data = [t for t in tags if t in suggestions]
    form.interests.data = ", ".join(t for t in tags if t not in suggestions)
    form.seeks.data = profile.intent_names(Direction.SEEKS)
    form.offers.data = profile.intent_names(Direction.OFFERS)
    form.looking_for.data = profile.looking_for
    form.can_help.data = profile.can_help
    form.format.data = profile.format
    form.available_slots.data = [slot.id for slot in profile.available_slots]
    form.max_meetings.data = profile.max_meetings
    form.share_contact.data = profile.share_contact
    form.listed.data = profile.listed
    form.reminders.data = profile.reminders
    form.links.data = profile.links


def _profile_data(form: ProfileForm) -> attendance.ProfileData:
    return attendance.ProfileData(
        name=form.name.data,
        headline=form.headline.data or "",
        company=form.company.data or "",
        bio=form.bio.data or "",
        interests=tuple(form.all_interests()),
        seeks=tuple(form.seeks.data or ()),
        offers=tuple(form.offers.data or ()),
        looking_for=form.looking_for.data or "",
        can_help=form.can_help.data or "",
        format=form.format.data,
        available_slot_ids=tuple(form.available_slots.data or ()),
        max_meetings=form.max_meetings.data,
        share_contact=bool(form.share_contact.data),
        listed=bool(form.listed.data),
        reminders=bool(form.reminders.data),
        links=attendance.parse_links(form.links.data or "")[0],
    )


def _profile_form(event) -> tuple[ProfileForm, list[str]]:
    suggestions = attendance.suggested_tags(db.session, event_id=event.id)
    form = ProfileForm()
    form.suggested_interests.choices = [SelectChoice(tag) for tag in suggestions]
    form.available_slots.choices = [SelectChoice(slot.id, str(slot.id)) for slot in event.slots]
    return form, suggestions


def _profile_page(form: ProfileForm, event, status: int = 200):
    page = render_template(
        "attendee/profile.html",
        form=form,
        event=event,
        days=attendance.slots_by_day(event.slots),
        default_max=event.max_meetings,
    )
    return page, status


def _too_many_saves(_limit):
    """The form again with what they typed, and why it was not saved."""
    slug = request.view_args["slug"]
    profile = attendance.get_own_profile(db.session, slug=slug, user_id=current_user.id)
    form, _days = _profile_form(profile.event)
    form.validate()
    form.form_errors.append(throttle.TOO_MANY_SAVES)
    return make_response(*_profile_page(form, profile.event, 429))


@bp.route("/events/<slug>/profile", methods=["GET", "POST"])
@login_required
@limiter.limit(
    throttle.PROFILE_SAVES_PER_PERSON,
    key_func=throttle.user_key,
    methods=["POST"],
    on_breach=_too_many_saves,
)
def profile(slug: str):
    profile = attendance.get_own_profile(db.session, slug=slug, user_id=current_user.id)
    event = profile.event
    form, suggestions = _profile_form(event)
    if request.method == "GET":
        _fill_form(form, profile, suggestions)
    elif form.validate_on_submit():
        try:
            saved, placed = joining.save_profile(
                db.session,
                slug=slug,
                user_id=current_user.id,
                data=_profile_data(form),
                now=datetime.now(UTC),
                notice=Notice(current_mailer(), external_url("attendee.introductions", slug=slug)),
            )
        except Invalid as error:
            show_errors(form, error)
        else:
            saved_id = saved.id
            after_commit(lambda: runner.dispatch_embedding(saved_id))
            flash(_("Your profile is saved."), "success")
            if placed:
                flash(
                    ngettext(
                        "You have %(num)d new introduction: see it on your introductions page.",
                        "You have %(num)d new introductions: see them on your introductions page.",
                        len(placed),
                    ),
                    "success",
                )
            return redirect(url_for(".profile", slug=slug))
    return _profile_page(form, event)
