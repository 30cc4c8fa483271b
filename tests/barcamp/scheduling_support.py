"""Problems for the scheduler's tests, written the way the JSON of the command reads."""

from datetime import UTC, datetime, timedelta

from goingsolo.barcamp.scheduling import Problem, Room, Session, Slot

START = datetime(2027, 5, 15, 9, tzinfo=UTC)


def rooms(*capacities):
    return tuple(
        Room(id=f"r{i + 1}", name=f"Room {i + 1}", capacity=c) for i, c in enumerate(capacities)
    )


def slots(count):
    return tuple(
        Slot(
            id=f"t{i + 1}",
            start=START + timedelta(hours=i),
            end=START + timedelta(hours=i, minutes=50),
        )
        for i in range(count)
    )


def session(id, *facilitators, unavailable=(), locked=None):
    return Session(
        id=id,
        title=f"Session {id}",
        facilitators=tuple(facilitators),
        unavailable_slots=frozenset(unavailable),
        locked=locked,
    )


def problem(room_capacities, slot_count, sessions, interests):
    return Problem(
        rooms=rooms(*room_capacities),
        slots=slots(slot_count),
        sessions=tuple(sessions),
        interests={person: frozenset(wanted) for person, wanted in interests.items()},
    )


def as_json(problem):
    """`problem` in the command's input format."""
    return {
        "rooms": [{"id": r.id, "name": r.name, "capacity": r.capacity} for r in problem.rooms],
        "slots": [
            {"id": t.id, "start": t.start.isoformat(), "end": t.end.isoformat()}
            for t in problem.slots
        ],
        "sessions": [
            {
                "id": s.id,
                "title": s.title,
                "language": s.language,
                "facilitators": list(s.facilitators),
                "unavailable_slots": sorted(s.unavailable_slots),
                **({"locked": {"room": s.locked[0], "slot": s.locked[1]}} if s.locked else {}),
            }
            for s in problem.sessions
        ],
        "interests": {p: sorted(wanted) for p, wanted in problem.interests.items()},
    }


def random_problem(rng, sessions, room_count, slot_count, participants):
    """A barcamp drawn with `rng` (random.Random): skewed wishes, one facilitator per
    session, a few of them missing a slot; redrawn until it is valid."""
    people = [f"m{i + 1}" for i in range(participants)]
    while True:
        capacities = [rng.choice((10, 15, 20, 30, 40)) for _ in range(room_count)]
        session_list = [
            session(
                f"s{i + 1}",
                rng.choice(people),
                unavailable=[f"t{rng.randint(1, slot_count)}"] if rng.random() < 0.2 else [],
            )
            for i in range(sessions)
        ]
        weights = [1 / (k + 1) for k in range(sessions)]
        interests = {
            person: {s.id for s in rng.choices(session_list, weights, k=rng.randint(1, 6))}
            for person in people
        }
        built = problem(capacities, slot_count, session_list, interests)
        try:
            built.validate()
        except ValueError:
            continue
        return built
