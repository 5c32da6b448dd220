"""Rules on pairs: who must meet, who must not, who already know each other."""

from flask import flash, g, redirect, render_template, request, url_for
from wtforms import SelectChoice

from matchmaker.extensions import db
from matchmaker.organiser import bp
from matchmaker.organiser.forms import PairRuleForm
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.planning import pair_rules
from matchmaker.services.setup import events as event_service
from matchmaker.web import row_id_arg, safe_next, show_errors


def _form(event_id: int) -> PairRuleForm:
    form = PairRuleForm()
    people = event_service.attendee_names(db.session, event=g.event)
    choices = [SelectChoice(pid, f"{name} ({email})") for pid, name, email in people]
    form.profile_id.choices = form.other_id.choices = choices
    return form


def _page(event_id: int, form: PairRuleForm, status: int = 200):
    event = g.event
    rules = pair_rules.list_pair_rules(db.session, event=event)
    page = render_template(
        "organiser/pairs.html", event=event, form=form, rules=rules, label=pair_rules.rule_label
    )
    return page, status


@bp.get("/events/<int:event_id>/pairs")
def pairs(event_id: int):
    form = _form(event_id)
    if profile_id := request.args.get("attendee", type=row_id_arg):
        form.profile_id.data = profile_id
    return _page(event_id, form)


@bp.post("/events/<int:event_id>/pairs")
def add_pair_rule(event_id: int):
    form = _form(event_id)
    if form.validate_on_submit():
        try:
            pair_rules.set_pair_rule(
                db.session,
                event=g.event,
                profile_id=form.profile_id.data,
                other_id=form.other_id.data,
                rule=form.rule.data,
            )
        except Invalid as error:
            show_errors(form, error)
        except Conflict as error:  # the pair declined: the form says so beside what was chosen
            form.form_errors.append(error.message)
            return _page(event_id, form, 409)
        else:
            flash("The rule is saved. The next run keeps it.", "success")
            return redirect(safe_next(form.next.data) or url_for(".pairs", event_id=event_id))
    return _page(event_id, form, 400)


@bp.post("/events/<int:event_id>/pairs/<int:rule_id>/delete")
def delete_pair_rule(event_id: int, rule_id: int):
    pair_rules.remove_pair_rule(db.session, event=g.event, rule_id=rule_id)
    flash("The rule is removed. The next run no longer keeps it.", "success")
    return redirect(url_for(".pairs", event_id=event_id))
