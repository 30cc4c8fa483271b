"""The JSON the `goingsolo barcamp schedule` command reads and writes (docs/barcamp.md)."""

from datetime import datetime

from .problem import Problem, ProblemError, Room, Session, Slot, gettext_noop, translated


def problem_from_json(data):
    """The Problem that `data` (parsed JSON) describes, validated. Raises ProblemError with
    a message that names what is wrong."""
    if not isinstance(data, dict):
        raise ProblemError(translated(gettext_noop("The input must be a JSON object.")))
    for key in ("rooms", "slots", "sessions"):
        if not isinstance(data.get(key), list):
            raise ProblemError(translated(gettext_noop("“%(key)s” must be a list."), key=key))
    rooms = tuple(_room(item) for item in data["rooms"])
    slots = tuple(_slot(item) for item in data["slots"])
    sessions = tuple(_session(item) for item in data["sessions"])
    interests = data.get("interests", {})
    if not isinstance(interests, dict):
        raise ProblemError(
            translated(
                gettext_noop("“interests” must map each participant to a list of session ids.")
            )
        )
    wanted = {}
    for participant, sessions_wanted in interests.items():
        if not isinstance(sessions_wanted, list) or not all(
            isinstance(s, str) for s in sessions_wanted
        ):
            raise ProblemError(
                translated(
                    gettext_noop(
                        "The interests of “%(participant)s” must be a list of session ids."
                    ),
                    participant=participant,
                )
            )
        wanted[participant] = frozenset(sessions_wanted)
    problem = Problem(rooms=rooms, slots=slots, sessions=sessions, interests=wanted)
    problem.validate()
    return problem


def schedule_to_json(schedule):
    """The command's output for `schedule`: its assignments sorted by session id, the
    unscheduled ids, the costs and the time taken (and `moved` after a replan that moved
    sessions)."""
    data = {
        "assignments": [
            {"session": session, "room": room, "slot": slot}
            for session, (room, slot) in sorted(schedule.assignments.items())
        ],
        "unscheduled": list(schedule.unscheduled),
        "missed": schedule.missed,
        "over_capacity": schedule.over_capacity,
        "seconds": schedule.seconds,
    }
    if schedule.moved:
        data["moved"] = schedule.moved
    return data


def _object(item, kind):
    if not isinstance(item, dict):
        raise ProblemError(
            translated(gettext_noop("Each item of “%(key)s” must be a JSON object."), key=kind)
        )
    return item


def _id(item, key):
    value = item.get("id")
    if not isinstance(value, str) or not value:
        raise ProblemError(
            translated(
                gettext_noop("Each item of “%(key)s” needs an “id” that is a non-empty string."),
                key=key,
            )
        )
    return value


def _optional_text(item, key, session_id):
    value = item.get(key)
    if value is None:
        return ""
    if not isinstance(value, str):
        raise ProblemError(
            translated(
                gettext_noop("“%(key)s” of session “%(session)s” must be a string."),
                key=key,
                session=session_id,
            )
        )
    return value


def _room(item):
    item = _object(item, "rooms")
    room_id = _id(item, "rooms")
    capacity = item.get("capacity")
    if isinstance(capacity, bool) or not isinstance(capacity, int) or capacity < 0:
        raise ProblemError(
            translated(
                gettext_noop("Room “%(room)s” needs a capacity that is a whole number, 0 or more."),
                room=room_id,
            )
        )
    return Room(id=room_id, name=str(item.get("name") or room_id), capacity=capacity)


def _slot(item):
    item = _object(item, "slots")
    slot_id = _id(item, "slots")
    times = []
    for key in ("start", "end"):
        try:
            moment = datetime.fromisoformat(item[key])
        except (KeyError, TypeError, ValueError):
            moment = None
        if moment is None or moment.tzinfo is None:
            raise ProblemError(
                translated(
                    gettext_noop(
                        "“%(key)s” of slot “%(slot)s” must be a date and time with its "
                        "offset, such as 2027-05-15T09:00:00+02:00."
                    ),
                    key=key,
                    slot=slot_id,
                )
            )
        times.append(moment)
    return Slot(id=slot_id, start=times[0], end=times[1])


def _session(item):
    item = _object(item, "sessions")
    session_id = _id(item, "sessions")
    facilitators = item.get("facilitators", [])
    unavailable = item.get("unavailable_slots", [])
    for key, value in (("facilitators", facilitators), ("unavailable_slots", unavailable)):
        if not isinstance(value, list) or not all(isinstance(v, str) and v for v in value):
            raise ProblemError(
                translated(
                    gettext_noop("“%(key)s” of session “%(session)s” must be a list of ids."),
                    key=key,
                    session=session_id,
                )
            )
    locked = item.get("locked")
    if locked is not None:
        if (
            not isinstance(locked, dict)
            or not isinstance(locked.get("room"), str)
            or not isinstance(locked.get("slot"), str)
        ):
            raise ProblemError(
                translated(
                    gettext_noop(
                        "“locked” of session “%(session)s” must give a room and a slot: "
                        '{"room": "r1", "slot": "t1"}.'
                    ),
                    session=session_id,
                )
            )
        locked = (locked["room"], locked["slot"])
    return Session(
        id=session_id,
        title=_optional_text(item, "title", session_id) or session_id,
        language=_optional_text(item, "language", session_id),
        facilitators=tuple(facilitators),
        unavailable_slots=frozenset(unavailable),
        locked=locked,
    )
