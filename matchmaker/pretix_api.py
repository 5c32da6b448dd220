"""Reading an event's orders and questions from pretix's REST API (docs.pretix.eu, "REST API":
token authentication, the Orders and Questions resources), for `services/introductions/
ticket_shop.py`: every page of a list followed, only ever on the shop's own host, each
connection to an address checked as a webhook's is."""

import json
from collections.abc import Iterator
from dataclasses import dataclass
from urllib.parse import quote, urlencode, urlsplit

from matchmaker import outbound
from matchmaker.services.core import targets
from matchmaker.services.errors import Unavailable

REFUSED = (
    "pretix refused the API token (HTTP {status}): check that it is right, and that its team "
    "may read orders of this event."
)
NOT_FOUND = "pretix knows no such organiser or event: check the two short names (slugs)."
FAILED = "pretix answered HTTP {status} to {path}."
UNREACHABLE = "pretix at {host} could not be reached: {error}"
MOST_PAGES = 1000


@dataclass(frozen=True)
class PretixShop:
    """One event of one pretix: its base URL (https://pretix.eu), organiser and event slugs,
    and an API token of a team that may read its orders."""

    base_url: str
    organizer: str
    event: str
    token: str
    allow_private: bool = False

    def _event_path(self) -> str:
        return (
            f"/api/v1/organizers/{quote(self.organizer, safe='')}"
            f"/events/{quote(self.event, safe='')}"
        )

    def _get(self, url: str) -> dict:
        try:
            addresses = targets.public_addresses(url, allow_private=self.allow_private)
        except ValueError as error:
            raise Unavailable(str(error)) from error
        headers = {"Authorization": f"Token {self.token}", "Accept": "application/json"}
        try:
            answer = outbound.send("GET", url, addresses, headers=headers)
        except OSError as error:
            host = urlsplit(url).hostname
            raise Unavailable(UNREACHABLE.format(host=host, error=error)) from error
        if answer.status in (401, 403):
            # pretix answers 403 both for a token without rights and for an unknown event.
            raise Unavailable(REFUSED.format(status=answer.status))
        if answer.status == 404:
            raise Unavailable(NOT_FOUND)
        if answer.status != 200:
            raise Unavailable(FAILED.format(status=answer.status, path=urlsplit(url).path))
        try:
            return json.loads(answer.body)
        except ValueError as error:
            raise Unavailable(
                f"pretix answered with something that is not JSON: {error}"
            ) from error

    def _pages(self, path: str, query: dict) -> Iterator[dict]:
        """Every item of a paged list, following `next` on the shop's own host."""
        url = f"{self.base_url.rstrip('/')}{path}?{urlencode(query)}"
        home = urlsplit(self.base_url)
        for _ in range(MOST_PAGES):
            page = self._get(url)
            yield from page.get("results", [])
            url = page.get("next")
            if not url:
                return
            there = urlsplit(url)
            if (there.scheme, there.netloc) != (home.scheme, home.netloc):
                raise Unavailable(f"pretix's next page is on another host ({there.netloc}).")
        raise Unavailable(f"pretix's list has more than {MOST_PAGES} pages.")

    def orders(self) -> Iterator[dict]:
        """Every order of the event (test-mode orders left out), with canceled positions."""
        return self._pages(
            f"{self._event_path()}/orders/",
            {"include_canceled_positions": "true", "testmode": "false"},
        )

    def order(self, code: str) -> dict:
        """One order, with its canceled positions."""
        return self._get(
            f"{self.base_url.rstrip('/')}{self._event_path()}/orders/{quote(code, safe='')}/"
            "?include_canceled_positions=true"
        )

    def questions(self) -> list[dict]:
        """The event's questions."""
        return list(self._pages(f"{self._event_path()}/questions/", {}))
