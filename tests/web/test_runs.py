"""The matching pages: start a run, follow it, review its plan, publish it."""

import sqlalchemy as sa

from matchmaker import runner
from matchmaker.models import Event, MatchRun
from matchmaker.services.core import jobs
from matchmaker.services.planning import matching
from tests import factories
from tests.fakes import RecordingMailer


def _start(client, ev):
    response = client.post(f"/organiser/events/{ev.id}/runs")
    runner.wait_for_threads()
    return response


def test_running_matching_records_a_run_and_a_thread_finishes_it(app, client, session):
    ev, _ = factories.matchable_event(session)
    factories.login(client, "org@example.org")

    response = _start(client, ev)

    run = session.scalars(sa.select(MatchRun)).one()
    assert response.status_code == 302
    assert response.headers["Location"] == f"/organiser/events/{ev.id}/runs/{run.id}"
    session.refresh(run)
    assert (run.status, run.progress) == ("done", 100)
    status = client.get(f"/organiser/events/{ev.id}/runs/{run.id}/status").get_json()
    assert status == {"status": "done", "progress": 100, "phase": "done", "error": ""}


def test_the_review_shows_the_bound_the_grid_and_the_reasons(client, session):
    ev, profiles = factories.matchable_event(session)
    factories.login(client, "org@example.org")
    _start(client, ev)
    run = session.scalars(sa.select(MatchRun)).one()

    page = client.get(f"/organiser/events/{ev.id}/runs/{run.id}").get_data(as_text=True)

    ratio = 100 * run.metrics["objective"] / run.metrics["upper_bound"]
    assert f"{ratio:.1f}%</p><p>of the best possible" in page
    assert "plus a bonus for each person's first, second and third one-to-one" in page
    assert "How one-to-ones are shared" in page
    assert "Attendees by number of meetings" in page and "<svg" in page
    assert "Table 1</th>" in page and "Room 2</th>" in page
    assert "Meetings and why" in page
    assert "Publish this plan" in page


def test_a_queued_run_shows_a_progress_bar_that_works_without_javascript(client, session):
    ev, _ = factories.matchable_event(session)
    factories.login(client, "org@example.org")
    from datetime import UTC, datetime, timedelta

    from matchmaker.services.planning import matching

    run = matching.start_run(
        session,
        event=ev,
        actor_id=ev.organisers[0].user_id,
        now=datetime.now(UTC),
        timeout=timedelta(minutes=30),
    )

    page = client.get(f"/organiser/events/{ev.id}/runs/{run.id}").get_data(as_text=True)

    assert '<progress id="run-bar" max="100" value="0">0%</progress>' in page
    assert '<noscript><meta http-equiv="refresh" content="3"></noscript>' in page
    assert "run-progress.js" in page
    assert client.post(f"/organiser/events/{ev.id}/runs").status_code == 409


