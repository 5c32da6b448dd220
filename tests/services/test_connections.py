"""Connections and an attendee's own data: met people are kept with contact details only
when both shared them; hide, download and delete."""

import json
from datetime import date

import pytest

from matchmaker.exports.contacts import connections_csv, connections_vcf
from matchmaker.models import Meeting, Profile, User
from matchmaker.services import my_data
from matchmaker.services.core import calendar_ids
from matchmaker.services.core.messages import Notice
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.introductions.answers import record_outcome
from matchmaker.services.people import attendance
from matchmaker.services.people.connections import my_connections
from matchmaker.services.planning import adapter
from tests import factories
from tests.fakes import RecordingMailer
from tests.services.test_introductions import BEFORE, DURING, _by_id, _event, _mine, _plan


def _said(session, ev, profile, meeting_id, outcome, rating=None):
    record_outcome(
        session,
        slug=ev.slug,
        user_id=profile.user_id,
        meeting_id=meeting_id,
        outcome=outcome,
        rating=rating,
        note="",
        now=DURING,
    )


def _share(session, ev, profile, links=()):
    data = dict(
        name=profile.name,
        available_slot_ids=tuple(s.id for s in profile.available_slots),
        share_contact=True,
        links=tuple(links),
    )
    attendance.save_profile(
        session, slug=ev.slug, user_id=profile.user_id, data=attendance.ProfileData(**data)
    )


def test_both_saying_we_met_connects_them_with_contact_only_when_both_share(session):
    ev, profiles = _event(session, people=4, tables=2)
    (first, (a, b)), (second, (c, d)) = _plan(session, ev)
    people = _by_id(profiles)
    _share(session, ev, people[a], links=["https://a.example.org"])
    _share(session, ev, people[b], links=["https://b.example.org"])
    _share(session, ev, people[c])  # d does not share

    _said(session, ev, people[a], first, "met", rating=5)
    _said(session, ev, people[b], first, "met")
    _said(session, ev, people[c], second, "met")
    _said(session, ev, people[d], second, "met")

    [for_a] = my_connections(session, user_id=people[a].user_id)
    [for_b] = my_connections(session, user_id=people[b].user_id)
    assert (for_a.name, for_a.email, for_a.links, for_a.my_rating) == (
        people[b].name,
        people[b].user.email,
        ("https://b.example.org",),
        5,
    )
    assert (for_b.name, for_b.email, for_b.my_rating) == (
        people[a].name,
        people[a].user.email,
        None,
    )
    [for_c] = my_connections(session, user_id=people[c].user_id)
    assert (for_c.name, for_c.email, for_c.links) == (people[d].name, None, ())
    assert for_c.met_on == date(2030, 5, 14)


def test_they_did_not_come_means_no_connection(session):
    ev, profiles = _event(session, people=2, tables=1)
    [(meeting_id, (a, b))] = _plan(session, ev)
    people = _by_id(profiles)

    _said(session, ev, people[a], meeting_id, "met")
    _said(session, ev, people[b], meeting_id, "no_show")

    assert my_connections(session, user_id=people[a].user_id) == []


@pytest.mark.parametrize("answer", [None, "no_show"])
def test_a_one_sided_we_met_connects_nobody_so_no_answer_of_the_other_shows(session, answer):
    # A said "we met": whatever B answered short of "we met", A sees the same (nothing), so
    # A cannot learn that B reported a no-show.
    ev, profiles = _event(session, people=2, tables=1)
    [(meeting_id, (a, b))] = _plan(session, ev)
    people = _by_id(profiles)
    _said(session, ev, people[a], meeting_id, "met")
    if answer:
        _said(session, ev, people[b], meeting_id, answer)

    assert my_connections(session, user_id=people[a].user_id) == []
    assert my_connections(session, user_id=people[b].user_id) == []


def test_connections_as_vcard_4_and_csv_read_back_by_independent_readers(session):
    import csv
    import io

    import vobject

    ev, profiles = _event(session, people=2, tables=1)
    [(meeting_id, (a, b))] = _plan(session, ev)
    people = _by_id(profiles)
    _share(session, ev, people[a])
    attendance.save_profile(
        session,
        slug=ev.slug,
        user_id=people[b].user_id,
        data=attendance.ProfileData(
            name="Łukasz Żółć, Jr; Дмитрий 文昌 " + "x" * 60,
            company="=cmd|' /C calc'!A0",
            share_contact=True,
            links=("https://example.org/a,b;c",),
            available_slot_ids=tuple(s.id for s in people[b].available_slots),
        ),
    )
    _said(session, ev, people[a], meeting_id, "met", rating=4)
    _said(session, ev, people[b], meeting_id, "met")
    found = my_connections(session, user_id=people[a].user_id)

    vcf = connections_vcf(found).data
    text = vcf.decode("utf-8")
    assert all(len(line.encode()) <= 75 for line in text.split("\r\n"))
    assert "\n" not in text.replace("\r\n", "")
    [card] = list(vobject.readComponents(text))
    assert card.version.value == "4.0"
    assert card.fn.value == "Łukasz Żółć, Jr; Дмитрий 文昌 " + "x" * 60
    assert card.email.value == people[b].user.email
    assert card.url.value == "https://example.org/a%2Cb%3Bc"
    rows = list(csv.reader(io.StringIO(connections_csv(found).data.decode())))
    assert rows[0] == [
        "name",
        "headline",
        "company",
        "event",
        "met_on",
        "email",
        "links",
        "my_rating",
    ]
    assert rows[1][2] == "'=cmd|' /C calc'!A0" and rows[1][7] == "4"


