"""Importing attendees: every row previewed with its line and reason; nothing written until
confirmed; then all valid rows in one transaction."""

from datetime import UTC, datetime, timedelta

import pytest
import sqlalchemy as sa

from matchmaker.models import Profile, User
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.setup import imports
from tests import factories
from tests.fakes import RecordingMailer

GOOD_AND_BAD = (
    "\ufeffName;Email;Company;Headline;Interests;Seeks;Offers\n"
    "Łukasz Żółć;lukasz@example.org;Acme;Data engineer;python|data;mentorship;knowledge|jobs\n"
    "No Mail;not-an-email;;;;;\n"
    "Bo;bo@example.org;;;;world peace;\n"
    "Łukasz Again;LUKASZ@example.org;;;;;\n"
    ";empty@example.org;;;;;\n"
    "Ana Attendee;ana@example.org;Beta;;;;\n"
)


def _parse(session, ev, text=GOOD_AND_BAD):
    return imports.parse_import(
        session,
        event=ev,
        actor_id=ev.organisers[0].user_id,
        data=text.encode("utf-8") if isinstance(text, str) else text,
        filename="people.csv",
    )


LIMITS = imports.InvitationLimits(per_day=2000, per_day_new=200, new_days=7)
NOW = datetime(2030, 1, 1, tzinfo=UTC)


def _apply(session, ev, found, mailer, limits=LIMITS, now=NOW):
    applied = imports.apply_import(
        session,
        event=ev,
        import_id=found.id,
        now=now,
        mailer=mailer,
        claim_link=lambda user: f"https://meet.example.org/claim/{user.id}",
        join_link="https://meet.example.org/join/abc",
        limits=limits,
    )
    session.commit()  # as the request would
    return applied


@pytest.fixture
def ev(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner)
    factories.attendee(session, ev, email="ana@example.org")
    return ev


def test_the_preview_names_every_line_and_writes_no_person(session, ev):
    found = _parse(session, ev)

    assert [(r["line"], r["action"], r["reason"]) for r in found.rows] == [
        (2, "create", ""),
        (3, "reject", "email 'not-an-email' is not an email address"),
        (
            4,
            "reject",
            "seeks: 'world peace' is not one of mentorship, jobs, knowledge, collaboration, business",
        ),
        (5, "reject", "email lukasz@example.org is on line 2 already"),
        (6, "reject", "name is empty"),
        (7, "update", "at the event, profile not filled yet"),
    ]
    assert found.rows[0]["interests"] == ["python", "data"]
    assert found.rows[0]["offers"] == ["jobs", "knowledge"]
    assert session.scalar(sa.select(sa.func.count(User.id))) == 2  # organiser and Ana


def test_confirming_creates_and_updates_the_valid_rows_and_mails_claim_links(session, ev):
    found = _parse(session, ev)
    mailer = RecordingMailer()

    applied = _apply(session, ev, found, mailer)

    assert (applied.created, applied.updated, applied.mailed) == (1, 1, 1)
    lukasz = session.scalars(sa.select(User).where(User.email == "lukasz@example.org")).one()
    profile = session.scalars(sa.select(Profile).where(Profile.user_id == lukasz.id)).one()
    assert (profile.name, profile.company, profile.headline) == (
        "Łukasz Żółć",
        "Acme",
        "Data engineer",
    )
    assert [t.name for t in profile.tags] == ["data", "python"]
    assert profile.intent_names("offers") == ["jobs", "knowledge"]
    assert profile.completed_at is None and lukasz.password_hash is None
    ana = session.scalars(
        sa.select(Profile).join(User).where(User.email == "ana@example.org")
    ).one()
    assert ana.company == "Beta"
    assert [m.to for m in mailer.sent] == ["lukasz@example.org"]
    assert f"https://meet.example.org/claim/{lukasz.id}" in mailer.sent[0].body
    with pytest.raises(Conflict, match="imported already"):
        _apply(session, ev, found, mailer)


def test_a_profile_the_attendee_filled_is_left_as_they_wrote_it(session, ev):
    ana = session.scalars(sa.select(Profile)).one()
    ana.completed_at = datetime(2030, 1, 1, tzinfo=UTC)
    session.commit()

    found = _parse(session, ev, "name,email,company\nAna,ana@example.org,Other\n")
    _apply(session, ev, found, RecordingMailer())

    assert found.rows[0]["action"] == "keep"
    session.refresh(ana)
    assert ana.company == ""


