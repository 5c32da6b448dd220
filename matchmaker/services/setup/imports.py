"""Importing attendees from a CSV file: parse and preview every row (nothing written), then
on the organiser's word update the attendees already at the event and invite the others in
one transaction: a new address gets an account to claim, an address that has an account gets
an invitation to join, which they accept (nobody is attached to an event without their word).
Invitations count toward the uploader's daily limit.

The header (names in any case and order; the first two required):

    name,email,company,headline,interests,seeks,offers

UTF-8 with or without a byte-order mark, commas or semicolons between cells. Lists
(interests, seeks, offers) separate their items with `|` (or `;` / `,` where that is not the
file's own separator). seeks and offers take mentorship, jobs, knowledge, collaboration,
business.
"""

import csv
import io
import re
from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

import sqlalchemy as sa
from email_validator import EmailNotValidError, validate_email
from sqlalchemy.orm import Session

from matchmaker.catalogue import Text
from matchmaker.models import AttendeeImport, Event, Profile, ProfileIntent, User
from matchmaker.models.profile import COMPANY_MAX, HEADLINE_MAX
from matchmaker.models.user import NAME_MAX
from matchmaker.services.core.access import load_for_event
from matchmaker.services.core.messages import Mail, Mailer, render_mail, say
from matchmaker.services.core.moments import aware
from matchmaker.services.errors import Conflict, Invalid
from matchmaker.services.people.attendance import event_tags
from matchmaker.services.people.tags import parse_tags
from matchmaker.text import clean_text, refused_character, scrub_text
from matchmaker.vocabulary import INTENTS, N_, Direction

COLUMNS = ("name", "email", "company", "headline", "interests", "seeks", "offers")
REQUIRED = ("name", "email")
MAX_BYTES = 2_000_000
MAX_ROWS = 5_000
MISSING = "There is no such import at this event."


class Action:
    CREATE = "create"  # not at the event yet: invited (a new address gets a new account)
    UPDATE = "update"  # at the event already, profile not filled yet: details updated
    KEEP = "keep"  # filled their own profile: left as they wrote it
    REJECT = "reject"


@dataclass(frozen=True)
class Applied:
    created: int  # invited: new accounts, and existing ones asked to join
    updated: int
    mailed: int


@dataclass(frozen=True)
class InvitationLimits:
    """How many invitations an organiser may send in 24 hours: `per_day`, or `per_day_new`
    while their account is younger than `new_days` (unless an administrator set their own)."""

    per_day: int
    per_day_new: int
    new_days: int


@dataclass(frozen=True)
class Allowance:
    limit: int
    used: int

    @property
    def left(self) -> int:
        return max(0, self.limit - self.used)


TOO_MANY_INVITATIONS = (
    "This list would send {wanted} invitations, and you can send {left} more today (your "
    "limit is {limit} in 24 hours). Import a shorter list, or ask the administrator to raise "
    "your limit."
)


def allowance(
    session: Session, *, user: User, limits: InvitationLimits, now: datetime
) -> Allowance:
    """What an organiser may still send of their invitations in the last 24 hours."""
    if user.invitations_per_day is not None:
        limit = user.invitations_per_day
    elif aware(user.created_at) > now - timedelta(days=limits.new_days):
        limit = limits.per_day_new
    else:
        limit = limits.per_day
    used = session.scalar(
        sa.select(sa.func.coalesce(sa.func.sum(AttendeeImport.invited), 0)).where(
            AttendeeImport.created_by_id == user.id,
            AttendeeImport.applied_at > now - timedelta(days=1),
        )
    )
    return Allowance(limit=limit, used=int(used))


def quoted(name: str, most: int = 60) -> str:
    """An event's name as a name in a mail's subject (quoted, and cut when long), so that
    whatever an organiser calls their event reads as its name, not as our words."""
    return f"“{name if len(name) <= most else name[: most - 1] + '…'}”"


def _decode(data: bytes) -> str:
    if len(data) > MAX_BYTES:
        raise Invalid.field("file", f"The file is larger than {MAX_BYTES // 1_000_000} MB.")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as error:
        line = data[: error.start].count(b"\n") + 1
        raise Invalid.field(
            "file", f"Line {line} is not UTF-8 text: save the file as CSV UTF-8 and try again."
        ) from None


