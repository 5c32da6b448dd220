"""Hostile text: normalised to NFC, invisible control and format characters refused with a
message by the field, never a 500 (on PostgreSQL a NUL byte used to be one)."""

import string
import unicodedata

import pytest
import sqlalchemy as sa
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from matchmaker.extensions import limiter
from matchmaker.models import Event, Location, Profile, Tag, User
from matchmaker.text import clean_text, refused_character
from tests import factories


def test_a_nul_byte_at_login_is_named_not_a_500(client):
    response = client.post("/login", data={"email": "ol\x00ga@example.org", "password": "x"})

    assert response.status_code == 200
    assert "Remove the invisible character U+0000" in response.get_data(as_text=True)


def test_a_right_to_left_override_in_a_name_is_refused_and_the_form_kept(client, session):
    response = client.post(
        "/signup",
        data={
            "name": "Olga \u202egnp.exe",
            "email": "olga@example.org",
            "password": "long enough pw",
            "confirm": "long enough pw",
        },
    )

    page = response.get_data(as_text=True)
    assert "Remove the invisible character U+202E (right-to-left override)" in page
    assert 'value="olga@example.org"' in page
    assert session.scalar(sa.select(sa.func.count(User.id))) == 0


@pytest.mark.parametrize(
    "separator,name", [("\u2028", "line separator"), ("\u2029", "paragraph separator")]
)
def test_unicode_line_separators_in_a_name_are_refused(client, session, separator, name):
    response = client.post(
        "/signup",
        data={
            "name": f"Olga{separator}Admin",
            "email": "olga@example.org",
            "password": "long enough pw",
            "confirm": "long enough pw",
        },
    )

    page = response.get_data(as_text=True)
    assert f"Remove the invisible character U+{ord(separator):04X} ({name})" in page
    assert session.scalar(sa.select(sa.func.count(User.id))) == 0


def test_a_decomposed_tag_is_stored_composed(client, session):
    ev, people = factories.matchable_event(session, people=1)
    factories.login(client, "person0@example.org")

    client.post(
        f"/events/{ev.slug}/profile",
        data={"name": "Person 0", "interests": "e\u0301cole, data", "format": "any"},
    )

    names = session.scalars(sa.select(Tag.name).order_by(Tag.name)).all()
    assert "\u00e9cole" in names
    assert all(unicodedata.is_normalized("NFC", n) for n in names)


def test_clean_text_keeps_real_writing_and_drops_harmless_marks():
    assert clean_text("Łukasz Żółć") == "Łukasz Żółć"
    assert clean_text("क्\u200dष") == "क्\u200dष"  # a joiner that Devanagari needs
    assert clean_text("\ufeffAna\u200b") == "Ana"
    assert clean_text("line one\nline two", multiline=True) == "line one\nline two"
    with pytest.raises(ValueError, match=r"U\+000A \(a control character\)"):
        clean_text("line one\nline two")


PIECES = [
    "\x00",
    "\u202e",
    "\x1b",
    "e\u0301",
    "<script>",
    "'; DROP TABLE users; --",
    "Ω",
    "\u2066",
    "\ud7ff",
    " ",
    "a",
    "@",
    ",",
    "\n",
]
HOSTILE = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from(PIECES), max_size=20).map("".join),
    st.sampled_from(["x" * 5000, "<img src=x onerror=alert(1)>", "{{ 7*7 }}", "%s%s%n", "\u0000"]),
    st.text(alphabet=string.printable, max_size=200),
)


def _stored_text(session) -> list[str]:
    session.expire_all()
    values = []
    for model, columns in [
        (User, ["name", "email"]),
        (Event, ["name", "description", "venue"]),
        (Profile, ["name", "headline", "company", "bio", "looking_for", "can_help"]),
        (Tag, ["name"]),
        (Location, ["name"]),
    ]:
        for row in session.scalars(sa.select(model)):
            values += [getattr(row, c) or "" for c in columns]
    return values


def _assert_clean(session):
    for value in _stored_text(session):
        assert unicodedata.is_normalized("NFC", value), repr(value)
        assert refused_character(value, multiline=True) is None, repr(value)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(name=HOSTILE, description=HOSTILE, venue=HOSTILE, location=HOSTILE)
def test_organiser_forms_take_hostile_text_without_a_500(
    client, session, name, description, venue, location
):
    if not session.scalar(sa.select(User.id).where(User.email == "org@example.org")):
        factories.organiser(session)
        factories.login(client, "org@example.org")
    created = client.post(
        "/organiser/events/new",
        data={
            "name": name,
            "description": description,
            "venue": venue,
            "timezone": "UTC",
            "starts_on": "2030-05-14",
            "ends_on": "2030-05-14",
            "max_meetings": "6",
            "group_size_min": "3",
            "group_size_max": "6",
            "requests_per_person": "5",
            "tables_kept_free": "0",
            "meetings_kept_free": "0",
            "reminder_minutes": "10",
            "morning_check": "y",
        },
    )
    assert created.status_code in (200, 302)
    event_id = session.scalar(sa.select(Event.id).order_by(Event.id.desc()).limit(1))
    if event_id:
        added = client.post(
            f"/organiser/events/{event_id}/locations/new",
            data={"name": location, "capacity": "2", "count": "1"},
        )
        assert added.status_code in (200, 302)
    _assert_clean(session)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(headline=HOSTILE, bio=HOSTILE, interests=HOSTILE, looking_for=HOSTILE)
def test_the_profile_form_takes_hostile_text_without_a_500(
    client, session, headline, bio, interests, looking_for
):
    ev = session.scalar(sa.select(Event))
    if ev is None:
        ev, _ = factories.matchable_event(session, people=1)
        factories.login(client, "person0@example.org")
    limiter.reset()  # one person saving 40 times in a second is throttled (tests/web/test_throttle)
    response = client.post(
        f"/events/{ev.slug}/profile",
        data={
            "name": "Person 0",
            "headline": headline,
            "bio": bio,
            "interests": interests,
            "looking_for": looking_for,
            "can_help": bio,
            "format": "any",
        },
    )
    assert response.status_code in (200, 302)
    _assert_clean(session)


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(email=HOSTILE, name=HOSTILE, password=HOSTILE)
def test_login_and_signup_take_hostile_text_without_a_500(client, session, email, name, password):
    logged = client.post("/login", data={"email": email, "password": password})
    assert logged.status_code in (200, 302, 400, 413, 429)
    signed = client.post(
        "/signup", data={"name": name, "email": email, "password": password, "confirm": password}
    )
    assert signed.status_code in (200, 302, 400, 413, 429)
    client.post("/logout")
    _assert_clean(session)


@given(st.text(), st.booleans())
def test_scrubbing_ascii_in_one_pass_gives_what_each_character_would(value, multiline):
    from matchmaker.text import DROPPED, scrub_text

    text = unicodedata.normalize("NFC", "".join(ch for ch in value if ch not in DROPPED))
    one_by_one = "".join(" " if refused_character(ch, multiline) else ch for ch in text)

    assert scrub_text(value, multiline) == one_by_one
    assert scrub_text(value.encode("ascii", "ignore").decode(), multiline) == "".join(
        " " if refused_character(ch, multiline) else ch
        for ch in value.encode("ascii", "ignore").decode()
    )
