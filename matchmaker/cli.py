"""The app's commands: each parses its arguments, calls one service, commits what it wrote
(`boundary.commit`: then its mail leaves) and prints a result."""

from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

import click
from flask import current_app
from flask.cli import with_appcontext

from matchmaker import boundary, runner
from matchmaker.exports import pdf
from matchmaker.exports.formats import SCHEDULE_FORMATS, Options
from matchmaker.extensions import db
from matchmaker.mailer import current_mailer
from matchmaker.models import Event, MatchRun
from matchmaker.models.api import TOKEN_SCOPES
from matchmaker.runner import run_timeout, semantic_model, sweep
from matchmaker.runner.heartbeat import heartbeat
from matchmaker.services import demo
from matchmaker.services.core import access
from matchmaker.services.errors import ServiceError
from matchmaker.services.people import accounts, api_tokens
from matchmaker.services.planning import matching, publishing
from matchmaker.services.schedules import published
from matchmaker.web import external_url


@click.command("create-organiser")
@click.argument("email")
@click.option("--name", default=None, help="Display name (default: the part before @).")
@click.password_option(help="The password (asked for when not given).")
@with_appcontext
def create_organiser(email: str, name: str | None, password: str) -> None:
    """Create an organiser account, or make an existing user an organiser."""
    if len(password) < 10:
        raise click.ClickException("password: use at least 10 characters.")
    if "@" not in email:
        raise click.ClickException(f"EMAIL: {email!r} is not an email address.")
    try:
        user = accounts.create_organiser(
            db.session, email=email, name=name or email.split("@")[0], password=password
        )
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    _commit()
    click.echo(f"Organiser {user.email} is ready (user id {user.id}).")


@click.command("seed-demo")
@click.option("--attendees", default=220, show_default=True, help="How many attendees.")
@click.option("--seed", default=2026, show_default=True, help="Random seed.")
@with_appcontext
def seed_demo(attendees: int, seed: int) -> None:
    """Create the demo event (slug `demo`) with its organiser and attendees."""
    result = demo.seed_demo(db.session, attendees=attendees, seed=seed)
    _commit()
    verb = "Created" if result.created else "Already there:"
    click.echo(f"{verb} demo event {result.event.name!r} with {result.attendees} attendees.")
    click.echo(f"  organiser login: {demo.ORGANISER[0]} / {demo.ORGANISER[2]}")
    click.echo(f"  attendee login:  {demo.ATTENDEE[0]} / {demo.ATTENDEE[2]}")
    click.echo(f"  join link (to sign up as a new attendee): "
               f"{external_url('attendee.join', token=result.event.join_token)}")  # fmt: skip
    click.echo("  the demo attendee also met people at a past meetup: see their Connections")


def _commit() -> None:
    """Commit what the command wrote, and wait for the jobs it started (its mail) to end."""
    boundary.commit()
    runner.wait_for_threads()


def _event(ref: str) -> Event:
    try:
        return access.find_event(db.session, ref)
    except ServiceError as error:
        raise click.ClickException(error.message) from error


@click.command("run-matching")
@click.argument("event")
@with_appcontext
def run_matching(event: str) -> None:
    """Plan meetings for EVENT (an id or a slug) in the foreground, with a progress bar."""
    found = _event(event)
    try:
        run = matching.start_run(
            db.session,
            event=found,
            actor_id=None,
            now=datetime.now(UTC),
            timeout=run_timeout(current_app),
        )
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    _commit()  # the run is recorded; executing it is a job, which commits its own
    heartbeat().hold(current_app._get_current_object(), MatchRun, run.id)
    with click.progressbar(length=100, label=f"Run {run.id}", show_percent=True) as bar:
        done = [0]

        def report(percent: int) -> None:
            bar.update(percent - done[0])
            done[0] = percent

        run = matching.execute_run(
            db.session,
            run_id=run.id,
            on_progress=report,
            embedder=semantic_model(current_app),
        )
        report(100 if run.is_done else done[0])
    heartbeat().release(MatchRun, run.id)
    if not run.is_done:
        raise click.ClickException(f"Run {run.id} failed: {run.error}")
    click.echo(run_summary(run))


def run_summary(run) -> str:
    """A finished run in one line: meetings, who has one, the objective against its bound,
    and how many of those who want one-to-ones get at most one."""
    m = run.metrics
    if not m["upper_bound"]:
        return f"Run {run.id} is done: {m['group_meetings']} groups, no one-to-one meetings."
    shares = m.get("one_to_one_distribution", {})
    few = shares.get("0", 0) + shares.get("1", 0)
    return (
        f"Run {run.id} is done: {m['one_to_one_meetings']} one-to-one meetings, "
        f"{m['group_meetings']} groups; {m['attendees_with_meeting']} of {m['attendees']} "
        f"attendees have a meeting; {100 * m['objective'] / m['upper_bound']:.1f}% of the best "
        f"possible (a proven bound); {few} of {sum(shares.values())} who want one-to-ones "
        "have at most one."
    )