def _reader(text: str) -> tuple[csv.reader, str]:
    first = text.split("\n", 1)[0]
    separator = ";" if first.count(";") > first.count(",") else ","
    # A cell may be as long as the file: the row's own checks say which field is too long
    # (the csv module's default limit, 131,072 characters, would end the import instead).
    csv.field_size_limit(max(csv.field_size_limit(), MAX_BYTES))
    return csv.reader(io.StringIO(text, newline=""), delimiter=separator), separator


def _header(cells: list[str]) -> dict[str, int]:
    names = [" ".join(c.split()).lower() for c in cells]
    unknown = [c for c in names if c and c not in COLUMNS]
    missing = [c for c in REQUIRED if c not in names]
    if missing or unknown:
        problems = [f"column {c!r} is missing" for c in missing]
        problems += [f"column {c!r} is not one we know" for c in unknown]
        raise Invalid.field(
            "file",
            f"Line 1 (the header): {'; '.join(problems)}. Expected: {','.join(COLUMNS)}.",
        )
    return {name: k for k, name in enumerate(names) if name}


def _items(cell: str, separator: str) -> list[str]:
    splitters = "".join(c for c in "|;," if c != separator)
    return [part.strip() for part in re.split(f"[{re.escape(splitters)}]", cell) if part.strip()]


def _row(cells: list[str], columns: dict[str, int], separator: str) -> tuple[dict, list[Text]]:
    errors: list[Text] = []

    def cell(name: str) -> str:
        k = columns.get(name)
        raw = " ".join(cells[k].split()) if k is not None and k < len(cells) else ""
        try:
            return clean_text(raw)
        except ValueError:
            bad = refused_character(raw)
            errors.append(
                Text(N_("%(field)s holds the invisible character %(code)s"),
                     {"field": name, "code": f"U+{ord(bad):04X}"})
            )  # fmt: skip
            return scrub_text(raw, multiline=False)

    row = {name: cell(name) for name in ("name", "company", "headline")}
    try:
        row["email"] = validate_email(cell("email"), check_deliverability=False).normalized.lower()
    except EmailNotValidError:
        row["email"] = cell("email")
        errors.append(Text(N_("email %(email)r is not an email address"), {"email": cell("email")}))
    for name, limit in (("name", NAME_MAX), ("company", COMPANY_MAX), ("headline", HEADLINE_MAX)):
        if len(row[name]) > limit:
            errors.append(
                Text(N_("%(field)s is longer than %(limit)d characters"),
                     {"field": name, "limit": limit})
            )  # fmt: skip
    if not row["name"]:
        errors.append(Text(N_("name is empty")))
    tags, tag_errors = parse_tags(",".join(_items(cell("interests"), separator)))
    row["interests"] = tags
    errors += tag_errors  # each names its tag, or says "interests"
    for direction in Direction:
        values = [v.lower() for v in _items(cell(direction), separator)]
        wrong = [v for v in values if v not in INTENTS]
        if wrong:
            errors.append(
                Text(N_("%(field)s: %(value)r is not one of %(allowed)s"),
                     {"field": str(direction), "value": wrong[0], "allowed": ", ".join(INTENTS)})
            )  # fmt: skip
        row[direction] = sorted(set(values) - set(wrong))
    return row, list({str(e): e for e in errors}.values())


def parse_import(
    session: Session, *, event: Event, actor_id: int, data: bytes, filename: str
) -> AttendeeImport:
    """Read an uploaded attendee list and store what confirming it would do, row by row;
    Invalid (naming the line) when the file as a whole cannot be read."""
    reader, separator = _reader(_decode(data))
    lines = [(reader.line_num, cells) for cells in reader if any(c.strip() for c in cells)]
    if not lines:
        raise Invalid.field("file", "The file is empty: it needs a header and one line a person.")
    columns = _header(lines[0][1])
    if len(lines) - 1 > MAX_ROWS:
        raise Invalid.field(
            "file", f"The file has {len(lines) - 1} people; import at most {MAX_ROWS} at a time."
        )
    return _stored(session, event, actor_id, filename, _lines(lines[1:], columns, separator))


