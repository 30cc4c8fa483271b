"""The search: a greedy start, then simulated annealing on the slots of the sessions.

Rooms within a slot follow audience size (the largest audience in the largest free room),
which is also the placement that puts the fewest people over capacity for the sessions of
that slot; so the search only chooses each session's slot, and rooms are given at the end.

The cost is lexicographic, as weights no lower term can outweigh: facilitators' clashes
(allowed during the search, never in a result), unscheduled sessions, missed sessions,
moves (replan only, weighted against missed sessions: MOVE_COST), people over capacity.
"""

import math
import random
import time

from .costs import evaluate
from .problem import ProblemError, gettext_noop, translated
from .schedule import Schedule

UNSCHEDULED = -1

# Steps of the local search per second of budget: a little under what one free core of the
# benchmark's machine does on the largest barcamp (80 sessions, 400 participants: about
# 290,000). The search ends on its step count, so a seed gives the same result on every
# machine; the clock only stops it early where the steps do not fit in the budget (a slower
# or busy machine), and then the result depends on the machine.
ITERATIONS_PER_SECOND = 225_000

# `solve`'s budget by default: on the benchmark's machine the steps take about 1.45 s, and a
# busy machine's clock stops the search at 90 % of it, so a schedule comes within 2 s.
SOLVE_SECONDS = 1.8

# `solve` runs this many searches from the greedy start, each with its share of the steps,
# and keeps the best: one long search ends in one of many near-equal valleys, some 2 %
# worse than others (bench/barcamp.py: 4 runs of 100,000 steps gave the largest barcamp
# 549 missed at worst over 12 seeds, one run of 450,000 steps 550, of 150,000 steps 559).
RESTARTS = 4

# The share of the budget the search may take: the rest is for the rooms and the final
# evaluation, which a busy machine slows too.
SEARCH_SHARE = 0.9

# The temperature, in costs: from HOT missed sessions to WARM missed sessions over most
# steps, then down to COLD people over capacity over the last POLISH of them.
HOT = 3.0
WARM = 0.2
COLD = 0.2
POLISH = 0.1

# In a replan, moving a previously placed session costs as much as this many missed
# sessions: the grid changes only where that spares people more.
MOVE_COST = 2


