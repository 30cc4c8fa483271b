"""What the scheduler is given: rooms, slots, sessions and who wants which session.

Pure data and its validation; no Django models. Error messages are translated when Django
is set up (the web pages, the command) and stay in English when the package is used alone
(the benchmark before its setup, a script).
"""

from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from types import MappingProxyType


def gettext_noop(message):
    """Marks `message` for the catalogue (makemessages looks for this name); Django's own
    would need the settings, which the package does without."""
    return message


def translated(message, **values):
    """`message` (marked with gettext_noop) in the active language, with `values` put in (`%(name)s`)."""
    from django.conf import settings  # noqa: PLC0415 -- the package works without Django set up

    if settings.configured:
        from django.utils.translation import gettext  # noqa: PLC0415 -- same reason

        message = gettext(message)
    return message % values if values else message


class ProblemError(ValueError):
    """The problem cannot be scheduled as given; the message says why, for a person."""


@dataclass(frozen=True)
class Room:
    id: str
    name: str
    capacity: int


@dataclass(frozen=True)
class Slot:
    id: str
    start: datetime
    end: datetime


@dataclass(frozen=True)
class Session:
    id: str
    title: str
    language: str = ""
    facilitators: tuple[str, ...] = ()
    unavailable_slots: frozenset[str] = frozenset()
    # (room id, slot id): the session stays in that cell.
    locked: tuple[str, str] | None = None


