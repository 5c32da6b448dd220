import pytest

from matchmaker.models import User
from matchmaker.models import user as user_model
from matchmaker.services.errors import Invalid
from matchmaker.services.people import accounts
from tests import factories


def test_an_organiser_account_keeps_a_lowercase_email_and_a_scrypt_hash(session):
    user = accounts.add_user(
        session,
        email="  Olga@Example.ORG ",
        name="Olga",
        password="correct horse battery",
        is_organiser=True,
    )

    assert user.email == "olga@example.org"
    assert user.is_organiser is True
    assert user.password_hash.startswith("scrypt:")
    assert "correct horse battery" not in user.password_hash


def test_sign_up_with_email_in_other_case_is_refused(session):
    factories.organiser(session, email="olga@example.org")

    with pytest.raises(Invalid) as error:
        accounts.add_user(
            session, email="OLGA@example.org", name="O", password="x", is_organiser=True
        )

    assert error.value.errors == {"email": [accounts.EMAIL_TAKEN]}
    assert session.query(User).count() == 1


def test_authenticate_accepts_any_case_of_email(session):
    user = factories.organiser(session, email="olga@example.org")

    assert (
        accounts.authenticate(session, email="OLGA@EXAMPLE.org", password=factories.PASSWORD)
        == user
    )


@pytest.mark.parametrize(
    "email,password",
    [("olga@example.org", "wrong password"), ("nobody@x.org", factories.PASSWORD)],
)
def test_authenticate_with_wrong_email_or_password_fails(session, email, password):
    factories.organiser(session, email="olga@example.org")

    with pytest.raises(Invalid) as error:
        accounts.authenticate(session, email=email, password=password)

    assert error.value.errors == {"password": [accounts.BAD_LOGIN]}


def test_an_unknown_address_costs_a_password_hash_like_a_known_one(session, monkeypatch):
    """Equal work for both answers: response times do not tell which addresses exist."""
    factories.organiser(session, email="olga@example.org")
    hashed = []
    real = user_model.hash_password
    monkeypatch.setattr(user_model, "hash_password", lambda pw: hashed.append(pw) or real(pw))
    checked = []
    real_check = user_model.check_password_hash
    monkeypatch.setattr(
        user_model, "check_password_hash", lambda h, pw: checked.append(pw) or real_check(h, pw)
    )

    for email in ("nobody@example.org", "olga@example.org"):
        with pytest.raises(Invalid):
            accounts.authenticate(session, email=email, password="a wrong guess")

    assert hashed == ["a wrong guess"]
    assert checked == ["a wrong guess"]


def test_user_without_password_cannot_log_in(session):
    user = accounts.add_user(
        session, email="gen@example.org", name="Gen", password=None, is_organiser=False
    )
    session.commit()

    assert user.check_password("") is False
    with pytest.raises(Invalid):
        accounts.authenticate(session, email="gen@example.org", password="")


def test_create_organiser_promotes_existing_attendee(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    profile = factories.attendee(session, ev, email="ana@example.org")
    assert profile.user.is_organiser is False

    user = accounts.create_organiser(
        session, email="ANA@example.org", name="Ana", password="new password 1"
    )

    assert user.id == profile.user.id
    assert user.is_organiser is True
    assert user.check_password("new password 1") is True