def _lines(lines, columns: dict[str, int], separator: str) -> list[dict]:
    """Each (line number, cells) checked, with what to do with it or why it is rejected (an
    address on an earlier line too is)."""
    rows, seen = [], {}
    for line, cells in lines:
        row, errors = _row(cells, columns, separator)
        if not errors and row["email"] in seen:
            errors.append(
                Text(N_("email %(email)s is on line %(line)d already"),
                     {"email": row["email"], "line": seen[row["email"]]})
            )  # fmt: skip
        seen.setdefault(row["email"], line)
        row.update(
            line=line,
            action=Action.REJECT if errors else None,
            reason="; ".join(str(e) for e in errors),  # in English, as the API gives it
            reasons=[[e.template, e.values] for e in errors],  # to be said in the reader's
        )
        rows.append(row)
    return rows


def _stored(session: Session, event: Event, actor_id, source: str, rows: list[dict]):
    """The checked rows classified against the event and kept as an import (flush only)."""
    _classify(session, event.id, [r for r in rows if r["action"] is None])
    name = scrub_text(source, multiline=False)[:255]
    found = AttendeeImport(event_id=event.id, created_by_id=actor_id, filename=name, rows=rows)
    session.add(found)
    session.flush()
    return found


UNFILLED = N_("at the event, profile not filled yet")
FILLED = N_("filled their own profile: left as it is")


def _classify(session: Session, event_id: int, rows: list[dict]) -> None:
    emails = [r["email"] for r in rows]
    profiles = {
        email: completed
        for email, completed in session.execute(
            sa.select(User.email, Profile.completed_at)
            .join(Profile, Profile.user_id == User.id)
            .where(Profile.event_id == event_id, User.email.in_(emails))
        )
    }
    for row in rows:
        if row["email"] not in profiles:
            row["action"], row["reason"] = Action.CREATE, ""
        elif profiles[row["email"]] is None:
            row["action"], row["reason"] = Action.UPDATE, UNFILLED
        else:
            row["action"], row["reason"] = Action.KEEP, FILLED


def get_import(session: Session, *, event: Event, import_id: int):
    """An uploaded list of the event, for its organisers."""
    return load_for_event(session, AttendeeImport, import_id, event_id=event.id, missing=MISSING)


def apply_import(
    session: Session,
    *,
    event: Event,
    import_id: int,
    now: datetime,
    mailer: Mailer,
    claim_link: Callable[[User], str],
    join_link: str,
    limits: InvitationLimits,
) -> Applied:
    """Update the attendees already at the event and invite the others, in one transaction:
    a new address gets an account and a link to claim it; an address that has an account
    gets an invitation to join (its owner accepts through the join link). Conflict, and
    nothing done, when the invitations would pass the uploader's daily limit."""
    found = load_for_event(session, AttendeeImport, import_id, event_id=event.id, missing=MISSING)
    if found.applied_at is not None:
        raise Conflict("This list was imported already.")
    # Classify again: the event may have changed since the preview.
    valid = [dict(r) for r in found.rows if r["action"] != Action.REJECT]
    _classify(session, event.id, valid)
    invitations = sum(1 for r in valid if r["action"] == Action.CREATE)
    uploader = session.get(User, found.created_by_id) if found.created_by_id else None
    if uploader is not None and invitations:
        allowed = allowance(session, user=uploader, limits=limits, now=now)
        if invitations > allowed.left:
            raise Conflict(
                TOO_MANY_INVITATIONS.format(
                    wanted=invitations, left=allowed.left, limit=allowed.limit
                )
            )
    users = {
        u.email: u
        for u in session.scalars(sa.select(User).where(User.email.in_([r["email"] for r in valid])))
    }
    profiles = {
        p.user_id: p
        for p in session.scalars(sa.select(Profile).where(Profile.event_id == event.id))
    }
    new_accounts, asked = [], []
    counts = {Action.CREATE: 0, Action.UPDATE: 0}
    for row in valid:
        if row["action"] == Action.KEEP:
            continue
        counts[row["action"]] += 1
        user = users.get(row["email"])
        if user is not None and user.id not in profiles:
            asked.append(user)  # their account: they join when they accept
            continue
        if user is None:
            user = User(email=row["email"], name=row["name"], is_organiser=False)
            session.add(user)
            new_accounts.append(user)
        profile = profiles.get(user.id) if user.id else None
        if profile is None:
            profile = Profile(event=event, user=user, available_slots=list(event.slots))
            session.add(profile)
        fill_profile(session, event, profile, row, now)
    found.applied_at, found.invited = now, len(new_accounts) + len(asked)
    session.flush()
    subject = N_("Invitation to %(event)s on matchmaker")
    for template, people in (("claim", new_accounts), ("invited", asked)):
        for user in people:
            link = claim_link(user) if template == "claim" else join_link
            body = render_mail(template, user.language, user=user, event=event, link=link)
            title = say(user.language, subject, event=quoted(event.name))
            mailer.send(Mail(to=user.email, subject=title, body=body))
    return Applied(
        created=counts[Action.CREATE],
        updated=counts[Action.UPDATE],
        mailed=len(new_accounts) + len(asked),
    )


