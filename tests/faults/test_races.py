"""Races the outside probe found, with real concurrent requests against gunicorn on
PostgreSQL: an attendee's decline and the organiser's cancel of the same meetings at once
(one lock order: no deadlock, one outcome), and one account deleted four times at once (one
deletion, the other answers clean pages)."""

import re

import sqlalchemy as sa

from matchmaker.models import Meeting, User
from tests import factories
from tests.web.live import Client, _at_once
from tests.web.test_races import pytestmark  # noqa: F401 - PostgreSQL only
from tests.web.test_races_published import _email, _logged_in, _one_to_ones


def _form_token(client: Client, path: str) -> str:
    return client.token(path)


def test_declines_and_cancels_of_the_same_meetings_at_once_end_in_one_outcome(server, session):
    ev, _ = factories.published_event(session, people=16, tables=8)
    meetings = _one_to_ones(session, ev.published_run_id)[:6]
    organiser = _logged_in(server, "org@example.org")
    calls = []
    for meeting in meetings:
        person = _logged_in(server, _email(session, meeting.seats[0].profile_id))
        path = f"/events/{ev.slug}/introductions/{meeting.id}"
        token = person.token(path)
        calls.append(
            lambda p=person, path=path, t=token: p.request(
                f"{path}/answer", {"decline": "Decline", "csrf_token": t}
            )
        )
        edit = f"/organiser/events/{ev.id}/meetings/{meeting.id}"
        org_token = organiser.token(edit)
        calls.append(
            lambda e=edit, t=org_token: organiser.request(
                f"{e}/cancel", {"refill": "y", "csrf_token": t}
            )
        )

    results = _at_once(calls)

    codes = sorted({code for code, _ in results})
    assert set(codes) <= {302, 404, 409}, [page[:300] for code, page in results if code >= 500]
    session.expire_all()
    ids = [m.id for m in meetings]
    cancelled = session.scalars(sa.select(Meeting.cancelled_at).where(Meeting.id.in_(ids))).all()
    assert all(when is not None for when in cancelled)


def test_one_account_deleted_four_times_at_once_is_deleted_once_and_every_page_is_clean(
    server, session
):
    ev, _ = factories.published_event(session, people=6)
    email = "person0@example.org"
    clients = [_logged_in(server, email) for _ in range(4)]
    tokens = [c.token("/account/data") for c in clients]

    results = _at_once(
        [
            lambda c=c, t=t: c.request(
                "/account/delete",
                {"password": factories.PASSWORD, "confirm": "y", "csrf_token": t},
            )
            for c, t in zip(clients, tokens, strict=True)
        ]
    )

    codes = sorted(code for code, _ in results)
    assert codes == [302, 410, 410, 410], [page[:500] for _, page in results]
    for code, page in results:
        if code == 410:
            assert "This account has already been deleted." in page
            assert not re.search(r"Traceback|went wrong", page)
    session.expire_all()
    assert session.scalar(sa.select(User).where(User.email == email)) is None