@pytest.mark.parametrize(
    "data,message",
    [
        (b"", "The file is empty"),
        ("name,email\nA,a@example.org\n".encode("utf-16"), "Line 1 is not UTF-8 text"),
        (
            b"name,e-mail\n",
            "Line 1 (the header): column 'email' is missing; column 'e-mail' is not one we know.",
        ),
        (b"x" * (imports.MAX_BYTES + 1), "The file is larger than 2 MB."),
    ],
)
def test_a_file_that_cannot_be_read_is_named(session, ev, data, message):
    with pytest.raises(Invalid) as error:
        _parse(session, ev, data)

    assert error.value.errors["file"][0].startswith(message)


def test_too_many_rows_are_refused(session, ev, monkeypatch):
    monkeypatch.setattr(imports, "MAX_ROWS", 2)

    with pytest.raises(Invalid, match="has 3 people; import at most 2"):
        _parse(session, ev, "name,email\n" + "".join(f"P{k},p{k}@example.org\n" for k in range(3)))


def test_a_new_interest_on_several_lines_becomes_one_tag(session, ev):
    from matchmaker.models import Tag

    found = _parse(
        session, ev, "name,email,interests\nA,a@example.org,quantum|rust\nB,b@example.org,quantum\n"
    )

    _apply(session, ev, found, RecordingMailer())

    assert session.scalars(sa.select(Tag.name).order_by(Tag.name)).all() == ["quantum", "rust"]
    holders = session.scalars(sa.select(Profile).join(Profile.tags).where(Tag.name == "quantum"))
    assert sorted(p.name for p in holders) == ["A", "B"]


def _lines(count: int, start: int = 0) -> str:
    return "name,email\n" + "".join(f"P{k},p{k}@example.org\n" for k in range(start, start + count))


def test_a_new_organisers_invitations_are_capped_a_day_and_nothing_is_done_past_it(session, ev):
    owner = ev.organisers[0].user
    owner.created_at = NOW  # a new account
    small = imports.InvitationLimits(per_day=50, per_day_new=5, new_days=7)
    first = _parse(session, ev, _lines(3))
    _apply(session, ev, first, RecordingMailer(), limits=small)
    second = _parse(session, ev, _lines(3, start=3))
    session.commit()  # the upload's own request
    mailer = RecordingMailer()

    with pytest.raises(Conflict, match="would send 3 invitations, and you can send 2 more"):
        _apply(session, ev, second, mailer, limits=small)

    session.rollback()
    assert mailer.sent == []
    assert session.scalar(sa.select(sa.func.count(User.id)).where(User.email.like("p%"))) == 3
    later = NOW + timedelta(days=8)  # an older account now, and a new day
    assert _apply(session, ev, second, RecordingMailer(), limits=small, now=later).mailed == 3


def test_an_administrator_can_raise_one_organisers_limit(session, ev):
    owner = ev.organisers[0].user
    owner.created_at, owner.invitations_per_day = NOW, 10
    small = imports.InvitationLimits(per_day=50, per_day_new=5, new_days=7)

    applied = _apply(session, ev, _parse(session, ev, _lines(8)), RecordingMailer(), limits=small)

    assert applied.mailed == 8


def test_an_existing_account_is_invited_not_attached_and_joins_with_what_was_imported(session, ev):
    other = factories.organiser(session, email="otto@example.org", name="Otto")
    found = _parse(session, ev, "name,email,company,interests\nOtto O,otto@example.org,Acme,rust\n")
    mailer = RecordingMailer()

    applied = _apply(session, ev, found, mailer)

    assert (applied.created, applied.mailed) == (1, 1)
    assert session.scalar(sa.select(Profile).where(Profile.user_id == other.id)) is None
    (mail,) = mailer.sent
    assert mail.subject == "Invitation to “PyCon Test” on matchmaker"
    assert "https://meet.example.org/join/abc" in mail.body
    assert "You already have an account" in mail.body
    from matchmaker.services.people import attendance

    joined = attendance.join_event(session, token=ev.join_token, user_id=other.id)
    filled = imports.fill_from_invitation(session, profile=joined, now=NOW)
    assert filled and (joined.name, joined.company) == ("Otto O", "Acme")
    assert [t.name for t in joined.tags] == ["rust"]


def test_an_event_name_is_quoted_as_a_name_in_the_invitation_subject(session):
    owner = factories.organiser(session)
    ev = factories.event(session, owner, name="URGENT: verify your account at evil.example")
    mailer = RecordingMailer()

    _apply(session, ev, _parse(session, ev, _lines(1)), mailer)

    assert mailer.sent[0].subject == (
        "Invitation to “URGENT: verify your account at evil.example” on matchmaker"
    )
