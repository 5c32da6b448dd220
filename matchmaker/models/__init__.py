"""SQLAlchemy models, one module per aggregate."""

from matchmaker.models.api import ApiToken
from matchmaker.models.event import (
    Event,
    EventOrganiser,
    EventRevision,
    Location,
    OrganiserMessage,
    Slot,
)
from matchmaker.models.export_job import ExportJob
from matchmaker.models.imports import AttendeeImport
from matchmaker.models.mail import OutgoingMail
from matchmaker.models.matching import (
    DayCheck,
    MatchRun,
    Meeting,
    MeetingRequest,
    MeetingSeat,
    PairRuleRow,
    TimeSuggestion,
)
from matchmaker.models.profile import (
    Profile,
    ProfileIntent,
    ProfileVector,
    Tag,
    profile_slots,
    profile_tags,
)
from matchmaker.models.ticketing import PretixConnection
from matchmaker.models.user import NextStep, User
from matchmaker.models.webhook import Webhook, WebhookDelivery

__all__ = [
    "ApiToken",
    "AttendeeImport",
    "DayCheck",
    "Event",
    "EventOrganiser",
    "EventRevision",
    "ExportJob",
    "Location",
    "MatchRun",
    "Meeting",
    "MeetingRequest",
    "MeetingSeat",
    "NextStep",
    "OrganiserMessage",
    "OutgoingMail",
    "PairRuleRow",
    "Profile",
    "ProfileIntent",
    "PretixConnection",
    "ProfileVector",
    "Slot",
    "Tag",
    "TimeSuggestion",
    "User",
    "Webhook",
    "WebhookDelivery",
    "profile_slots",
    "profile_tags",
]