class State:
    """A placement of sessions in slots, with the counts that make a move's cost cheap:
    per participant and slot the sessions they want there, per facilitator and slot the
    sessions they run there, per slot its sessions and their over-capacity."""

    def __init__(self, problem, *, fixed, forbidden_slots=frozenset(), previous=None):
        self.problem = problem
        self.sessions = problem.sessions
        self.slot_ids = [slot.id for slot in problem.slots]
        slot_index = {slot_id: i for i, slot_id in enumerate(self.slot_ids)}
        self.slot_index = slot_index
        session_index = {session.id: i for i, session in enumerate(self.sessions)}
        self.session_index = session_index
        nslots = self.nslots = len(self.slot_ids)
        wanters = problem.wanters()
        people = sorted({person for group in wanters.values() for person in group})
        person_index = {person: i for i, person in enumerate(people)}
        self.wanters = [[person_index[p] for p in wanters[s.id]] for s in self.sessions]
        self.audience = [len(group) for group in self.wanters]
        facilitators = sorted({f for s in self.sessions for f in s.facilitators})
        facilitator_index = {f: i for i, f in enumerate(facilitators)}
        self.facilitators = [[facilitator_index[f] for f in s.facilitators] for s in self.sessions]
        self.rooms = problem.rooms
        capacities = sorted((room.capacity for room in problem.rooms), reverse=True)

        # fixed: session id -> (room id, slot id) that must not change.
        self.fixed = {session_index[s]: cell for s, cell in fixed.items()}
        self.fixed_rooms = [set() for _ in range(nslots)]
        for cell in self.fixed.values():
            self.fixed_rooms[slot_index[cell[1]]].add(cell[0])
        capacity_of = {room.id: room.capacity for room in problem.rooms}
        self.free_capacities = []
        for t in range(nslots):
            left = list(capacities)
            for room_id in self.fixed_rooms[t]:
                left.remove(capacity_of[room_id])
            self.free_capacities.append(left)
        self.fixed_over = [0] * nslots
        for s, (room_id, slot_id) in self.fixed.items():
            self.fixed_over[slot_index[slot_id]] += max(0, self.audience[s] - capacity_of[room_id])

        forbidden = {slot_index[t] for t in forbidden_slots}
        self.allowed = []
        for i, session in enumerate(self.sessions):
            if i in self.fixed:
                self.allowed.append([slot_index[self.fixed[i][1]]])
            else:
                self.allowed.append(
                    [
                        slot_index[t]
                        for t in problem.allowed_slots(session)
                        if slot_index[t] not in forbidden and self.free_capacities[slot_index[t]]
                    ]
                )
        self.movable = [i for i in range(len(self.sessions)) if i not in self.fixed]

        # previous: session index -> slot index it had (replan), to count moves.
        self.previous = {}
        for session_id, (_room, slot_id) in (previous or {}).items():
            if session_id in session_index and slot_id in slot_index:
                self.previous[session_index[session_id]] = slot_index[slot_id]

        total_audience = sum(self.audience)
        self.w_missed = total_audience + 1
        self.w_move = 0
        self.w_unscheduled = self.w_missed * (total_audience + 1) * (len(self.sessions) + 1)
        self.w_clash = self.w_unscheduled * (len(self.sessions) + 1)

        self.slot_of = [UNSCHEDULED] * len(self.sessions)
        self.members = [[] for _ in range(nslots)]
        self.movable_in = [0] * nslots
        self.wants = [0] * (len(people) * nslots)
        self.runs = [0] * (len(facilitators) * nslots)
        self.over = list(self.fixed_over)
        self.missed = total_audience  # everything starts unscheduled
        self.clashes = 0
        self.unscheduled = len(self.sessions)
        self.moved = 0
        # wanted_by[p]: the sessions p wants; one[s, t] / two[s, t]: how many of s's
        # wanters want at least one / two sessions in slot t; common[s, v]: who wants both.
        self.wanted_by = [[] for _ in people]
        for s, group in enumerate(self.wanters):
            for p in group:
                self.wanted_by[p].append(s)
        # The same as offsets into one and two (u × nslots), read by place and remove.
        self.wanted_at = [[u * nslots for u in sessions] for sessions in self.wanted_by]
        self.one = [0] * (len(self.sessions) * nslots)
        self.two = [0] * (len(self.sessions) * nslots)
        # common is keyed by s × (number of sessions) + v for s < v, and holds p × nslots:
        # the swap, the search's most frequent step, then does no arithmetic it can avoid.
        self.nsessions = len(self.sessions)
        self.common = {}
        for p, sessions in enumerate(self.wanted_by):
            for i, s in enumerate(sessions):
                for v in sessions[i + 1 :]:
                    key = s * self.nsessions + v if s < v else v * self.nsessions + s
                    self.common.setdefault(key, []).append(p * nslots)
        self.can_take = [
            [t in allowed for t in range(nslots)] for allowed in map(set, self.allowed)
        ]
        for s in self.fixed:
            self.place(s, self.allowed[s][0])

    # -- costs -------------------------------------------------------------------------

    def cost(self):
        return (
            self.clashes * self.w_clash
            + self.unscheduled * self.w_unscheduled
            + self.missed * self.w_missed
            + self.moved * self.w_move
            + sum(self.over)
        )

    def slot_over(self, t, extra=None, without=None):
        """Over-capacity of slot t's movable sessions (plus `extra`, minus `without`) when
        the largest audiences take the largest free rooms, plus its fixed sessions'."""
        fixed = self.fixed
        audience = self.audience
        audiences = [audience[s] for s in self.members[t] if s != without and s not in fixed]
        if extra is not None:
            audiences.append(audience[extra])
        audiences.sort(reverse=True)
        over = self.fixed_over[t]
        for a, c in zip(audiences, self.free_capacities[t], strict=False):
            if a > c:
                over += a - c
        return over

    def has_room(self, t):
        return self.movable_in[t] < len(self.free_capacities[t])

    def delta_move(self, s, target, limit=None):
        """The change of cost if session s went to slot `target` (or UNSCHEDULED); the
        target must have a free cell. None if it surely exceeds `limit` (then the
        over-capacity, the dearest part, is not computed)."""
        source = self.slot_of[s]
        if source == target:
            return 0
        nslots = self.nslots
        # Leaving its slot spares those of its wanters who want another session there;
        # entering one costs those who already want one there.
        base = s * nslots
        missed = -self.audience[s] if source == UNSCHEDULED else -self.two[base + source]
        missed += self.audience[s] if target == UNSCHEDULED else self.one[base + target]
        clashes = 0
        runs = self.runs
        for f in self.facilitators[s]:
            if source != UNSCHEDULED and runs[f * nslots + source] >= 2:
                clashes -= 1
            if target != UNSCHEDULED and runs[f * nslots + target] >= 1:
                clashes += 1
        unscheduled = (source == UNSCHEDULED) - (target == UNSCHEDULED)
        moved = 0
        if s in self.previous:
            before = self.previous[s]
            moved = (target != before) - (source != before)
        delta = (
            clashes * self.w_clash
            - unscheduled * self.w_unscheduled
            + missed * self.w_missed
            + moved * self.w_move
        )
        if limit is not None and delta - self._over_at_stake(source, target) > limit:
            return None
        if source != UNSCHEDULED:
            delta += self.slot_over(source, without=s) - self.over[source]
        if target != UNSCHEDULED:
            delta += self.slot_over(target, extra=s) - self.over[target]
        return delta

    def _over_at_stake(self, a, b):
        """The most over-capacity a change between slots a and b can spare."""
        stake = 0
        if a != UNSCHEDULED:
            stake += self.over[a] - self.fixed_over[a]
        if b != UNSCHEDULED:
            stake += self.over[b] - self.fixed_over[b]
        return stake

    def delta_swap(self, s, v, limit=None):
        """The change of cost if sessions s and v exchanged their slots (one of them may be
        unscheduled, and then the other becomes so); None if it surely exceeds `limit`."""
        a = self.slot_of[s]
        b = self.slot_of[v]
        nslots = self.nslots
        wants = self.wants
        one = self.one
        two = self.two
        # As two moves, each counted as if the other had not happened…
        base_s = s * nslots
        base_v = v * nslots
        if a == UNSCHEDULED:
            missed = self.audience[v] - self.audience[s]
        else:
            missed = one[base_v + a] - two[base_s + a]
        if b == UNSCHEDULED:
            missed += self.audience[s] - self.audience[v]
        else:
            missed += one[base_s + b] - two[base_v + b]
        # …then corrected for those who want both, whose counts do not change at all.
        both = self.common.get(s * self.nsessions + v if s < v else v * self.nsessions + s)
        if both:
            if a != UNSCHEDULED and b != UNSCHEDULED:
                for k in both:
                    missed += (wants[k + a] > 1) + (wants[k + b] > 1) - 2
            else:
                for k in both:
                    missed -= 2
                    if a == UNSCHEDULED or wants[k + a] >= 2:
                        missed += 1
                    if b == UNSCHEDULED or wants[k + b] >= 2:
                        missed += 1
        clashes = 0
        runs = self.runs
        fs = self.facilitators[s]
        fv = self.facilitators[v]
        if fs or fv:
            for f in fs:
                if f in fv:
                    continue
                if a != UNSCHEDULED and runs[f * nslots + a] >= 2:
                    clashes -= 1
                if b != UNSCHEDULED and runs[f * nslots + b] >= 1:
                    clashes += 1
            for f in fv:
                if f in fs:
                    continue
                if b != UNSCHEDULED and runs[f * nslots + b] >= 2:
                    clashes -= 1
                if a != UNSCHEDULED and runs[f * nslots + a] >= 1:
                    clashes += 1
        moved = 0
        previous = self.previous
        if previous:
            if s in previous:
                moved += (b != previous[s]) - (a != previous[s])
            if v in previous:
                moved += (a != previous[v]) - (b != previous[v])
        delta = clashes * self.w_clash + missed * self.w_missed + moved * self.w_move
        if limit is not None and delta - self._over_at_stake(a, b) > limit:
            return None
        if a != UNSCHEDULED:
            delta += self.slot_over(a, extra=v, without=s) - self.over[a]
        if b != UNSCHEDULED:
            delta += self.slot_over(b, extra=s, without=v) - self.over[b]
        return delta

    def swap(self, s, v):
        a = self.slot_of[s]
        b = self.slot_of[v]
        if a != UNSCHEDULED:
            self.remove(s)
        if b != UNSCHEDULED:
            self.remove(v)
        if b != UNSCHEDULED:
            self.place(s, b)
        if a != UNSCHEDULED:
            self.place(v, a)

    # -- changes -----------------------------------------------------------------------

    def place(self, s, t):
        """Puts unscheduled session s in slot t."""
        nslots = self.nslots
        wants = self.wants
        one = self.one
        two = self.two
        wanted_at = self.wanted_at
        missed = -len(self.wanters[s])
        for p in self.wanters[s]:
            k = p * nslots + t
            n = wants[k]
            wants[k] = n + 1
            if n == 0:
                for base in wanted_at[p]:
                    one[base + t] += 1
            else:
                missed += 1
                if n == 1:
                    for base in wanted_at[p]:
                        two[base + t] += 1
        self.missed += missed
        for f in self.facilitators[s]:
            k = f * nslots + t
            if self.runs[k] >= 1:
                self.clashes += 1
            self.runs[k] += 1
        self.members[t].append(s)
        if s not in self.fixed:
            self.movable_in[t] += 1
        self.slot_of[s] = t
        self.unscheduled -= 1
        self.over[t] = self.slot_over(t)
        if s in self.previous and self.previous[s] != t:
            self.moved += 1

    def remove(self, s):
        """Takes session s out of its slot."""
        t = self.slot_of[s]
        nslots = self.nslots
        wants = self.wants
        one = self.one
        two = self.two
        wanted_at = self.wanted_at
        missed = len(self.wanters[s])
        for p in self.wanters[s]:
            k = p * nslots + t
            n = wants[k]
            wants[k] = n - 1
            if n == 1:
                for base in wanted_at[p]:
                    one[base + t] -= 1
            else:
                missed -= 1
                if n == 2:
                    for base in wanted_at[p]:
                        two[base + t] -= 1
        self.missed += missed
        for f in self.facilitators[s]:
            k = f * nslots + t
            self.runs[k] -= 1
            if self.runs[k] >= 1:
                self.clashes -= 1
        self.members[t].remove(s)
        if s not in self.fixed:
            self.movable_in[t] -= 1
        self.slot_of[s] = UNSCHEDULED
        self.unscheduled += 1
        self.over[t] = self.slot_over(t)
        if s in self.previous and self.previous[s] != t:
            self.moved -= 1

    def move(self, s, t):
        if self.slot_of[s] != UNSCHEDULED:
            self.remove(s)
        if t != UNSCHEDULED:
            self.place(s, t)

    # -- the start ---------------------------------------------------------------------

    def greedy(self):
        """Places the waiting movable sessions one by one, those with the fewest slots
        first, then the most wanted, each where it costs least; then makes room, by moving
        placed sessions along augmenting paths, for those that found no free cell."""
        order = sorted(
            (s for s in self.movable if self.slot_of[s] == UNSCHEDULED),
            key=lambda s: (len(self.allowed[s]), -self.audience[s], s),
        )
        left = []
        for s in order:
            options = [t for t in self.allowed[s] if self.has_room(t)]
            if not options:
                left.append(s)
                continue
            best = min(options, key=lambda t: (self.delta_move(s, t), t))
            self.place(s, best)
        for s in left:
            self.augment(s)

    def augment(self, s):
        """Finds a slot for unscheduled session s, moving placed movable sessions from slot
        to slot if needed (a breadth-first search for a chain of moves ending in a free
        cell). Leaves s unscheduled when no chain exists: then cells lack."""
        # Nodes are slots; from slot t a session v in t may move to any allowed slot of v.
        parent = {}
        queue = []
        for t in self.allowed[s]:
            if t not in parent:
                parent[t] = (None, s)
                queue.append(t)
        head = 0
        while head < len(queue):
            t = queue[head]
            head += 1
            if self.has_room(t):
                # Walk back: the session that enters t comes from the slot before it.
                while t is not None:
                    source, session = parent[t]
                    self.move(session, t)
                    t = source
                return True
            for v in self.members[t]:
                if v in self.fixed:
                    continue
                for u in self.allowed[v]:
                    if u not in parent:
                        parent[u] = (t, v)
                        queue.append(u)
        return False

    # -- the local search ---------------------------------------------------------------

    def anneal(self, rng, *, iterations, deadline):
        """Simulated annealing over moves (a session to another slot with a free cell) and
        swaps (two sessions exchange slots), `iterations` steps or until the clock passes
        `deadline`, whichever comes first; ends in the best placement seen.

        The temperature falls geometrically with the step number, so the same seed gives
        the same result on any machine that does the steps in time; on a slower one the
        clock, when it is further on, sets the temperature instead."""
        # Sessions with a choice: more than one slot, or one while some sessions wait.
        movable = [
            s
            for s in self.movable
            if len(self.allowed[s]) > 1 or (self.allowed[s] and self.unscheduled)
        ]
        if not movable or iterations <= 0:
            return
        current = self.cost()
        best = current
        best_slots = list(self.slot_of)
        # Most steps cool from HOT to WARM missed sessions, where the missed count
        # settles; the last ones from there down to COLD people over capacity, which
        # settles the rooms' load.
        hot = HOT * self.w_missed
        warm = WARM * self.w_missed
        slot_of = self.slot_of
        allowed = self.allowed
        can_take = self.can_take
        members = self.members
        fixed = self.fixed
        random = rng.random
        log = math.log
        check_every = 256
        count = len(movable)
        begun = time.perf_counter()
        for step in range(iterations):
            if step % check_every == 0:
                now = time.perf_counter()
                if now > deadline:
                    break
                # Where the steps do not fit in the time, the clock drives the cooling, so
                # a cut-short search still ends cold (and no longer depends on the seed
                # alone); on a machine fast enough, the step count always leads.
                done = max(step / iterations, (now - begun) / max(deadline - begun, 1e-9))
                if done < 1 - POLISH:
                    temperature = hot * (warm / hot) ** (done / (1 - POLISH))
                else:
                    temperature = warm * (COLD / warm) ** ((done - 1 + POLISH) / POLISH)
            s = movable[int(random() * count)]
            a = slot_of[s]
            options = allowed[s]
            t = options[int(random() * len(options))]
            if t == a:
                continue
            # Metropolis: a change is taken when it costs at most -T·ln(u), u uniform in
            # (0, 1]; drawing u first lets the deltas give up early on hopeless changes.
            limit = -temperature * log(1.0 - random())
            if self.movable_in[t] < len(self.free_capacities[t]) and (
                a == UNSCHEDULED or random() < 0.5 or not members[t]
            ):
                v = None
                delta = self.delta_move(s, t, limit)
            else:
                inside = members[t]
                v = inside[int(random() * len(inside))]
                if v in fixed or (a != UNSCHEDULED and not can_take[v][a]):
                    continue
                delta = self.delta_swap(s, v, limit)
            if delta is None or delta > limit:
                continue
            if v is None:
                self.move(s, t)
            else:
                self.swap(s, v)
            current += delta
            if current < best:
                best = current
                best_slots[:] = slot_of
        self.restore(best_slots)

    def restore(self, slots):
        """Puts every movable session back in the slot `slots` gives it."""
        for s in self.movable:
            if self.slot_of[s] != UNSCHEDULED:
                self.remove(s)
        for s in self.movable:
            if slots[s] != UNSCHEDULED:
                self.place(s, slots[s])

    # -- the result --------------------------------------------------------------------

    def assignments(self, previous_rooms=None):
        """session id -> (room id, slot id), rooms given by audience within each slot.

        previous_rooms (replan): session id -> the room it had; a session keeps it when
        that puts nobody more over capacity."""
        result = {}
        for s, cell in self.fixed.items():
            result[self.sessions[s].id] = tuple(cell)
        for t, members in enumerate(self.members):
            movable = [s for s in members if s not in self.fixed]
            if not movable:
                continue
            rooms = sorted(
                (room for room in self.rooms if room.id not in self.fixed_rooms[t]),
                key=lambda room: (-room.capacity, room.id),
            )
            order = sorted(movable, key=lambda s: (-self.audience[s], self.sessions[s].id))
            # A session keeps its room only if it stays in its slot: one that changes slot
            # has moved anyway and must not take the room of one that stays.
            stayed = {
                self.sessions[s].id: previous_rooms[self.sessions[s].id]
                for s in movable
                if self.previous.get(s) == t and self.sessions[s].id in (previous_rooms or {})
            }
            chosen = _rooms_for(order, rooms, self.audience, self.sessions, stayed)
            for s, room in zip(order, chosen, strict=True):
                result[self.sessions[s].id] = (room.id, self.slot_ids[t])
        return result


