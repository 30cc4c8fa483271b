"""Speed and quality of the barcamp scheduler (docs/barcamp.md, "Scheduler").

    .venv/bin/python bench/barcamp.py [--seconds 1] [--long-seconds 60] [--exact-seconds 600]
                                      [--only NAME]

Generates instances from 16 sessions × 3 rooms × 6 slots × 60 participants up to
80 × 8 × 10 × 400: popularity skewed (Zipf-like: the k-th session is wanted in proportion
to 1/k), 3 to 12 wishes per participant, one or two facilitators per session, some of whom
cannot make one or two slots. For each instance it prints the missed sessions, the people
over capacity, the time (wall clock, and the processor time it got: on a busy machine the
clock stops the search before its steps are done) of the scheduler with its default budget
(`--seconds`), and the
gap to a reference: the optimum HiGHS proves on the small instances, else the best of a
long search (`--long-seconds`, 60 by default; shorten it to try the benchmark out).

Targets: a valid schedule in under 2 s on every size; HiGHS's optimum on the small ones;
within 2 % of the long search's best on the others. The gap is on missed sessions, the
first thing the scheduler minimises; over-capacity is printed beside it.
"""

import argparse
import os
import random
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from goingsolo.barcamp.scheduling import (
    SOLVE_SECONDS,
    Problem,
    Room,
    Session,
    Slot,
    solve,
    violations,
)

# name, sessions, rooms, slots, participants, whether HiGHS proves the optimum
INSTANCES = [
    ("small-a", 16, 3, 6, 60, True),
    ("small-b", 16, 3, 6, 60, True),
    ("medium", 32, 4, 8, 150, False),
    ("large", 48, 6, 9, 250, False),
    ("larger", 64, 8, 9, 320, False),
    ("largest", 80, 8, 10, 400, False),
]

ROOM_SIZES = [120, 80, 60, 45, 40, 30, 25, 20]


def instance(sessions, rooms, slots, participants, seed):
    """A barcamp: rooms from large to small, hour-long slots, sessions with facilitators
    taken among the participants, and wishes skewed towards the first sessions."""
    rng = random.Random(seed)
    start = datetime(2027, 5, 15, 7, tzinfo=UTC)
    room_list = tuple(
        Room(id=f"r{i + 1}", name=f"Room {i + 1}", capacity=ROOM_SIZES[i % len(ROOM_SIZES)])
        for i in range(rooms)
    )
    slot_list = tuple(
        Slot(
            id=f"t{i + 1}",
            start=start + timedelta(hours=i),
            end=start + timedelta(hours=i, minutes=50),
        )
        for i in range(slots)
    )
    people = [f"m{i + 1}" for i in range(participants)]
    # Some people facilitate two sessions; a quarter of the facilitators miss a slot or two.
    facilitators = rng.sample(people, max(1, min(len(people), sessions * 3 // 4)))
    unavailable = {
        person: frozenset(rng.sample([slot.id for slot in slot_list], rng.randint(1, 2)))
        for person in facilitators
        if rng.random() < 0.25
    }
    session_list = []
    for i in range(sessions):
        hosts = tuple(dict.fromkeys(rng.choice(facilitators) for _ in range(rng.choice((1, 1, 2)))))
        session_list.append(
            Session(
                id=f"s{i + 1}",
                title=f"Session {i + 1}",
                facilitators=hosts,
                unavailable_slots=frozenset().union(*(unavailable.get(h, ()) for h in hosts)),
            )
        )
    weights = [1 / (k + 1) for k in range(sessions)]
    interests = {}
    for person in people:
        count = rng.randint(3, 12)
        wanted = set()
        while len(wanted) < min(count, sessions):
            wanted.add(rng.choices(session_list, weights)[0].id)
        interests[person] = frozenset(wanted)
    problem = Problem(
        rooms=room_list, slots=slot_list, sessions=tuple(session_list), interests=interests
    )
    try:
        problem.validate()
    except ValueError:
        # A facilitator with too many sessions for their slots: draw again.
        return instance(sessions, rooms, slots, participants, seed + 1000)
    return problem


def gap(value, reference):
    if reference == 0:
        return 0.0 if value == 0 else float("inf")
    return 100.0 * (value - reference) / reference


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument(
        "--seconds", type=float, default=SOLVE_SECONDS, help="the scheduler's budget"
    )
    parser.add_argument("--long-seconds", type=float, default=60.0, help="the reference search")
    parser.add_argument("--exact-seconds", type=float, default=600.0, help="HiGHS's time limit")
    parser.add_argument("--only", help="run only the instance of this name")
    args = parser.parse_args()

    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    print(f"# {os.cpu_count()} cores, load average {load}", flush=True)
    print(
        f"{'instance':<10} {'size':<16} {'missed':>6} {'over':>5} {'seconds':>7} {'cpu':>5}  "
        "reference"
    )
    worst_seconds = 0.0
    for seed, (name, sessions, rooms, slots, participants, exact) in enumerate(INSTANCES):
        if args.only and name != args.only:
            continue
        problem = instance(sessions, rooms, slots, participants, seed)
        size = f"{sessions}×{rooms}×{slots}×{participants}"
        print(f"# {name}: solving with {args.seconds:g} s…", file=sys.stderr, flush=True)
        cpu = time.process_time()
        schedule = solve(problem, seconds=args.seconds, seed=0)
        cpu = time.process_time() - cpu
        broken = violations(problem, schedule.assignments)
        if broken:
            print(f"{name}: INVALID schedule: {broken[0]}")
            continue
        worst_seconds = max(worst_seconds, schedule.seconds)
        if exact:
            from goingsolo.barcamp.scheduling.exact import exact_schedule

            print(f"# {name}: HiGHS proving the optimum…", file=sys.stderr, flush=True)
            started = time.perf_counter()
            best = exact_schedule(problem, time_limit=args.exact_seconds)
            kind = "HiGHS optimum" if best.proven else "HiGHS best (not proven)"
            kind += f" in {time.perf_counter() - started:.0f} s"
            reference = (best.missed, best.over_capacity)
        else:
            print(f"# {name}: the {args.long_seconds:g} s search…", file=sys.stderr, flush=True)
            long = solve(problem, seconds=args.long_seconds, seed=1)
            reference = min(
                (long.missed, long.over_capacity), (schedule.missed, schedule.over_capacity)
            )
            kind = f"best of a {args.long_seconds:g} s search"
        print(
            f"{name:<10} {size:<16} {schedule.missed:>6} {schedule.over_capacity:>5} "
            f"{schedule.seconds:>7.2f} {cpu:>5.2f}  {kind}: {reference[0]} missed, {reference[1]} over; "
            f"gap {gap(schedule.missed, reference[0]):+.1f} %",
            flush=True,
        )
    print(f"slowest: {worst_seconds:.2f} s")


if __name__ == "__main__":
    main()
