"""The app's commands: each parses its arguments, calls one service and prints a result."""

import click
from flask.cli import with_appcontext

from matchmaker.extensions import db
from matchmaker.services import accounts, demo
from matchmaker.services.errors import ServiceError


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
    click.echo(f"Organiser {user.email} is ready (user id {user.id}).")


@click.command("seed-demo")
@click.option("--attendees", default=220, show_default=True, help="How many attendees.")
@click.option("--seed", default=2026, show_default=True, help="Random seed.")
@with_appcontext
def seed_demo(attendees: int, seed: int) -> None:
    """Create the demo event (slug `demo`) with its organiser and attendees."""
    result = demo.seed_demo(db.session, attendees=attendees, seed=seed)
    verb = "Created" if result.created else "Already there:"
    click.echo(f"{verb} demo event {result.event.name!r} with {result.attendees} attendees.")
    click.echo(f"  organiser login: {demo.ORGANISER[0]} / {demo.ORGANISER[2]}")
    click.echo(f"  attendee login:  {demo.ATTENDEE[0]} / {demo.ATTENDEE[2]}")


commands = [create_organiser, seed_demo]
