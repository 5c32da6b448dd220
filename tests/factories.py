"""Test data made through the services, so that tests start from states users can reach."""

from datetime import date, datetime, time

from matchmaker.services import accounts, attendance, events, timetable

PASSWORD = "correct horse battery"
EVENT_DAY = date(2030, 5, 14)


def organiser(session, email="org@example.org", name="Olga Organiser"):
    return accounts.sign_up_organiser(session, email=email, name=name, password=PASSWORD)


def event(session, owner, name="PyCon Test", **changes):
    details = dict(
        name=name,
        starts_on=EVENT_DAY,
        ends_on=EVENT_DAY,
        timezone="Europe/Berlin",
        venue="Hall A",
    )
    details.update(changes)
    return events.create_event(
        session, organiser_id=owner.id, details=events.EventDetails(**details)
    )


def slot(session, ev, start=time(10, 0), end=time(10, 20), format="one_to_one", day=EVENT_DAY):
    return timetable.add_slot(
        session,
        event_id=ev.id,
        actor_id=ev.organisers[0].user_id,
        starts_at=datetime.combine(day, start),
        ends_at=datetime.combine(day, end),
        format=format,
    )


def attendee(session, ev, email="ana@example.org", name="Ana Attendee"):
    """A new attendee account that has joined `ev`; returns the profile."""
    return attendance.sign_up_and_join(
        session,
        token=ev.join_token,
        email=email,
        name=name,
        password=PASSWORD,
        now=datetime(2030, 1, 1, 12, 0).astimezone(),
    )


def login(client, email, password=PASSWORD):
    response = client.post("/login", data={"email": email, "password": password})
    assert response.status_code == 302, response.get_data(as_text=True)
    return response
