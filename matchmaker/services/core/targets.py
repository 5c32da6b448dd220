"""Where matchmaker may send a request on an organiser's word (a webhook): a public address
on the internet, never this machine or a private network, unless the configuration allows
them (a test, or a receiver on the same network). Checked when the address is saved and
again before each delivery, on the addresses the name resolves to then."""

import ipaddress
import socket
from collections.abc import Callable
from urllib.parse import urlsplit

Resolve = Callable[[str, int], list[str]]
NOT_HTTP = "The address must start with https:// (or http://)."
NO_HOST = "The address has no host name."
UNKNOWN_HOST = "The host name {host} is not known."
PRIVATE = (
    "{host} is this machine or a private network ({address}): matchmaker sends only to "
    "addresses on the internet."
)


def resolve(host: str, port: int) -> list[str]:
    """The addresses a host name stands for now."""
    return sorted({info[4][0] for info in socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)})


def host_and_port(url: str) -> tuple[str, int]:
    """The host and port a URL names (ValueError for one that names none)."""
    parts = urlsplit(url)
    if parts.scheme not in ("https", "http"):
        raise ValueError(NOT_HTTP)
    if not parts.hostname:
        raise ValueError(NO_HOST)
    return parts.hostname, parts.port or (443 if parts.scheme == "https" else 80)


def is_public(address: str) -> bool:
    """Whether an IP address is on the public internet (not loopback, private, link-local,
    shared, multicast, reserved or unspecified; an IPv4 address inside IPv6 as itself)."""
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def public_addresses(url: str, *, allow_private: bool, lookup: Resolve = resolve) -> list[str]:
    """The addresses to connect to for `url`; ValueError saying why when there is none that
    may be used (every address must be public unless `allow_private`)."""
    host, port = host_and_port(url)
    try:
        addresses = lookup(host, port)
    except (OSError, UnicodeError) as error:
        raise ValueError(UNKNOWN_HOST.format(host=host)) from error
    if not addresses:
        raise ValueError(UNKNOWN_HOST.format(host=host))
    if not allow_private:
        for address in addresses:
            if not is_public(address):
                raise ValueError(PRIVATE.format(host=host, address=address))
    return addresses