def test_an_event_that_cannot_be_matched_says_what_is_missing(client, session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.login(client, owner.email)

    response = client.post(f"/organiser/events/{ev.id}/runs")

    page = response.get_data(as_text=True)
    assert response.status_code == 400
    assert "Add time slots before running matching." in page
    assert "At least two attendees must fill in their profiles first." in page
    assert session.scalar(sa.select(sa.func.count(MatchRun.id))) == 0


def test_publishing_makes_the_run_the_schedule_and_tells_each_attendee(app, client, session):
    ev, profiles = factories.matchable_event(session)
    factories.login(client, "org@example.org")
    _start(client, ev)
    run = session.scalars(sa.select(MatchRun)).one()
    app.extensions["mailer"] = mailer = RecordingMailer()

    response = client.post(f"/organiser/events/{ev.id}/runs/{run.id}/publish")

    session.expire_all()
    assert response.status_code == 302
    assert session.get(Event, ev.id).published_run_id == run.id
    with_meeting = run.metrics["attendees_with_meeting"]
    assert len(mailer.sent) == with_meeting
    assert mailer.sent[0].subject == "PyCon Test: your meetings are planned"
    assert "Your schedule: http://matchmaker.test/events/pycon-test/introductions\n" in (
        mailer.sent[0].body
    )
    page = client.get(f"/organiser/events/{ev.id}/runs").get_data(as_text=True)
    assert '<span class="badge">published</span>' in page
    assert client.post(f"/organiser/events/{ev.id}/runs/{run.id}/publish").status_code == 409


def test_two_runs_compare_side_by_side(client, session):
    from datetime import UTC, datetime, timedelta

    from matchmaker.services.planning import matching, pair_rules

    ev, people = factories.matchable_event(session, people=4, group_slots=0, rooms=0)

    def run():
        started = matching.start_run(
            session,
            event=ev,
            actor_id=None,
            now=datetime.now(UTC),
            timeout=timedelta(hours=1),
        )
        return matching.execute_run(session, run_id=started.id)

    first = run()
    dropped = matching.run_meetings(session, run_id=first.id)[0]
    a, b = (s.profile_id for s in dropped.seats)
    pair_rules.set_pair_rule(
        session,
        event=ev,
        profile_id=a,
        other_id=b,
        rule="apart",
    )
    second = run()
    factories.login(client, "org@example.org")

    page = client.get(
        f"/organiser/events/{ev.id}/runs/compare?first={first.id}&second={second.id}"
    ).get_data(as_text=True)

    names = ", ".join(s.profile.name for s in dropped.seats)
    only_first = page.split(f"only in run {first.id}")[1].split(f"only in run {second.id}")[0]
    assert f"<strong>{names}</strong>" in only_first
    assert f"<strong>{names}</strong>" not in page.split(f"only in run {second.id}")[1]
    # Per attendee: each of the pair lost that meeting (and may have a new one).
    for seat in dropped.seats:
        summary = page.split(f"<strong>{seat.profile.name}</strong>:")[1].split("</summary>")[0]
        assert "gone" in summary
        assert (
            f"Gone: {dropped.slot.starts_at:%a %d %b %H:%M} · {dropped.location.name}, with "
            in page
        )
    runs_page = client.get(f"/organiser/events/{ev.id}/runs").get_data(as_text=True)
    assert '<select id="second" name="second">' in runs_page


def test_review_and_overview_queries_do_not_grow_with_attendees(app, client, session):
    from tests.web.test_organiser import _count_queries

    def counts(people):
        ev, _ = factories.matchable_event(
            session, factories.organiser(session, email=f"o{people}@example.org"), people=people
        )
        for k, profile in enumerate(_):
            profile.user.email = f"p{people}-{k}@example.org"
        session.commit()
        factories.login(client, f"o{people}@example.org")
        _start(client, ev)
        run = session.scalars(sa.select(MatchRun).where(MatchRun.event_id == ev.id)).one()
        review = _count_queries(app, f"/organiser/events/{ev.id}/runs/{run.id}", client)
        overview = _count_queries(app, f"/organiser/events/{ev.id}", client)
        client.post("/logout")
        return review, overview

    few = counts(4)
    many = counts(12)

    assert many == few


def test_a_large_plan_is_reviewed_one_slot_at_a_time(client, session, monkeypatch):
    from matchmaker.services.planning import review

    monkeypatch.setattr(review, "INLINE_MEETINGS", 2)
    ev, _ = factories.matchable_event(session)
    factories.login(client, "org@example.org")
    _start(client, ev)
    run = session.scalars(sa.select(MatchRun)).one()
    slot = ev.slots[0]

    overview = client.get(f"/organiser/events/{ev.id}/runs/{run.id}").get_data(as_text=True)
    one_slot = client.get(f"/organiser/events/{ev.id}/runs/{run.id}?slot={slot.id}").get_data(
        as_text=True
    )

    assert "choose a slot above to see its grid" in overview
    assert "Meetings and why" not in overview
    assert f"?slot={slot.id}#grid-h" in overview
    assert f"Grid of {slot.starts_at.strftime('%a %d %b %H:%M')}" in one_slot
    assert one_slot.count('<li id="meeting-') == len(
        [m for m in run.meetings if m.slot_id == slot.id]
    )


def test_a_run_whose_worker_was_lost_shows_failed_on_its_status(app, client, session):
    from datetime import UTC, datetime, timedelta

    from matchmaker.services.planning import matching

    ev, _ = factories.matchable_event(session)
    run = matching.start_run(
        session,
        event=ev,
        actor_id=None,
        now=datetime.now(UTC) - timedelta(hours=2),
        timeout=timedelta(minutes=30),
    )
    factories.login(client, "org@example.org")

    status = client.get(f"/organiser/events/{ev.id}/runs/{run.id}/status").get_json()

    assert status["status"] == "failed"
    assert status["error"] == jobs.WAITED_TOO_LONG.format(minutes=30)


def test_publishing_asks_for_confirmation_with_what_changes_per_attendee(client, session):
    ev, profiles = factories.matchable_event(session, people=4, group_slots=0, rooms=0)
    factories.login(client, "org@example.org")
    _start(client, ev)
    run = session.scalars(sa.select(MatchRun)).one()
    review_page = client.get(f"/organiser/events/{ev.id}/runs/{run.id}").get_data(as_text=True)
    confirm = f"/organiser/events/{ev.id}/runs/{run.id}/publish"
    assert f'href="{confirm}">Publish this plan…</a>' in review_page

    page = client.get(confirm).get_data(as_text=True)

    seated = sorted(
        {s.profile.name for m in matching.run_meetings(session, run_id=run.id) for s in m.seats}
    )
    assert f"Publish run {run.id}?" in page
    assert f"<strong>{len(seated)} attendees</strong> will get a message" in page
    assert f"Publish and tell {len(seated)} attendees" in page
    assert [n for n in seated if f"<strong>{n}</strong>:" in page] == seated
    session.refresh(ev)
    assert ev.published_run_id is None  # looking publishes nothing

    assert client.post(confirm).status_code == 302
    session.refresh(ev)
    assert ev.published_run_id == run.id
