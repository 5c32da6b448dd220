import sqlalchemy as sa

from matchmaker.models import Event, User
from matchmaker.services import accounts


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
    assert result.output.splitlines() == [
        "Created demo event 'PyNetworking Demo Conference' with 25 attendees.",
        "  organiser login: organiser@demo.test / organise-demo",
        "  attendee login:  attendee@demo.test / attend-demo",
    ]
    assert session.scalars(sa.select(Event.slug)).all() == ["demo"]
