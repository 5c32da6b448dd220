"""Rules on pairs: who must meet, who must not, who already know each other."""

from flask import flash, g, redirect, render_template, request, url_for
from flask_babel import gettext as _

from matchmaker.extensions import db
from matchmaker.i18n import said
from matchmaker.organiser import bp
from matchmaker.organiser.forms import PairRuleForm
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.planning import pair_rules
from matchmaker.services.setup import events as event_service
from matchmaker.web import row_id_arg, safe_next, show_errors

# Up to this many attendees, the page lists them all for the browser to suggest as the
# organiser types (a <datalist>, no script); past it, they type a name or an email.
SUGGESTED_MAX = 2000


def _page(event_id: int, form: PairRuleForm, status: int = 200):
    event = g.event
    rules = pair_rules.list_pair_rules(db.session, event=event)
    names = event_service.attendee_names(db.session, event=event, limit=SUGGESTED_MAX + 1)
    page = render_template(
        "organiser/pairs.html", event=event, form=form, rules=rules, label=pair_rules.rule_label,
        suggestions=names if len(names) <= SUGGESTED_MAX else [],
    )  # fmt: skip
    return page, status


@bp.get("/events/<int:event_id>/pairs")
def pairs(event_id: int):
    form = PairRuleForm()
    if profile_id := request.args.get("attendee", type=row_id_arg):
        found = [
            p for p in event_service.attendee_names(db.session, event=g.event, ids=[profile_id])
        ]
        if found:
            form.attendee.data = f"{found[0][1]} ({found[0][2]})"
    return _page(event_id, form)


def _chosen(form: PairRuleForm) -> tuple[int, int]:
    """The two attendees typed (or named by id, from the review's buttons), or Invalid naming
    each field that names nobody."""
    if form.profile_id.data and form.other_id.data:
        return form.profile_id.data, form.other_id.data
    found, errors = {}, {}
    for name in ("attendee", "other"):
        if not (getattr(form, name).data or "").strip():
            errors[name] = ["Type a name or an email address."]
            continue
        try:
            found[name] = event_service.attendee_by_text(
                db.session, event=g.event, text=getattr(form, name).data, field=name
            )
        except Invalid as error:
            errors.update(error.errors)
    if errors:
        raise Invalid(errors)
    return found["attendee"], found["other"]


@bp.post("/events/<int:event_id>/pairs")
def add_pair_rule(event_id: int):
    form = PairRuleForm()
    if form.validate_on_submit():
        try:
            first, second = _chosen(form)
            pair_rules.set_pair_rule(
                db.session,
                event=g.event,
                profile_id=first,
                other_id=second,
                rule=form.rule.data,
            )
        except Invalid as error:
            show_errors(form, error, aliases={"profile_id": "attendee", "other_id": "other"})
        except Conflict as error:  # the pair declined: the form says so beside what was chosen
            form.form_errors.append(said(error))
            return _page(event_id, form, 409)
        else:
            flash(_("The rule is saved. The next run keeps it."), "success")
            return redirect(safe_next(form.next.data) or url_for(".pairs", event_id=event_id))
    return _page(event_id, form, 400)


@bp.post("/events/<int:event_id>/pairs/<int:rule_id>/delete")
def delete_pair_rule(event_id: int, rule_id: int):
    pair_rules.remove_pair_rule(db.session, event=g.event, rule_id=rule_id)
    flash(_("The rule is removed. The next run no longer keeps it."), "success")
    return redirect(url_for(".pairs", event_id=event_id))