def _rooms_for(order, rooms, audience, sessions, previous_rooms):
    """Rooms for the sessions of one slot (sorted by audience, largest first): the largest
    audiences in the largest rooms; in a replan, a session keeps its previous room when a
    placement that puts as few people over capacity allows it (a small assignment
    problem)."""
    by_audience = rooms[: len(order)]
    if not previous_rooms:
        return by_audience
    big = len(order) + 1
    cost = [
        [
            max(0, audience[s] - room.capacity) * big
            + (previous_rooms.get(sessions[s].id) != room.id)
            for room in rooms
        ]
        for s in order
    ]
    columns = _assignment(cost)
    return [rooms[j] for j in columns]


def _assignment(cost):
    """Columns of a minimum-cost assignment of each row to a distinct column (rows <=
    columns): the Hungarian algorithm with potentials, O(rows² × columns)."""
    n, m = len(cost), len(cost[0])
    inf = float("inf")
    u = [0] * (n + 1)
    v = [0] * (m + 1)
    match = [0] * (m + 1)  # column -> row (1-based), 0 for none
    way = [0] * (m + 1)
    for i in range(1, n + 1):
        match[0] = i
        j0 = 0
        minv = [inf] * (m + 1)
        used = [False] * (m + 1)
        while True:
            used[j0] = True
            i0 = match[j0]
            delta = inf
            j1 = 0
            for j in range(1, m + 1):
                if used[j]:
                    continue
                current = cost[i0 - 1][j - 1] - u[i0] - v[j]
                if current < minv[j]:
                    minv[j] = current
                    way[j] = j0
                if minv[j] < delta:
                    delta = minv[j]
                    j1 = j
            for j in range(m + 1):
                if used[j]:
                    u[match[j]] += delta
                    v[j] -= delta
                else:
                    minv[j] -= delta
            j0 = j1
            if match[j0] == 0:
                break
        while j0:
            j1 = way[j0]
            match[j0] = match[j1]
            j0 = j1
    columns = [0] * n
    for j in range(1, m + 1):
        if match[j]:
            columns[match[j] - 1] = j - 1
    return columns


