"""Posting a webhook delivery: to the addresses checked a moment before (so that a name that
resolves elsewhere between the check and the connection cannot send us to a private
network), with the host's name for TLS and the Host header, a short timeout, no redirects."""

import http.client
import socket
import ssl
from urllib.parse import urlsplit

TIMEOUT_SECONDS = 10


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


def post(url: str, addresses: list[str], body: bytes, headers: dict[str, str]) -> int:
    """POST `body` to `url` at the first of `addresses` that answers; the HTTP status (a
    redirect counts as a failure, as it is not followed). OSError when none answers."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    port = parts.port or (443 if parts.scheme == "https" else 80)
    path = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
    kind = _PinnedHTTPSConnection if parts.scheme == "https" else _PinnedHTTPConnection
    last: OSError | None = None
    for address in addresses:
        connection = kind(host, port, address, timeout=TIMEOUT_SECONDS)
        try:
            connection.request("POST", path, body=body, headers=headers)
            response = connection.getresponse()
            response.read(64 * 1024)  # what it says is not kept; read a little to end cleanly
            return response.status
        except OSError as error:
            last = error
        finally:
            connection.close()
    raise last or OSError(f"no address to reach {host}")