@dataclass(frozen=True)
class Problem:
    rooms: tuple[Room, ...]
    slots: tuple[Slot, ...]
    sessions: tuple[Session, ...]
    # participant id -> ids of the sessions they want to attend
    interests: Mapping[str, frozenset[str]] = field(default_factory=dict)

    def __post_init__(self):
        # Read-only all the way down: a problem can be shared without being changed.
        object.__setattr__(self, "rooms", tuple(self.rooms))
        object.__setattr__(self, "slots", tuple(self.slots))
        object.__setattr__(self, "sessions", tuple(self.sessions))
        object.__setattr__(
            self,
            "interests",
            MappingProxyType({p: frozenset(wanted) for p, wanted in self.interests.items()}),
        )

    def wanters(self):
        """session id -> participants who want it, facilitators included (a facilitator
        wants their own session), in a stable order."""
        wanted = {session.id: set(session.facilitators) for session in self.sessions}
        for participant, sessions in self.interests.items():
            for session_id in sessions:
                if session_id in wanted:
                    wanted[session_id].add(participant)
        return {session_id: sorted(people) for session_id, people in wanted.items()}

    def allowed_slots(self, session):
        """Ids of the slots a session may take: those none of its facilitators miss."""
        return [slot.id for slot in self.slots if slot.id not in session.unavailable_slots]

    def validate(self):
        """Raises ProblemError on the first thing that makes the problem impossible to
        schedule as given: unknown or repeated ids, a bad capacity or slot, a locked cell
        used twice or in a slot its facilitators miss, a facilitator with more sessions
        than slots they can make."""
        _unique(
            [room.id for room in self.rooms],
            gettext_noop("Every room needs an id."),
            gettext_noop("Two rooms have the id “%(id)s”."),
        )
        _unique(
            [slot.id for slot in self.slots],
            gettext_noop("Every slot needs an id."),
            gettext_noop("Two slots have the id “%(id)s”."),
        )
        _unique(
            [session.id for session in self.sessions],
            gettext_noop("Every session needs an id."),
            gettext_noop("Two sessions have the id “%(id)s”."),
        )
        for room in self.rooms:
            if (
                isinstance(room.capacity, bool)
                or not isinstance(room.capacity, int)
                or room.capacity < 0
            ):
                raise ProblemError(
                    translated(
                        gettext_noop(
                            "Room “%(room)s” needs a capacity that is a whole number, 0 or more."
                        ),
                        room=room.id,
                    )
                )
        for slot in self.slots:
            if not (slot.end > slot.start):
                raise ProblemError(
                    translated(
                        gettext_noop("Slot “%(slot)s” must end after it starts."), slot=slot.id
                    )
                )
        rooms = {room.id for room in self.rooms}
        slots = {slot.id for slot in self.slots}
        locked_cells = {}
        for session in self.sessions:
            for slot_id in session.unavailable_slots:
                if slot_id not in slots:
                    raise ProblemError(
                        translated(
                            gettext_noop(
                                "Session “%(session)s” names an unknown slot: “%(slot)s”."
                            ),
                            session=session.id,
                            slot=slot_id,
                        )
                    )
            if len(set(session.facilitators)) != len(session.facilitators):
                raise ProblemError(
                    translated(
                        gettext_noop("Session “%(session)s” names a facilitator twice."),
                        session=session.id,
                    )
                )
            if not self.allowed_slots(session):
                raise ProblemError(
                    translated(
                        gettext_noop(
                            "Session “%(session)s” has no slot its facilitators can make."
                        ),
                        session=session.id,
                    )
                )
            if session.locked is None:
                continue
            room_id, slot_id = session.locked
            if room_id not in rooms:
                raise ProblemError(
                    translated(
                        gettext_noop(
                            "Session “%(session)s” is locked in an unknown room: “%(room)s”."
                        ),
                        session=session.id,
                        room=room_id,
                    )
                )
            if slot_id not in slots:
                raise ProblemError(
                    translated(
                        gettext_noop(
                            "Session “%(session)s” is locked in an unknown slot: “%(slot)s”."
                        ),
                        session=session.id,
                        slot=slot_id,
                    )
                )
            if slot_id in session.unavailable_slots:
                raise ProblemError(
                    translated(
                        gettext_noop(
                            "Session “%(session)s” is locked in slot “%(slot)s”, which its "
                            "facilitators cannot make."
                        ),
                        session=session.id,
                        slot=slot_id,
                    )
                )
            if (room_id, slot_id) in locked_cells:
                raise ProblemError(
                    translated(
                        gettext_noop(
                            "Sessions “%(first)s” and “%(second)s” are both locked in room "
                            "“%(room)s” at slot “%(slot)s”."
                        ),
                        first=locked_cells[room_id, slot_id],
                        second=session.id,
                        room=room_id,
                        slot=slot_id,
                    )
                )
            locked_cells[room_id, slot_id] = session.id
        known = {session.id for session in self.sessions}
        for participant, wanted in sorted(self.interests.items()):
            unknown = sorted(wanted - known)
            if unknown:
                raise ProblemError(
                    translated(
                        gettext_noop(
                            "Participant “%(participant)s” wants an unknown session: “%(session)s”."
                        ),
                        participant=participant,
                        session=unknown[0],
                    )
                )
        self._check_facilitators(locked_cells)

    def _check_facilitators(self, locked_cells):
        by_facilitator = {}
        for session in self.sessions:
            for person in session.facilitators:
                by_facilitator.setdefault(person, []).append(session)
        for person, sessions in sorted(by_facilitator.items()):
            locked_slots = {}
            for session in sessions:
                if session.locked is None:
                    continue
                slot_id = session.locked[1]
                if slot_id in locked_slots:
                    raise ProblemError(
                        translated(
                            gettext_noop(
                                "Facilitator “%(person)s” would be in two locked sessions at "
                                "slot “%(slot)s”: “%(first)s” and “%(second)s”."
                            ),
                            person=person,
                            slot=slot_id,
                            first=locked_slots[slot_id],
                            second=session.id,
                        )
                    )
                locked_slots[slot_id] = session.id
            # Each of their sessions needs a slot of its own (Hall's condition, checked by
            # a matching of sessions to slots).
            options = {
                session.id: [session.locked[1]] if session.locked else self.allowed_slots(session)
                for session in sessions
            }
            if len(_max_matching(options)) < len(sessions):
                raise ProblemError(
                    translated(
                        gettext_noop(
                            "Facilitator “%(person)s” has %(count)s sessions but cannot make "
                            "enough slots for them without being in two at once."
                        ),
                        person=person,
                        count=len(sessions),
                    )
                )


def _unique(ids, missing, repeated):
    seen = set()
    for item in ids:
        if not isinstance(item, str) or not item:
            raise ProblemError(translated(missing))
        if item in seen:
            raise ProblemError(translated(repeated, id=item))
        seen.add(item)


def _max_matching(options):
    """A maximum matching of keys to one of their options each, no option used twice
    (Kuhn's augmenting paths; the inputs are a facilitator's few sessions)."""
    owner = {}

    def augment(key, seen):
        for option in options[key]:
            if option in seen:
                continue
            seen.add(option)
            if option not in owner or augment(owner[option], seen):
                owner[option] = key
                return True
        return False

    for key in options:
        augment(key, set())
    return {key: option for option, key in owner.items()}