def _finish(problem, state, started, previous=None):
    if state.clashes:
        clashing = sorted(
            {
                problem.sessions[s].id
                for t, members in enumerate(state.members)
                for s in members
                for f in state.facilitators[s]
                if state.runs[f * state.nslots + t] >= 2
            }
        )
        raise ProblemError(
            translated(
                gettext_noop(
                    "No schedule keeps every facilitator in one session at a time; these "
                    "sessions clash: %(sessions)s."
                ),
                sessions=", ".join(clashing),
            )
        )
    previous = previous or {}
    assignments = state.assignments({k: room for k, (room, _slot) in previous.items()})
    missed, over = evaluate(problem, assignments)
    moved = sum(1 for k, cell in previous.items() if assignments.get(k) != cell)
    unscheduled = tuple(s.id for s in problem.sessions if s.id not in assignments)
    return Schedule(
        assignments=assignments,
        unscheduled=unscheduled,
        missed=missed,
        over_capacity=over,
        seconds=round(time.perf_counter() - started, 3),
        moved=moved,
    )


def _steps(seconds, iterations):
    return int(seconds * ITERATIONS_PER_SECOND) if iterations is None else iterations


def solve(problem, *, seconds=SOLVE_SECONDS, seed=0, iterations=None):
    """The best schedule found for `problem` (validated first: raises ProblemError) in at
    most `seconds`. `iterations`, the search's number of steps (shared by the RESTARTS
    searches), defaults to what the budget allows on a free core; giving it with a
    generous budget makes the result depend on the seed alone, on any machine."""
    started = time.perf_counter()
    problem.validate()
    fixed = {s.id: tuple(s.locked) for s in problem.sessions if s.locked is not None}
    state = State(problem, fixed=fixed)
    state.greedy()
    greedy_slots = list(state.slot_of)
    rng = random.Random(seed)
    steps = _steps(seconds, iterations)
    search_ends = started + SEARCH_SHARE * seconds
    best_cost, best_slots = None, greedy_slots
    for run in range(RESTARTS):
        if run:
            state.restore(greedy_slots)
        # Each search gets an equal share of the time left, so a search the clock cuts
        # short still cools to the end (see `anneal`).
        now = time.perf_counter()
        state.anneal(
            rng,
            iterations=steps // RESTARTS,
            deadline=now + (search_ends - now) / (RESTARTS - run),
        )
        if best_cost is None or state.cost() < best_cost:
            best_cost, best_slots = state.cost(), list(state.slot_of)
    state.restore(best_slots)
    return _finish(problem, state, started)


