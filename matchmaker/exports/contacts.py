"""An attendee's connections as vCard 4.0 (RFC 6350) and as CSV.

vCard 4.0 is written here in a few lines because vobject, the maintained Python vCard library
(and the reader the tests use), writes only vCard 3.0. The rules kept: CRLF line ends, lines
folded at 75 octets without splitting a character, text values escaped (backslash, comma,
semicolon, newline; commas and semicolons in links percent-encoded), FN on every card, and
only the details both people chose to share.
"""

import csv
import io
from dataclasses import dataclass
from datetime import date

from matchmaker.exports import CSV, VCF, Export
from matchmaker.exports.csv import neutralise

CSV_HEADER = ("name", "headline", "company", "event", "met_on", "email", "links", "my_rating")


@dataclass(frozen=True)
class Connection:
    user_id: int
    name: str
    headline: str
    company: str
    event: str
    met_on: date
    email: str | None  # None unless both shared their details
    links: tuple[str, ...]
    my_rating: int | None
    event_id: int | None = None  # the event where they met (the latest, for two)

    @property
    def shares_contact(self) -> bool:
        return self.email is not None


def escape(text: str) -> str:
    """A vCard text value: backslash, comma, semicolon and newlines escaped."""
    return (
        text.replace("\\", "\\\\")
        .replace(",", "\\,")
        .replace(";", "\\;")
        .replace("\r\n", "\\n")
        .replace("\n", "\\n")
    )


def uri(link: str) -> str:
    """A link as a vCard URI value: its commas and semicolons percent-encoded, since readers
    split values on them."""
    return link.replace(",", "%2C").replace(";", "%3B")


def fold(line: str) -> str:
    """A content line folded at 75 octets (continuations start with a space)."""
    parts, current, size = [], "", 0
    for char in line:
        width = len(char.encode("utf-8"))
        limit = 75 if not parts else 74
        if size + width > limit:
            parts.append(current)
            current, size = "", 0
        current += char
        size += width
    parts.append(current)
    return "\r\n ".join(parts)


def _card(connection: Connection) -> list[str]:
    lines = ["BEGIN:VCARD", "VERSION:4.0", f"FN:{escape(connection.name)}"]
    if connection.headline:
        lines.append(f"TITLE:{escape(connection.headline)}")
    if connection.company:
        lines.append(f"ORG:{escape(connection.company)}")
    if connection.email:
        lines.append(f"EMAIL:{escape(connection.email)}")
    lines += [f"URL:{uri(link)}" for link in connection.links]
    lines.append(f"NOTE:{escape(f'Met at {connection.event} on {connection.met_on:%d %B %Y}')}")
    lines.append("END:VCARD")
    return lines


def connections_vcf(connections: list[Connection]) -> Export:
    """One vCard per connection, in one file address books import."""
    lines = [fold(line) for c in connections for line in _card(c)]
    data = "".join(line + "\r\n" for line in lines)
    return VCF.file(data.encode("utf-8"), "connections")


def connections_csv(connections: list[Connection], *, bom: bool = False) -> Export:
    """The connections as CSV under a stable header (links separated by spaces)."""
    out = io.StringIO(newline="")
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(CSV_HEADER)
    for c in connections:
        writer.writerow(
            neutralise(cell)
            for cell in (
                c.name,
                c.headline,
                c.company,
                c.event,
                c.met_on.isoformat(),
                c.email or "",
                " ".join(c.links),
                str(c.my_rating or ""),
            )
        )
    data = ("\ufeff" if bom else "") + out.getvalue()
    return CSV.file(data.encode("utf-8"), "connections")
