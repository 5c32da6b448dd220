"""How long the event day's actions take at scale: a standby pick ("find someone else" when a
partner did not come) and a "free now" offer, through the services the pages call.

A demo event of N attendees is matched and published in a fresh database (tables for a
quarter of them, the demo's 4 kept free in every slot); the clock is set six minutes into its
first one-to-one slot; 60% of the people seated in that slot have checked in. Then attendees
whose partner did not check in ask for someone else, and attendees with no meeting in that
slot say they are free now, one after another; each is timed, and at the end the engine's
checker reads the whole published plan.

    .venv/bin/python -m bench.event_day --attendees 5000 --tries 50 \\
        --database postgresql://postgres@127.0.0.1:5432/test
"""

import argparse
import os
import random
import statistics
import time
from datetime import timedelta

from bench.published import published_demo


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--attendees", type=int, default=5000)
    parser.add_argument("--tries", type=int, default=50)
    parser.add_argument("--database", help="a PostgreSQL URL (default: a SQLite file)")
    parser.add_argument("--seed", type=int, default=7)
    args = parser.parse_args(argv)
    os.environ.setdefault("SECRET_KEY", "bench")

    import sqlalchemy as sa

    from matchmaker.extensions import db
    from matchmaker.models import Event, Meeting, MeetingSeat, Profile
    from matchmaker.services.core.messages import Notice
    from matchmaker.services.errors import Conflict
    from matchmaker.services.introductions import at_the_table, free_now
    from matchmaker.services.planning import matching
    from matchmaker.services.planning.event_model import event_model
    from tests.fakes import RecordingMailer

    print(f"seeding, matching and publishing {args.attendees} attendees ...", flush=True)
    event_id = published_demo(args.attendees, args.database, name="mm_bench_event_day")
    event = db.session.get(Event, event_id)
    slot = min((s for s in event.slots if s.format == "one_to_one"), key=lambda s: s.starts_at)
    now = slot.starts_at_aware() + timedelta(minutes=6)
    rng = random.Random(args.seed)
    seated = db.session.execute(
        sa.select(MeetingSeat.meeting_id, MeetingSeat.profile_id, Profile.user_id)
        .join(Meeting, Meeting.id == MeetingSeat.meeting_id)
        .join(Profile, Profile.id == MeetingSeat.profile_id)
        .where(Meeting.run_id == event.published_run_id, Meeting.slot_id == slot.id,
               Meeting.cancelled_at.is_(None), Meeting.kind == "one_to_one")
    ).all()  # fmt: skip
    came = {(m, p) for m, p, _ in seated if rng.random() < 0.6}
    for m, p in came:
        db.session.execute(
            sa.update(MeetingSeat)
            .where(MeetingSeat.meeting_id == m, MeetingSeat.profile_id == p)
            .values(checked_in_at=now - timedelta(minutes=5))
        )
    db.session.commit()
    by_meeting: dict[int, list] = {}
    for m, p, u in seated:
        by_meeting.setdefault(m, []).append((p, u))
    seekers = [
        (m, u)
        for m, seats in by_meeting.items()
        for p, u in seats
        if (m, p) in came and sum((m, q) in came for q, _ in seats) == 1
    ]
    rng.shuffle(seekers)
    busy = {p for _, p, _ in seated}
    loose = db.session.scalars(
        sa.select(Profile.user_id).where(
            Profile.event_id == event_id,
            Profile.completed_at.is_not(None),
            Profile.format != "group",
            Profile.hidden.is_(False),
            Profile.id.not_in(busy),
        )
    ).all()
    loose = rng.sample(list(loose), min(args.tries, len(loose)))
    event_model(db.session, event)  # the model a published event keeps (fitted once)
    mailer = RecordingMailer()
    picking, picked, gone = [], 0, 0
    for meeting_id, user_id in seekers[: args.tries]:
        db.session.expire_all()
        started = time.perf_counter()
        try:
            made = at_the_table.find_someone_else(
                db.session, slug=event.slug, user_id=user_id, meeting_id=meeting_id, now=now,
                notice=Notice(mailer, "x"),
            )  # fmt: skip
        except Conflict:  # an earlier pick took them: they are no longer waiting
            db.session.rollback()
            gone += 1
            continue
        db.session.commit()
        picking.append(time.perf_counter() - started)
        picked += made is not None
    offering, offered = [], 0
    for user_id in loose:
        db.session.expire_all()
        started = time.perf_counter()
        made = free_now.say_free_now(
            db.session, slug=event.slug, user_id=user_id, now=now, notice=Notice(mailer, "x")
        )
        db.session.commit()
        offering.append(time.perf_counter() - started)
        offered += made is not None
    problems = matching.check_run(db.session, event=event, run_id=event.published_run_id)

    def summary(values):
        ms = sorted(v * 1000 for v in values)
        if not ms:
            return "none"
        return (
            f"median {statistics.median(ms):.0f} ms, p90 {ms[int(0.9 * (len(ms) - 1))]:.0f} ms, "
            f"max {ms[-1]:.0f} ms"
        )

    print(f"database: {db.engine.url.get_backend_name()}; {args.attendees} attendees")
    print(f"find someone else: {len(picking)} asked, {picked} found someone ({gone} picked "
          f"by an earlier one first): {summary(picking)}")  # fmt: skip
    print(f"free now:          {len(offering)} said so, {offered} met someone: {summary(offering)}")
    print(f"the checker on the whole published plan afterwards: {len(problems)} problem(s)")
    return 1 if problems else 0


if __name__ == "__main__":
    raise SystemExit(main())