def replan(
    problem,
    previous,
    *,
    keep=frozenset(),
    frozen_slots=frozenset(),
    seconds=0.4,
    seed=0,
    iterations=None,
):
    """A new schedule close to `previous` (session id -> (room id, slot id)): sessions in
    `keep` and every session in a slot of `frozen_slots` stay in their cells, no session
    enters a frozen slot, and few previously placed sessions move (`moved` says how many).
    `seconds`, `seed` and `iterations` as for `solve`."""
    started = time.perf_counter()
    problem.validate()
    fixed, previous = _replan_fixed(problem, previous, keep, frozen_slots)
    state = State(problem, fixed=fixed, forbidden_slots=frozen_slots, previous=previous)
    # Start from the previous grid where it still holds, then place the rest.
    for session_id, (_room, slot_id) in sorted(previous.items()):
        s = state.session_index[session_id]
        t = state.slot_index[slot_id]
        if s not in state.fixed and t in state.allowed[s] and state.has_room(t):
            state.place(s, t)
    state.greedy()
    state.w_move = MOVE_COST * state.w_missed
    state.anneal(
        random.Random(seed),
        iterations=_steps(seconds, iterations),
        deadline=started + SEARCH_SHARE * seconds,
    )
    return _finish(problem, state, started, previous)


