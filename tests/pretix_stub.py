"""A stand-in for pretix's REST API, on 127.0.0.1, answering as its documentation says
(docs.pretix.eu, REST API, as of pretix 2025.x; order positions with `canceled`, `company`
and `answers` as documented since pretix 3.16): token authentication ("Authorization: Token
..."; 401 without a valid one, 403 for an organiser or event the token cannot see), the
Orders resource (`GET .../orders/` paged as `count`/`next`/`previous`/`results`, filters
`testmode`, `include_canceled_positions`; `GET .../orders/<code>/`), and the Questions
resource (`GET .../questions/`). Its webhooks are what pretix posts (docs.pretix.eu,
"Webhooks"): `{"notification_id", "organizer", "event", "code", "action"}`, no signature."""

import copy
import http.server
import itertools
import json
import threading
from dataclasses import dataclass, field
from urllib.parse import parse_qs, urlsplit

TOKEN = "pretix-test-token-0123456789abcdef"
ORGANIZER, EVENT = "democon-org", "democon"
PAGE_SIZE = 2  # small, so that the tests follow `next`
_ids = itertools.count(1000)


def position(name, email, *, company=None, answers=(), canceled=False, addon_to=None):
    """An order position as pretix lists it (the fields matchmaker reads, and a few more)."""
    return {
        "id": next(_ids),
        "positionid": 1,
        "canceled": canceled,
        "item": 12,
        "variation": None,
        "price": "120.00",
        "attendee_name": name,
        "attendee_name_parts": {"full_name": name},
        "attendee_email": email,
        "company": company,
        "voucher": None,
        "addon_to": addon_to,
        "subevent": None,
        "secret": f"secret{next(_ids)}",
        "pseudonymization_id": f"P{next(_ids)}",
        "checkins": [],
        "answers": [
            {
                "question": 1,
                "question_identifier": identifier,
                "answer": text,
                "options": [],
                "option_identifiers": [],
            }
            for identifier, text in answers
        ],  # fmt: skip
        "downloads": [],
    }


def order(code, status, email, positions, *, testmode=False):
    """An order as pretix lists it."""
    for k, item in enumerate(positions, start=1):
        item["positionid"], item["order"] = k, code
    return {
        "code": code,
        "event": EVENT,
        "status": status,
        "testmode": testmode,
        "secret": "k24fiuwvu8kxz3y1",
        "email": email,
        "locale": "en",
        "sales_channel": "web",
        "datetime": "2030-04-01T10:00:00Z",
        "total": "120.00",
        "invoice_address": None,
        "positions": positions,
        "fees": [],
        "payments": [],
        "refunds": [],
    }


QUESTIONS = [
    {"id": 1, "question": {"en": "What do you work on?"}, "type": "T", "identifier": "TOPICS",
     "required": False, "items": [12], "position": 1, "options": []},
    {"id": 2, "question": {"en": "Job title"}, "type": "S", "identifier": "JOBTITLE",
     "required": False, "items": [12], "position": 2, "options": []},
    {"id": 3, "question": {"en": "Looking for"}, "type": "M", "identifier": "SEEKING",
     "required": False, "items": [12], "position": 3, "options": []},
]  # fmt: skip


@dataclass
class Stub:
    base_url: str = ""
    orders: list[dict] = field(default_factory=list)
    requests: list[str] = field(default_factory=list)

    def find(self, code: str) -> dict:
        return next(o for o in self.orders if o["code"] == code)

    def webhook(self, code: str, action: str) -> dict:
        """The body pretix posts for a change of an order."""
        return {"notification_id": next(_ids), "organizer": ORGANIZER, "event": EVENT,
                "code": code, "action": action}  # fmt: skip


def start_stub() -> tuple[Stub, http.server.ThreadingHTTPServer]:
    stub = Stub()

    class Handler(http.server.BaseHTTPRequestHandler):
        def _answer(self, status: int, body: dict) -> None:
            data = json.dumps(body).encode()
            self.send_response(status)
            self.send_header("Content-Type", "application/json")
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def do_GET(self):  # noqa: N802 - the name http.server calls
            stub.requests.append(self.path)
            if self.headers.get("Authorization") != f"Token {TOKEN}":
                return self._answer(401, {"detail": "Invalid token."})
            parts = urlsplit(self.path)
            query = parse_qs(parts.query)
            prefix = f"/api/v1/organizers/{ORGANIZER}/events/{EVENT}/"
            if not parts.path.startswith(prefix):
                return self._answer(403, {"detail": "You do not have permission to perform "
                                                    "this action."})  # fmt: skip
            rest = parts.path[len(prefix) :]
            if rest == "questions/":
                return self._page(QUESTIONS, query, parts.path)
            if rest == "orders/":
                found = [copy.deepcopy(o) for o in stub.orders]
                if query.get("testmode") == ["false"]:
                    found = [o for o in found if not o["testmode"]]
                for o in found:
                    self._positions(o, query)
                return self._page(found, query, parts.path)
            if rest.startswith("orders/") and rest.count("/") == 2:
                code = rest.split("/")[1]
                match = [copy.deepcopy(o) for o in stub.orders if o["code"] == code]
                if not match:
                    return self._answer(404, {"detail": "Not found."})
                self._positions(match[0], query)
                return self._answer(200, match[0])
            return self._answer(404, {"detail": "Not found."})

        def _positions(self, found: dict, query: dict) -> None:
            if query.get("include_canceled_positions") != ["true"]:
                found["positions"] = [p for p in found["positions"] if not p["canceled"]]

        def _page(self, items: list, query: dict, path: str) -> None:
            page = int(query.get("page", ["1"])[0])
            chunk = items[(page - 1) * PAGE_SIZE : page * PAGE_SIZE]
            rest = {k: v[0] for k, v in query.items() if k != "page"}
            link = lambda n: (  # noqa: E731
                f"{stub.base_url}{path}?" + "&".join(f"{k}={v}" for k, v in {**rest,
                                                                          "page": n}.items())
            )  # fmt: skip
            self._answer(200, {
                "count": len(items),
                "next": link(page + 1) if page * PAGE_SIZE < len(items) else None,
                "previous": link(page - 1) if page > 1 else None,
                "results": chunk,
            })  # fmt: skip

        def log_message(self, *_args):
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    stub.base_url = f"http://127.0.0.1:{server.server_port}"
    return stub, server