@dataclass(frozen=True)
class OneImported:
    email: str
    action: str  # Action.CREATE, UPDATE, KEEP or REJECT
    profile_id: int | None  # None while an account holder asked to join has not accepted
    reason: str = ""  # why it was rejected


def import_people(
    session: Session,
    *,
    event: Event,
    actor_id: int,
    people: list[dict],
    source: str,
    now: datetime,
    mailer: Mailer,
    claim_link: Callable[[User], str],
    join_link: str,
    limits: InvitationLimits,
) -> list[OneImported]:
    """Invite people, or update those who have not filled their profile in, as the lines of
    an imported list would be (the same checks, the same invitations, the same daily limit):
    for tools (the API, a ticket shop). `people` hold the columns, lists as lists; each one
    comes back with what was done, a rejected one with why."""
    columns = {name: k for k, name in enumerate(COLUMNS)}
    lines = [
        (line, ["|".join(v) if isinstance(v := person.get(name, ""), list | tuple)
                else str(v or "") for name in COLUMNS])
        for line, person in enumerate(people, start=1)
    ]  # fmt: skip
    found = _stored(session, event, actor_id, source, _lines(lines, columns, ","))
    rows = found.rows
    if any(r["action"] != Action.REJECT for r in rows):
        apply_import(session, event=event, import_id=found.id, now=now, mailer=mailer,
                     claim_link=claim_link, join_link=join_link, limits=limits)  # fmt: skip
    profiles = dict(
        session.execute(
            sa.select(User.email, Profile.id)
            .join(Profile, Profile.user_id == User.id)
            .where(Profile.event_id == event.id, User.email.in_([r["email"] for r in rows]))
        ).all()
    )
    return [
        OneImported(r["email"], r["action"], profiles.get(r["email"]), r["reason"]) for r in rows
    ]


def import_one(session: Session, *, person: dict, **context) -> OneImported:
    """`import_people` for one person; Invalid naming each field that is wrong."""
    done = import_people(session, people=[person], **context)[0]
    if done.action == Action.REJECT:
        by_field: dict[str, list[str]] = {}
        for message in done.reason.split("; "):
            field = message.split(" ", 1)[0].rstrip(":")
            by_field.setdefault(field if field in COLUMNS else "email", []).append(message)
        raise Invalid(by_field)
    return done


def fill_profile(session: Session, event: Event, profile: Profile, row: dict, now: datetime):
    """A profile not filled in by its owner yet, from an import's row (flush only)."""
    for field in ("name", "company", "headline"):
        setattr(profile, field, row[field])
    profile.tags = event_tags(session, event, row["interests"])
    profile.intents = [ProfileIntent(direction=d, intent=i) for d in Direction for i in row[d]]
    profile.updated_at = now  # its tags and intents may be all that changed
    session.flush()


def fill_from_invitation(session: Session, *, profile: Profile, now: datetime) -> bool:
    """When someone invited by an import joins: their profile starts from what the organisers
    imported for them (the latest import naming their address), if they have not filled it
    in yet. Returns whether anything was filled (flush only)."""
    if profile.is_complete:
        return False
    email = profile.user.email
    for found in session.scalars(
        sa.select(AttendeeImport)
        .where(AttendeeImport.event_id == profile.event_id, AttendeeImport.applied_at.is_not(None))
        .order_by(AttendeeImport.applied_at.desc())
    ):
        row = next(
            (r for r in found.rows if r["email"] == email and r["action"] != Action.REJECT), None
        )
        if row is not None:
            fill_profile(session, profile.event, profile, row, now)
            return True
    return False