def _replan_fixed(problem, previous, keep, frozen_slots):
    """The cells that must not change in a replan, and the previous cells of the sessions
    that still exist. Raises ProblemError on unknown ids and on kept cells that clash."""
    sessions = {s.id: s for s in problem.sessions}
    rooms = {room.id for room in problem.rooms}
    slots = {slot.id for slot in problem.slots}
    for slot_id in frozen_slots:
        if slot_id not in slots:
            raise ProblemError(translated(gettext_noop("Unknown slot: “%(slot)s”."), slot=slot_id))
    current = {}
    for session_id, (room_id, slot_id) in previous.items():
        if room_id not in rooms or slot_id not in slots:
            raise ProblemError(
                translated(
                    gettext_noop("The previous schedule puts “%(session)s” in an unknown cell."),
                    session=session_id,
                )
            )
        if session_id in sessions:  # a withdrawn session simply frees its cell
            current[session_id] = (room_id, slot_id)
    fixed = {s.id: tuple(s.locked) for s in problem.sessions if s.locked is not None}
    for session_id in sorted(keep):
        if session_id not in current:
            raise ProblemError(
                translated(
                    gettext_noop(
                        "Session “%(session)s” is to be kept but the previous schedule does "
                        "not place it."
                    ),
                    session=session_id,
                )
            )
        fixed.setdefault(session_id, current[session_id])
    for session_id, cell in current.items():
        if cell[1] in frozen_slots:
            fixed.setdefault(session_id, cell)
    by_cell = {}
    busy = {}
    for session_id, cell in sorted(fixed.items()):
        if cell in by_cell and by_cell[cell] != session_id:
            raise ProblemError(
                translated(
                    gettext_noop(
                        "Sessions “%(first)s” and “%(second)s” would both stay in room "
                        "“%(room)s” at slot “%(slot)s”."
                    ),
                    first=by_cell[cell],
                    second=session_id,
                    room=cell[0],
                    slot=cell[1],
                )
            )
        by_cell[cell] = session_id
        session = sessions[session_id]
        if cell[1] in session.unavailable_slots:
            raise ProblemError(
                translated(
                    gettext_noop(
                        "Session “%(session)s” would stay at slot “%(slot)s”, which its "
                        "facilitators cannot make."
                    ),
                    session=session_id,
                    slot=cell[1],
                )
            )
        for person in session.facilitators:
            other = busy.setdefault((person, cell[1]), session_id)
            if other != session_id:
                raise ProblemError(
                    translated(
                        gettext_noop(
                            "Facilitator “%(person)s” would stay in two sessions at slot "
                            "“%(slot)s”: “%(first)s” and “%(second)s”."
                        ),
                        person=person,
                        slot=cell[1],
                        first=other,
                        second=session_id,
                    )
                )
    return fixed, current
