"""The schedule HiGHS proves best, for small problems: what the tests and the benchmark
hold the search to. Not used by the site.

A mixed-integer model solved three times, lexicographically: fewest sessions left
unscheduled, then fewest missed, then fewest people over capacity, each stage keeping the
optimum of the one before.
"""

from dataclasses import dataclass


@dataclass(frozen=True)
class Exact:
    assignments: dict
    missed: int
    over_capacity: int
    # False when the time limit stopped HiGHS before it proved the last stage optimal.
    proven: bool


def exact_schedule(problem, *, time_limit=60.0, facilitator_rule=True):
    """The best schedule for `problem` (already validated) as HiGHS finds it.

    facilitator_rule=False lets facilitators be in two sessions at once: then the fewest
    unscheduled sessions is what the cells alone impose (the tests compare the two)."""
    import highspy  # noqa: PLC0415 -- a test and benchmark dependency, loaded only here

    h = highspy.Highs()
    h.silent()
    h.setOptionValue("mip_rel_gap", 0.0)
    # Every objective is a whole number: a gap under 1 proves the optimum.
    h.setOptionValue("mip_abs_gap", 0.99)
    h.setOptionValue("threads", 1)
    wanters = problem.wanters()
    slot_ids = [slot.id for slot in problem.slots]
    rooms = problem.rooms
    # y[s, t]: session s is at slot t; x[s, r, t]: and in room r.
    y = {}
    x = {}
    for session in problem.sessions:
        if session.locked is not None:
            options = [session.locked[1]]
        else:
            options = problem.allowed_slots(session)
        for t in options:
            y[session.id, t] = h.addBinary()
            for room in rooms:
                if session.locked is not None and room.id != session.locked[0]:
                    continue
                x[session.id, room.id, t] = h.addBinary()
            h.addConstr(
                y[session.id, t]
                == h.qsum(
                    x[session.id, room.id, t] for room in rooms if (session.id, room.id, t) in x
                )
            )
    placed = {}
    for session in problem.sessions:
        terms = [y[session.id, t] for t in slot_ids if (session.id, t) in y]
        placed[session.id] = h.qsum(terms)
        if session.locked is not None:
            h.addConstr(placed[session.id] == 1)
        else:
            h.addConstr(placed[session.id] <= 1)
    for room in rooms:
        for t in slot_ids:
            terms = [x[s.id, room.id, t] for s in problem.sessions if (s.id, room.id, t) in x]
            if len(terms) > 1:
                h.addConstr(h.qsum(terms) <= 1)
    facilitated = {}
    for session in problem.sessions:
        for person in session.facilitators:
            facilitated.setdefault(person, []).append(session.id)
    for sessions in facilitated.values() if facilitator_rule else ():
        for t in slot_ids:
            terms = [y[s, t] for s in sessions if (s, t) in y]
            if len(terms) > 1:
                h.addConstr(h.qsum(terms) <= 1)
    # missed: per participant and slot, at least (sessions wanted there - 1); and the
    # whole audience of an unscheduled session.
    wanted = {}
    for session_id, people in wanters.items():
        for person in people:
            wanted.setdefault(person, []).append(session_id)
    missed_terms = []
    for sessions in wanted.values():
        for t in slot_ids:
            terms = [y[s, t] for s in sessions if (s, t) in y]
            if len(terms) > 1:
                m = h.addVariable(lb=0)
                h.addConstr(m >= h.qsum(terms) - 1)
                missed_terms.append(m)
    unscheduled = h.qsum(1 - placed[s.id] for s in problem.sessions)
    missed = h.qsum(missed_terms) + h.qsum(
        len(wanters[s.id]) * (1 - placed[s.id]) for s in problem.sessions
    )
    over_terms = []
    for session in problem.sessions:
        audience = len(wanters[session.id])
        excess = [
            (audience - room.capacity) * x[session.id, room.id, t]
            for room in rooms
            for t in slot_ids
            if (session.id, room.id, t) in x and audience > room.capacity
        ]
        if excess:
            o = h.addVariable(lb=0)
            h.addConstr(o >= h.qsum(excess))
            over_terms.append(o)
    over = h.qsum(over_terms)

    h.setOptionValue("time_limit", float(time_limit))
    proven = True
    for objective in (unscheduled, missed, over):
        h.minimize(objective)
        status = h.getModelStatus()
        if status == highspy.HighsModelStatus.kModelEmpty:
            break  # no session to place
        if status != highspy.HighsModelStatus.kOptimal:
            proven = False
            if h.getInfo().primal_solution_status == 0:
                raise RuntimeError(f"HiGHS found no schedule: {h.modelStatusToString(status)}")
            break
        value = round(h.getInfo().objective_function_value)
        h.addConstr(objective <= value + 0.5)
    assignments = {s: (r, t) for (s, r, t), var in x.items() if h.val(var) > 0.5}
    from .costs import evaluate  # noqa: PLC0415 -- keeps this module's imports lazy

    missed_value, over_value = evaluate(problem, assignments)
    return Exact(assignments, missed_value, over_value, proven)