def test_a_person_rated_highly_is_suggested_again_at_a_later_event_they_both_attend(session):
    ev, profiles = _event(session, people=2, tables=1)
    [(meeting_id, (a, b))] = _plan(session, ev)
    people = _by_id(profiles)
    _said(session, ev, people[a], meeting_id, "met", rating=5)
    owner = ev.organisers[0].user
    later = factories.event(
        session, owner, name="PyCon Later", starts_on=date(2031, 5, 1), ends_on=date(2031, 5, 1)
    )
    for p in (people[a], people[b]):
        attendance.join_event(session, token=later.join_token, user_id=p.user_id, now=BEFORE)

    seen_by_a = _mine(session, later, people[a]).reconnect
    seen_by_b = _mine(session, later, people[b]).reconnect

    assert [(r.name, r.met_at, r.rating) for r in seen_by_a] == [(people[b].name, ev.name, 5)]
    assert seen_by_b == []  # b gave no rating; a's rating stays a's


def test_a_hidden_profile_is_left_out_of_the_next_run(session):
    ev, profiles = _event(session, people=3, tables=2)

    my_data.set_hidden(session, slug=ev.slug, user_id=profiles[0].user_id, hidden=True)

    ids = [adapter.row_id(a.id) for a in adapter.read_attendees(session, event_id=ev.id)]
    assert ids == [p.id for p in profiles[1:]]
    from tests.services.test_publishing import _publish, _run

    _run(session, ev)
    _publish(session, ev)
    assert all(profiles[0].id not in pair for _, pair in _plan(session, ev))
    assert "You hid your profile" in _mine(session, ev, profiles[0]).why_none


def test_my_data_holds_my_answers_and_notes_and_nobody_elses(session):
    ev, profiles = _event(session, people=2, tables=1)
    [(meeting_id, (a, b))] = _plan(session, ev)
    people = _by_id(profiles)
    record_outcome(session, slug=ev.slug, user_id=people[b].user_id, meeting_id=meeting_id,
                   outcome="met", rating=2, note="their secret", now=DURING)  # fmt: skip
    record_outcome(session, slug=ev.slug, user_id=people[a].user_id, meeting_id=meeting_id,
                   outcome="met", rating=5, note="mine", now=DURING)  # fmt: skip

    data = my_data.export_my_data(session, user_id=people[a].user_id)

    text = json.dumps(data)
    assert "their secret" not in text
    [meeting] = data["events"][0]["meetings"]
    assert (meeting["with"], meeting["my_rating"], meeting["my_note"]) == (
        [people[b].name],
        5,
        "mine",
    )
    assert data["account"]["email"] == people[a].user.email
    assert [c["name"] for c in data["connections"]] == [people[b].name]


def test_deleting_an_account_cancels_its_meetings_for_the_others_and_refills_them(session):
    ev, profiles = _event(session, people=5, tables=2)
    plan = _plan(session, ev)
    (first, (a, b)) = plan[0]
    people = _by_id(profiles)
    _said(session, ev, people[a], first, "met")
    key_before = calendar_ids.meeting_key(ev, session.get(Meeting, first))
    mailer = RecordingMailer()
    user_id = people[a].user_id
    email_b = people[b].user.email

    with pytest.raises(Invalid):
        my_data.delete_account(session, user_id=user_id, password="wrong", now=BEFORE,
                               notice=Notice(mailer, "x"))  # fmt: skip
    deleted = my_data.delete_account(
        session,
        user_id=user_id,
        password=factories.PASSWORD,
        now=BEFORE,
        notice=Notice(mailer, "x"),
    )

    session.expire_all()
    assert session.get(User, user_id) is None and session.get(Profile, a) is None
    assert deleted.cancelled == 1 and deleted.refilled == 1
    assert my_connections(session, user_id=session.get(Profile, b).user_id) == []
    cancelled = session.get(Meeting, first)
    assert cancelled.cancelled_at is not None
    assert calendar_ids.meeting_key(ev, cancelled) == key_before  # calendars still know it
    b_sees = [i for i in _mine(session, ev, session.get(Profile, b)).items]
    assert b_sees[0].status == "off" and b_sees[0].people == ()
    assert any(i.status == "proposed" for i in b_sees)  # refilled with the free person
    assert email_b in [m.to for m in mailer.sent]


def test_an_organiser_of_events_cannot_delete_their_account_here(session):
    owner = factories.organiser(session)
    factories.event(session, owner)

    with pytest.raises(Conflict, match="You organise PyCon Test"):
        my_data.delete_account(session, user_id=owner.id, password=factories.PASSWORD,
                               now=BEFORE, notice=Notice(RecordingMailer(), "x"))  # fmt: skip


def test_deleting_an_account_never_cancels_a_meeting_that_has_begun(session):
    ev, profiles = _event(session, people=4, tables=2)
    (first, (a, b)) = _plan(session, ev)[0]
    people = _by_id(profiles)
    mailer = RecordingMailer()
    begun = session.get(Meeting, first).slot.starts_at_aware()

    deleted = my_data.delete_account(
        session,
        user_id=people[a].user_id,
        password=factories.PASSWORD,
        now=begun,
        notice=Notice(mailer, "x"),
    )

    session.expire_all()
    meeting = session.get(Meeting, first)
    assert deleted.cancelled == 0 and meeting.cancelled_at is None
    assert [s.profile_id for s in meeting.seats] == [b]  # the deleted person's data is gone
    assert mailer.sent == []
    b_sees = _mine(session, ev, session.get(Profile, b), now=begun).items
    assert [(i.meeting_id, i.people) for i in b_sees if i.meeting_id == first] == [(first, ())]
