"""Every change to events: one keyword-only function per use case, each atomic.

The web views, the inbound mail processing (`rsvp_from_reply`), the command, the worker's
schedule, the demo and the API call them as `services.event_create(...)`: this package is
the app's one door for writes, and the list below is all of it. That is why the functions
are imported here, by name: callers name a use case, not the module it lives in, and the
modules can be split again without touching forty callers in four apps. One module per use
case:

- `events`: creating and changing an event (`clean_event_fields`, by group of fields);
- `cancellation`: cancelling, reinstating and deleting it;
- `announcements`: what the event's announcement thread is told (for the two above);
- `registrations`: going, interested, not going, the waiting list, RSVP by email, and
  what a member who leaves the group gives up;
- `attendees`: check-in, messages to the people with a seat, reminders;
- `program`: speakers and talks;
- `calendar_feeds`: the secret address of a member's calendar;
- `interest_checks`: "would you come?", its announcement, its answers (web, email reply,
  one-click links), reminders, turning it into an event;
- `member_places`: which place a member means by their city, when several share its name;
- `shared`: the event's lock, its counters, the side effects queued on commit.

Side effects run once the transaction commits and are listed in each docstring: emails
(jobs, in each member's language), the search index (a job), the announcement thread in
the group's discussions. Registrations for one event are serialised on the event's row
(`shared.locked_event`), so an event is never overbooked.
"""

from .attendees import attendees_message, check_in, reminders_queue
from .calendar_feeds import calendar_feed_renew, calendar_feed_revoke
from .cancellation import delete_refusal, event_cancel, event_delete, event_reinstate
from .events import clean_event_fields, event_create, event_update
from .interest_checks import (
    interest_answer,
    interest_answer_from_reply,
    interest_check_close,
    interest_check_convert,
    interest_check_open,
    interest_check_reminders_queue,
)
from .member_places import member_place_choose
from .program import speaker_save, talk_delete, talk_save
from .registrations import (
    account_registrations_end,
    registration_cancel,
    registration_set,
    registrations_withdraw,
    rsvp_from_reply,
)

__all__ = [
    "account_registrations_end",
    "attendees_message",
    "calendar_feed_renew",
    "calendar_feed_revoke",
    "check_in",
    "clean_event_fields",
    "delete_refusal",
    "event_cancel",
    "event_create",
    "event_delete",
    "event_reinstate",
    "event_update",
    "interest_answer",
    "interest_answer_from_reply",
    "interest_check_close",
    "interest_check_convert",
    "interest_check_open",
    "interest_check_reminders_queue",
    "member_place_choose",
    "registration_cancel",
    "registration_set",
    "registrations_withdraw",
    "reminders_queue",
    "rsvp_from_reply",
    "speaker_save",
    "talk_delete",
    "talk_save",
]
