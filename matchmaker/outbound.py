"""Requests matchmaker sends on an organiser's word (webhooks, a ticket shop's API): to the
addresses checked a moment before (`services/core/targets.py`), so that a name that resolves
elsewhere between the check and the connection cannot send us into a private network; with
the host's name for TLS and the Host header, a short timeout, no redirects followed, and a
bounded answer."""

import http.client
import socket
import ssl
from dataclasses import dataclass
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10
MOST_BYTES = 20_000_000


@dataclass(frozen=True)
class Answer:
    status: int
    body: bytes


class _PinnedHTTPConnection(http.client.HTTPConnection):
    def __init__(self, host: str, port: int, address: str, **kwargs):
        super().__init__(host, port, **kwargs)
        self._address = address

    def connect(self) -> None:
        self.sock = socket.create_connection((self._address, self.port), self.timeout)


class _PinnedHTTPSConnection(http.client.HTTPSConnection):
    def __init__(self, host: str, port: int, address: str, **kwargs):
        super().__init__(host, port, context=ssl.create_default_context(), **kwargs)
        self._address = address

    def connect(self) -> None:
        sock = socket.create_connection((self._address, self.port), self.timeout)
        self.sock = self._context.wrap_socket(sock, server_hostname=self.host)


def send(
    method: str,
    url: str,
    addresses: list[str],
    *,
    body: bytes | None = None,
    headers: dict[str, str] | None = None,
    most_bytes: int = MOST_BYTES,
    cut: bool = False,
) -> Answer:
    """Send one request to `url` at the first of `addresses` that answers; its status and
    body (at most `most_bytes`: more is an error, or with `cut` left unread). OSError when
    none answers."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    last: OSError | None = None
    for address in addresses:
        connection = kind(host, port, address, timeout=TIMEOUT_SECONDS)
        try:
            connection.request(method, path, body=body, headers=headers or {})
            response = connection.getresponse()
            data = response.read(most_bytes + 1)
            if len(data) > most_bytes and not cut:
                raise OSError(f"{host} answered with more than {most_bytes} bytes")
            return Answer(response.status, data)
        except OSError as error:
            last = error
        finally:
            connection.close()
    raise last or OSError(f"no address to reach {host}")


def post(url: str, addresses: list[str], body: bytes, headers: dict[str, str]) -> int:
    """POST a webhook delivery; the receiver's HTTP status (what it says is not kept)."""
    answer = send("POST", url, addresses, body=body, headers=headers, most_bytes=1024, cut=True)
    return answer.status
