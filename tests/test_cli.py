import sqlalchemy as sa

from matchmaker.models import Event, MatchRun, User
from matchmaker.services.people import accounts
from tests import factories
from tests.fakes import RecordingMailer


def test_create_organiser_command(app, session):
    result = app.test_cli_runner().invoke(
        args=["create-organiser", "Olga@Example.org", "--password", "long enough pw"]
    )

    assert result.exit_code == 0, result.output
    user = session.scalars(sa.select(User)).one()
    assert result.output == f"Organiser olga@example.org is ready (user id {user.id}).\n"
    assert accounts.authenticate(
        session, email="olga@example.org", password="long enough pw"
    ).is_organiser


def test_create_organiser_with_short_password_fails(app, session):
    result = app.test_cli_runner().invoke(
        args=["create-organiser", "olga@example.org", "--password", "short"]
    )

    assert result.exit_code == 1
    assert "password: use at least 10 characters." in result.output
    assert session.query(User).count() == 0


def test_create_organiser_with_bad_email_fails(app, session):
    result = app.test_cli_runner().invoke(
        args=["create-organiser", "olga", "--password", "long enough pw"]
    )

    assert result.exit_code == 1
    assert "EMAIL: 'olga' is not an email address." in result.output


def test_seed_demo_command_prints_logins(app, session):
    result = app.test_cli_runner().invoke(args=["seed-demo", "--attendees", "25"])

    assert result.exit_code == 0, result.output
    token = session.scalar(sa.select(Event.join_token).where(Event.slug == "demo"))
    assert result.output.splitlines() == [
        "Created demo event 'PyNetworking Demo Conference' with 25 attendees.",
        "  organiser login: organiser@demo.test / organise-demo",
        "  attendee login:  attendee@demo.test / attend-demo",
        f"  join link (to sign up as a new attendee): http://matchmaker.test/join/{token}",
        "  the demo attendee also met people at a past meetup: see their Connections",
    ]
    assert session.scalars(sa.select(Event.slug).order_by(Event.id)).all() == [
        "demo",
        "demo-meetup",
    ]


def test_run_matching_prints_the_score_against_the_bound(app, session):
    ev, _ = factories.matchable_event(session)

    result = app.test_cli_runner().invoke(args=["run-matching", ev.slug])

    assert result.exit_code == 0, result.output
    run = session.scalars(sa.select(MatchRun)).one()
    m = run.metrics
    assert run.status == "done"
    assert result.output.splitlines()[-1] == (
        f"Run {run.id} is done: {m['one_to_one_meetings']} one-to-one meetings, "
        f"{m['group_meetings']} groups; {m['attendees_with_meeting']} of 8 attendees have a "
        f"meeting; {100 * m['objective'] / m['upper_bound']:.1f}% of the best possible (a "
        f"proven bound); {m['one_to_one_distribution'].get('1', 0)} of 8 who want one-to-ones "
        "have at most one."
    )
    assert "0" not in m["one_to_one_distribution"]


def test_run_matching_on_an_unknown_event_fails_with_a_message(app, session):
    result = app.test_cli_runner().invoke(args=["run-matching", "nope"])

    assert result.exit_code == 1
    assert result.output == "Error: There is no event 'nope'.\n"


def test_publish_takes_the_latest_finished_run_and_refuses_it_twice(app, session):
    ev, _ = factories.matchable_event(session)
    runner = app.test_cli_runner()
    runner.invoke(args=["run-matching", str(ev.id)])
    app.extensions["mailer"] = RecordingMailer()

    first = runner.invoke(args=["publish", ev.slug])
    second = runner.invoke(args=["publish", ev.slug, "--run", "1"])

    assert first.exit_code == 0, first.output
    assert (
        first.output
        == "Run 1 is now the schedule; 8 attendee(s) were told what changed for them.\n"
    )
    assert second.exit_code == 1
    assert second.output == "Error: This run is already the event's schedule.\n"


def test_serving_with_limits_counted_in_memory_warns_at_start_up(tmp_path):
    import os
    import subprocess
    import sys
    from pathlib import Path

    env = dict(os.environ, MATCHMAKER_BASE_URL="https://meet.example.org",
               DATABASE_URL=f"sqlite:///{tmp_path}/x.db")  # fmt: skip
    env.pop("MATCHMAKER_ENV", None)
    env.pop("RATELIMIT_STORAGE_URI", None)
    root = Path(__file__).resolve().parents[1]

    memory = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=root, env=env,
                            capture_output=True, text=True)  # fmt: skip
    shared = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=root,
                            env=dict(env, RATELIMIT_STORAGE_URI="redis://127.0.0.1:6379/15"),
                            capture_output=True, text=True)  # fmt: skip

    assert memory.returncode == 0, memory.stderr
    on_a_laptop = subprocess.run([sys.executable, "-c", "import wsgi"], cwd=root,
                                 env=dict(env, MATCHMAKER_ENV="development"),
                                 capture_output=True, text=True)  # fmt: skip
    assert "limits are counted in this process's memory" in memory.stderr
    assert "counted in this process's memory" not in shared.stderr
    assert "counted in this process's memory" not in on_a_laptop.stderr  # scripts/demo


def test_export_schedule_writes_the_csv_and_one_attendees_calendar(app, session, tmp_path):
    ev, _ = factories.matchable_event(session)
    runner = app.test_cli_runner()
    app.extensions["mailer"] = RecordingMailer()
    before = runner.invoke(
        args=["export-schedule", ev.slug, "--format", "csv", "-o", str(tmp_path / "a.csv")]
    )
    runner.invoke(args=["run-matching", ev.slug])
    runner.invoke(args=["publish", ev.slug])

    sheet = runner.invoke(
        args=["export-schedule", ev.slug, "--format", "csv", "-o", str(tmp_path / "s.csv")]
    )
    mine = runner.invoke(args=["export-schedule", ev.slug, "--format", "ics", "--attendee",
                               "person0@example.org", "-o", str(tmp_path / "p.ics")])  # fmt: skip

    assert before.exit_code == 1
    assert (
        before.output
        == "Error: Nothing is published for this event yet: publish a matching run first.\n"
    )
    assert not (tmp_path / "a.csv").exists()
    assert sheet.exit_code == 0, sheet.output
    lines = (tmp_path / "s.csv").read_text(encoding="utf-8").splitlines()
    assert sheet.output == f"Wrote {len(lines) - 1} meeting row(s) to {tmp_path / 's.csv'}.\n"
    assert mine.exit_code == 0, mine.output
    assert (tmp_path / "p.ics").read_bytes().startswith(b"BEGIN:VCALENDAR\r\n")


def test_export_schedule_writes_each_pdf(app, session, tmp_path):
    ev, _ = factories.matchable_event(session)
    runner = app.test_cli_runner()
    app.extensions["mailer"] = RecordingMailer()
    runner.invoke(args=["run-matching", ev.slug])
    runner.invoke(args=["publish", ev.slug])

    for fmt in ("attendees-pdf", "locations-pdf", "grid-pdf"):
        result = runner.invoke(
            args=["export-schedule", ev.slug, "--format", fmt, "-o", str(tmp_path / f"{fmt}.pdf")]
        )
        assert result.exit_code == 0, result.output
        assert (tmp_path / f"{fmt}.pdf").read_bytes().startswith(b"%PDF-")
    from pypdf import PdfReader

    sign = PdfReader(tmp_path / "locations-pdf.pdf").pages[0]
    (link,) = [a.get_object()["/A"]["/URI"] for a in sign["/Annots"]]
    assert link.startswith(f"http://matchmaker.test/events/{ev.slug}/here/")