@click.command("publish")
@click.argument("event")
@click.option(
    "--run", "run_id", type=int, default=None, help="The run (default: the latest finished)."
)
@with_appcontext
def publish(event: str, run_id: int | None) -> None:
    """Publish a finished run of EVENT as its schedule, and tell attendees what changed."""
    found = _event(event)
    try:
        published = publishing.publish_run(
            db.session,
            event=found,
            run_id=run_id,
            now=datetime.now(UTC),
            mailer=current_mailer(),
            schedule_link=external_url("attendee.introductions", slug=found.slug),
        )
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    _commit()
    click.echo(
        f"Run {published.run.id} is now the schedule; {published.messages} attendee(s) were "
        "told what changed for them."
    )


@click.command("export-schedule")
@click.argument("event")
@click.option(
    "--format",
    "fmt",
    type=click.Choice(list(SCHEDULE_FORMATS)),
    required=True,
    help="The file's kind.",
)
@click.option("--large-print", is_flag=True, help="attendees-pdf: large type.")
@click.option("--attendee", "email", default=None, help="One attendee's schedule only.")
@click.option("--bom", is_flag=True, help="CSV: a byte-order mark first, for spreadsheets.")
@click.option("-o", "--output", type=click.Path(dir_okay=False, writable=True), required=True)
@with_appcontext
def export_schedule(
    event: str, fmt: str, large_print: bool, email: str | None, bom: bool, output: str
) -> None:
    """Write EVENT's published schedule (or one attendee's) to a file."""
    found = _event(event)
    try:
        schedule = published.published_schedule(
            db.session, event=found, now=datetime.now(UTC), attendee_email=email
        )
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    _commit()  # answers settled at a passed deadline, if they were due
    try:
        base = current_app.config["MATCHMAKER_BASE_URL"] or "http://localhost"
        options = Options(
            host=urlsplit(base).hostname or "localhost",
            one_person=email is not None,
            bom=bom,
            large_print=large_print,
            table_link=lambda code: external_url("attendee.at_table", slug=found.slug, code=code),
        )
        export = SCHEDULE_FORMATS[fmt].build(schedule, options)
    except pdf.FontsMissing as error:
        raise click.ClickException(str(error)) from error
    Path(output).write_bytes(export.data)
    click.echo(f"Wrote {len(schedule.rows)} meeting row(s) to {output}.")


@click.command("allow-invitations")
@click.argument("email")
@click.argument("per_day", type=click.IntRange(min=0))
@with_appcontext
def allow_invitations(email: str, per_day: int) -> None:
    """Let the organiser with EMAIL send PER_DAY invitations in 24 hours (an administrator's
    decision: the default keeps new organisers to a few)."""
    user = _organiser(email)
    user.invitations_per_day = per_day
    _commit()
    click.echo(f"{user.email} may now send {per_day} invitation(s) in 24 hours.")


@click.command("sweep")
@with_appcontext
def sweep_command() -> None:
    """Look once for work left behind (jobs whose worker stopped, mail that is due,
    embeddings never computed), start what is due and wait for it (for cron, where no web
    process sweeps)."""
    found = sweep.sweep(current_app._get_current_object())
    runner.wait_for_threads(600)
    click.echo(
        f"{found['stale_runs']} run(s) and {found['stale_exports']} export(s) whose worker "
        f"stopped were failed; {found['mail_due']} message(s) were due; "
        f"{found['embeddings']} profile embedding(s) were caught up."
    )


@click.group("api-token")
def api_token() -> None:
    """Organisers' tokens for the REST API."""


def _organiser(email: str):
    user = accounts.find_user_by_email(db.session, email)
    if user is None or not user.is_organiser:
        raise click.ClickException(f"There is no organiser with the address {email}.")
    return user


@api_token.command("create")
@click.argument("email")
@click.option("--name", required=True, help="What will use it, such as 'ticket shop sync'.")
@click.option("--scope", type=click.Choice(TOKEN_SCOPES), default="read", show_default=True)
@with_appcontext
def api_token_create(email: str, name: str, scope: str) -> None:
    """Make a token for the organiser with EMAIL; it is printed once, never again."""
    try:
        made = api_tokens.create_token(
            db.session, user=_organiser(email), name=name, scope=scope, now=datetime.now(UTC)
        )
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    _commit()
    click.echo(f"Token {made.token.id} ({scope}) for {email}; it is shown only this once:")
    click.echo(made.secret)


@api_token.command("list")
@click.argument("email")
@with_appcontext
def api_token_list(email: str) -> None:
    """The live tokens of the organiser with EMAIL."""
    for token in api_tokens.list_tokens(db.session, user_id=_organiser(email).id):
        used = token.last_used_at.strftime("%Y-%m-%d %H:%M") if token.last_used_at else "never"
        click.echo(f"{token.id}\t{token.prefix}…\t{token.scope}\tlast used {used}\t{token.name}")


@api_token.command("revoke")
@click.argument("email")
@click.argument("token_id", type=int)
@with_appcontext
def api_token_revoke(email: str, token_id: int) -> None:
    """Revoke the token TOKEN_ID of the organiser with EMAIL, for good."""
    try:
        token = api_tokens.revoke_token(
            db.session, user_id=_organiser(email).id, token_id=token_id, now=datetime.now(UTC)
        )
    except ServiceError as error:
        raise click.ClickException(error.message) from error
    _commit()
    click.echo(f"Token {token.id} ({token.name}) is revoked.")


commands = [
    api_token,
    create_organiser,
    seed_demo,
    run_matching,
    publish,
    export_schedule,
    allow_invitations,
    sweep_command,
]
