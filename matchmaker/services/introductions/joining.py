"""An attendee saving their profile: once the schedule is published, someone who has no
meeting yet (they joined late, or showed their profile again) is placed at once."""

from datetime import datetime

from sqlalchemy.orm import Session

from matchmaker.models import Meeting, Profile
from matchmaker.services.core.messages import Notice
from matchmaker.services.people import attendance
from matchmaker.services.planning import late_joiners


def save_profile(
    session: Session,
    *,
    slug: str,
    user_id: int,
    data: attendance.ProfileData,
    now: datetime,
    notice: Notice,
) -> tuple[Profile, list[Meeting]]:
    """Save the attendee's profile; after publishing, place them if they have no meeting
    (flush only). Returns the profile and the meetings they were given."""
    profile = attendance.save_profile(session, slug=slug, user_id=user_id, data=data)
    placed = late_joiners.place_late_joiner(
        session, event=profile.event, profile_id=profile.id, now=now, notice=notice
    )
    return profile, placed
