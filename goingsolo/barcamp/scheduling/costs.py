"""What an assignment costs and which hard rules it breaks.

An assignment maps session ids to (room id, slot id); a session that is not in it is
unscheduled. The definitions (docs/barcamp.md, "Scheduler"):

- missed: for each participant and slot, the number of sessions they want in that slot
  minus one (none if they want at most one there); a facilitator wants their own
  sessions; a session left unscheduled is missed by everyone who wants it;
- over capacity: for each placed session, its audience (everyone who wants it,
  facilitators included) above its room's capacity.
"""

from collections import Counter

from .problem import ProblemError, gettext_noop, translated


def evaluate(problem, assignments):
    """(missed, over capacity) of `assignments`. Raises ProblemError when it names an
    unknown session, room or slot."""
    _check_known(problem, assignments)
    return sum(missed_by_participant(problem, assignments).values()), _over_capacity(
        problem, assignments
    )


def missed_by_participant(problem, assignments):
    """participant id -> the sessions they miss (as `evaluate` counts them), for those who
    miss at least one."""
    _check_known(problem, assignments)
    wanted = {}
    for session_id, people in problem.wanters().items():
        for person in people:
            wanted.setdefault(person, []).append(session_id)
    missed = {}
    for person, sessions in wanted.items():
        per_slot = Counter(
            assignments[session][1] if session in assignments else None for session in sessions
        )
        count = per_slot.pop(None, 0) + sum(n - 1 for n in per_slot.values() if n > 1)
        if count:
            missed[person] = count
    return missed


def _over_capacity(problem, assignments):
    capacity = {room.id: room.capacity for room in problem.rooms}
    wanters = problem.wanters()
    return sum(
        max(0, len(wanters[session]) - capacity[room])
        for session, (room, _slot) in assignments.items()
    )


def _check_known(problem, assignments):
    problems = _unknown(problem, assignments)
    if problems:
        raise ProblemError(problems[0])


def _unknown(problem, assignments):
    sessions = {session.id for session in problem.sessions}
    rooms = {room.id for room in problem.rooms}
    slots = {slot.id for slot in problem.slots}
    found = []
    for session, (room, slot) in sorted(assignments.items()):
        if session not in sessions:
            found.append(
                translated(
                    gettext_noop("The schedule places an unknown session: “%(session)s”."),
                    session=session,
                )
            )
        if room not in rooms:
            found.append(
                translated(
                    gettext_noop("The schedule uses an unknown room: “%(room)s”."), room=room
                )
            )
        if slot not in slots:
            found.append(
                translated(
                    gettext_noop("The schedule uses an unknown slot: “%(slot)s”."), slot=slot
                )
            )
    return found


def violations(problem, assignments):
    """The hard rules `assignments` breaks, each as a translated sentence; [] if none."""
    found = _unknown(problem, assignments)
    if found:
        return found
    sessions = {session.id: session for session in problem.sessions}
    by_cell = {}
    for session_id, cell in sorted(assignments.items()):
        if cell in by_cell:
            found.append(
                translated(
                    gettext_noop(
                        "Sessions “%(first)s” and “%(second)s” share room “%(room)s” at "
                        "slot “%(slot)s”."
                    ),
                    first=by_cell[cell],
                    second=session_id,
                    room=cell[0],
                    slot=cell[1],
                )
            )
        else:
            by_cell[cell] = session_id
    busy = {}
    for session_id, (_room, slot) in sorted(assignments.items()):
        session = sessions[session_id]
        if slot in session.unavailable_slots:
            found.append(
                translated(
                    gettext_noop(
                        "Session “%(session)s” is at slot “%(slot)s”, which its facilitators "
                        "cannot make."
                    ),
                    session=session_id,
                    slot=slot,
                )
            )
        for person in session.facilitators:
            other = busy.setdefault((person, slot), session_id)
            if other != session_id:
                found.append(
                    translated(
                        gettext_noop(
                            "Facilitator “%(person)s” is in two sessions at slot “%(slot)s”: "
                            "“%(first)s” and “%(second)s”."
                        ),
                        person=person,
                        slot=slot,
                        first=other,
                        second=session_id,
                    )
                )
    for session in problem.sessions:
        if session.locked is not None and assignments.get(session.id) != tuple(session.locked):
            found.append(
                translated(
                    gettext_noop(
                        "Session “%(session)s” is locked in room “%(room)s” at slot "
                        "“%(slot)s” but is not there."
                    ),
                    session=session.id,
                    room=session.locked[0],
                    slot=session.locked[1],
                )
            )
    used_slots = Counter(slot for _room, slot in by_cell)
    for session in problem.sessions:
        if session.id in assignments:
            continue
        for slot in problem.allowed_slots(session):
            free = used_slots[slot] < len(problem.rooms)
            clear = not any((person, slot) in busy for person in session.facilitators)
            if free and clear:
                found.append(
                    translated(
                        gettext_noop(
                            "Session “%(session)s” is not placed, though slot “%(slot)s” has "
                            "a free room."
                        ),
                        session=session.id,
                        slot=slot,
                    )
                )
                break
    return found
