"""How long one decline takes to be refilled on a published plan, and whether the plan keeps
every rule after many random declines.

A demo event of N attendees is matched and published in a fresh database; then random
attendees decline random one-to-one introductions of theirs through the same service the
page calls (the decline, the refill of its slot, and the messages to the people it changes),
and then late joiners fill in their profiles and are placed at once (the same service as the
profile page). Each is timed; at the end the engine's checker reads the whole published plan.

    .venv/bin/python -m bench.refill --attendees 2000 --declines 200
    .venv/bin/python -m bench.refill --database postgresql://postgres@127.0.0.1:5432/test
"""

import argparse
import os
import random
import statistics
import sys
import time
from datetime import timedelta

from bench.published import published_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=2000)
    parser.add_argument("--declines", type=int, default=200)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--late", type=int, default=20, help="attendees who join after publishing (timed)"
    )
    args = parser.parse_args(argv)
    os.environ.setdefault("SECRET_KEY", "bench")

    import sqlalchemy as sa

    from matchmaker.extensions import db
    from matchmaker.models import Event, Meeting, MeetingSeat, Profile
    from matchmaker.services.core.messages import Notice
    from matchmaker.services.introductions import answers
    from matchmaker.services.planning import adapter, matching
    from tests.fakes import RecordingMailer

    print(f"seeding, matching and publishing {args.attendees} attendees ...", flush=True)
    event_id = published_demo(args.attendees, args.database)
    event = db.session.get(Event, event_id)
    first_slot = min(s.starts_at_aware() for s in event.slots)
    now = first_slot - timedelta(days=1)
    mailer = RecordingMailer()
    rng = random.Random(args.seed)
    seconds, refilled, refills_for_decliner = [], 0, 0
    for _ in range(args.declines):
        seats = db.session.execute(
            sa.select(MeetingSeat.meeting_id, Profile.user_id)
            .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
            .join(Profile, Profile.id == MeetingSeat.profile_id)
            .where(
                Meeting.run_id == event.published_run_id,
                Meeting.kind == "one_to_one",
                Meeting.cancelled_at.is_(None),
            )
        ).all()
        meeting_id, user_id = rng.choice(seats)
        before = db.session.scalar(
            sa.select(sa.func.count(Meeting.id)).where(Meeting.run_id == event.published_run_id)
        )
        db.session.expire_all()
        started = time.perf_counter()
        made = answers.respond(
            db.session, slug=event.slug, user_id=user_id, meeting_id=meeting_id, accept=False,
            now=now, notice=Notice(mailer, "x"),
        )  # fmt: skip
        seconds.append(time.perf_counter() - started)
        after = db.session.scalar(
            sa.select(sa.func.count(Meeting.id)).where(Meeting.run_id == event.published_run_id)
        )
        refilled += after - before
        refills_for_decliner += len(made)

    late_seconds, late_placed = late_joiners(db.session, event, args.late, now, mailer, rng)

    filled = db.session.scalars(
        sa.select(Profile).where(Profile.event_id == event_id, Profile.completed_at.is_not(None))
    ).all()
    meetings = matching.run_meetings(db.session, run_id=event.published_run_id)
    plan = matching.as_engine_plan(meetings)
    problems = matching.check_run(db.session, event=event, run_id=event.published_run_id)
    pairs = [frozenset(r["attendees"]) for r in plan["meetings"] if r["kind"] == "one_to_one"]
    declined = db.session.scalars(
        sa.select(Meeting).where(
            Meeting.run_id == event.published_run_id, Meeting.cancelled_at.is_not(None)
        )
    ).all()
    again = {frozenset(adapter.person_key(s.profile_id) for s in m.seats) for m in declined}
    repeats = sum(1 for p in pairs if p in again)

    def p95(values):
        return statistics.quantiles(values, n=20)[-1]

    where = "PostgreSQL" if args.database else "SQLite"
    print(
        f"{len(filled)} attendees, {len(meetings)} meetings taking place after "
        f"{args.declines} declines ({where})"
    )
    print(
        f"one decline with its refill: median {1000 * statistics.median(seconds):.0f} ms, "
        f"p95 {1000 * p95(seconds):.0f} ms, max {1000 * max(seconds):.0f} ms"
    )
    print(
        f"new proposals made: {refilled} ({refills_for_decliner} for the decliners); "
        f"messages sent: {len(mailer.sent)}"
    )
    print(
        f"checker on the whole plan: {len(problems)} problems; declined pairs met again: {repeats}"
    )
    if late_seconds:
        print(
            f"a late joiner's profile save with their placement: median "
            f"{1000 * statistics.median(late_seconds):.0f} ms, p95 {1000 * p95(late_seconds):.0f} "
            f"ms, max {1000 * max(late_seconds):.0f} ms; {late_placed}/{len(late_seconds)} "
            "placed with at least one meeting"
        )
    for problem in problems[:5]:
        print("  ", problem)
    return 0 if not problems and not repeats else 1


def late_joiners(session, event, count, now, mailer, rng):
    """`count` new attendees fill in their profiles (free in every slot) after publishing;
    each save with its placement is timed."""
    import sqlalchemy as sa

    from matchmaker.models import Profile, User
    from matchmaker.services.core.messages import Notice
    from matchmaker.services.introductions import joining
    from matchmaker.services.people import attendance
    from matchmaker.services.setup import timetable

    # Spare tables, as organisers keep for late joiners (every table is taken otherwise).
    timetable.add_locations(session, event=event, name="Spare table", capacity=2, count=count)
    session.commit()
    donors = session.scalars(
        sa.select(Profile).where(Profile.event_id == event.id, Profile.completed_at.is_not(None))
    ).all()
    seconds, placed = [], 0
    for k in range(count):
        donor = rng.choice(donors)
        user = User(email=f"late{k}@bench.example.org", name=f"Late Joiner {k}")
        session.add(user)
        session.flush()
        profile = Profile(event_id=event.id, user_id=user.id, name=user.name)
        session.add(profile)
        session.commit()
        data = attendance.ProfileData(
            name=user.name, headline=donor.headline, bio=donor.bio,
            interests=tuple(t.name for t in donor.tags)[:5],
            available_slot_ids=tuple(s.id for s in event.slots),
        )  # fmt: skip
        session.expire_all()
        started = time.perf_counter()
        _, made = joining.save_profile(
            session, slug=event.slug, user_id=user.id, data=data, now=now,
            notice=Notice(mailer, "x"),
        )  # fmt: skip
        session.commit()
        seconds.append(time.perf_counter() - started)
        placed += bool(made)
    return seconds, placed


if __name__ == "__main__":
    sys.exit(main())
