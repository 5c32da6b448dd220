"""Importing attendees: every row previewed with its line and reason; nothing written until
confirmed; then all valid rows in one transaction."""

from datetime import UTC, datetime

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


def _apply(session, ev, found, mailer):
    applied = imports.apply_import(
        session,
        event=ev,
        import_id=found.id,
        now=datetime(2030, 1, 1, tzinfo=UTC),
        mailer=mailer,
        claim_link=lambda user: f"https://meet.example.org/claim/{user.id}",
        event_link="https://meet.example.org/events",
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
