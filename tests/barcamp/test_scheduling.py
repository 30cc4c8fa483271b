"""The barcamp scheduler: its costs, its hard rules, solve and replan (docs/barcamp.md)."""

import random

import pytest
from django.utils import translation

from goingsolo.barcamp.scheduling import (
    ProblemError,
    evaluate,
    missed_by_participant,
    problem_from_json,
    replan,
    schedule_to_json,
    solve,
    violations,
)
from goingsolo.barcamp.scheduling.exact import exact_schedule
from tests.barcamp.scheduling_support import as_json, problem, random_problem, session

# -- what an assignment costs ------------------------------------------------------------


def test_missed_counts_each_wanted_session_beyond_the_first_in_a_slot():
    p = problem(
        [30, 30], 2, [session("s1"), session("s2"), session("s3")], {"m1": {"s1", "s2", "s3"}}
    )
    assert evaluate(p, {"s1": ("r1", "t1"), "s2": ("r2", "t1"), "s3": ("r1", "t2")}) == (1, 0)
    assert evaluate(p, {"s1": ("r1", "t1"), "s2": ("r2", "t2"), "s3": ("r1", "t2")}) == (1, 0)
    p3 = problem([30, 30, 30], 2, p.sessions, {"m1": {"s1", "s2", "s3"}})
    assert evaluate(p3, {"s1": ("r1", "t1"), "s2": ("r2", "t1"), "s3": ("r3", "t1")}) == (2, 0)


def test_a_facilitator_wants_their_own_session():
    p = problem([30, 30], 1, [session("s1", "m1"), session("s2")], {"m1": {"s2"}})
    assert evaluate(p, {"s1": ("r1", "t1"), "s2": ("r2", "t1")}) == (1, 0)
    assert missed_by_participant(p, {"s1": ("r1", "t1"), "s2": ("r2", "t1")}) == {"m1": 1}


def test_an_unscheduled_session_is_missed_by_everyone_who_wants_it():
    p = problem([30], 1, [session("s1", "m9"), session("s2")], {"m1": {"s1"}, "m2": {"s1", "s2"}})
    assert evaluate(p, {"s2": ("r1", "t1")}) == (3, 0)
    assert missed_by_participant(p, {"s2": ("r1", "t1")}) == {"m1": 1, "m2": 1, "m9": 1}


def test_over_capacity_counts_the_audience_above_the_room():
    wishes = {f"m{i}": {"s1"} for i in range(5)} | {"m9": {"s2"}}
    p = problem([3, 10], 2, [session("s1"), session("s2")], wishes)
    assert evaluate(p, {"s1": ("r1", "t1"), "s2": ("r1", "t2")}) == (0, 2)
    assert evaluate(p, {"s1": ("r2", "t1"), "s2": ("r1", "t1")}) == (0, 0)


def test_evaluate_refuses_unknown_ids():
    p = problem([30], 1, [session("s1")], {})
    with pytest.raises(ProblemError, match="unknown session"):
        evaluate(p, {"s9": ("r1", "t1")})
    with pytest.raises(ProblemError, match="unknown room"):
        evaluate(p, {"s1": ("r9", "t1")})


# -- the hard rules -------------------------------------------------------------------------


def test_violations_name_each_broken_rule():
    p = problem(
        [30, 30],
        2,
        [
            session("s1", "m1"),
            session("s2", "m1"),
            session("s3", unavailable=["t2"]),
            session("s4", locked=("r2", "t2")),
            session("s5"),
        ],
        {},
    )
    assert violations(
        p,
        {
            "s1": ("r1", "t1"),
            "s2": ("r2", "t2"),
            "s3": ("r2", "t1"),
            "s4": ("r2", "t2"),
            "s5": ("r1", "t2"),
        },
    ) == ["Sessions “s2” and “s4” share room “r2” at slot “t2”."]
    found = violations(p, {"s1": ("r1", "t1"), "s2": ("r2", "t1"), "s3": ("r1", "t2")})
    assert found == [
        "Facilitator “m1” is in two sessions at slot “t1”: “s1” and “s2”.",
        "Session “s3” is at slot “t2”, which its facilitators cannot make.",
        "Session “s4” is locked in room “r2” at slot “t2” but is not there.",
        "Session “s4” is not placed, though slot “t2” has a free room.",
        "Session “s5” is not placed, though slot “t2” has a free room.",
    ]


def test_violations_are_in_the_active_language():
    p = problem([30], 2, [session("s1", "m1"), session("s2", "m1")], {})
    with translation.override("fr"):
        found = violations(p, {"s1": ("r1", "t1"), "s2": ("r1", "t1")})
    assert found[0].startswith("Les sessions «\u00a0s1\u00a0» et «\u00a0s2\u00a0»"), found


def test_solve_places_every_session_and_keeps_the_hard_rules():
    p = random_problem(random.Random(3), 14, 3, 5, 40)
    schedule = solve(p, seconds=0.3)
    assert schedule.unscheduled == ()
    assert sorted(schedule.assignments) == sorted(s.id for s in p.sessions)
    assert violations(p, schedule.assignments) == []
    assert (schedule.missed, schedule.over_capacity) == evaluate(p, schedule.assignments)


def test_rooms_within_a_slot_follow_audience_size():
    wishes = {f"m{i}": {"s1"} for i in range(3)} | {f"n{i}": {"s2"} for i in range(8)}
    p = problem([5, 20, 10], 1, [session("s1"), session("s2"), session("s3")], wishes)
    schedule = solve(p, seconds=0.1)
    assert schedule.assignments == {"s2": ("r2", "t1"), "s1": ("r3", "t1"), "s3": ("r1", "t1")}


def test_the_search_spreads_what_people_want_over_the_slots():
    # Four sessions in two slots: s1 with s4 and s2 with s3 is the only way nobody misses one.
    p = problem(
        [30, 30],
        2,
        [session(f"s{i}") for i in range(1, 5)],
        {"m1": {"s1", "s2"}, "m2": {"s3", "s4"}, "m3": {"s1", "s3"}},
    )
    schedule = solve(p, seconds=0.2)
    assert schedule.missed == 0
    assert {
        frozenset(s for s, cell in schedule.assignments.items() if cell[1] == t)
        for t in ("t1", "t2")
    } == {
        frozenset({"s1", "s4"}),
        frozenset({"s2", "s3"}),
    }


def test_locked_sessions_stay_in_their_cells():
    p = random_problem(random.Random(5), 10, 2, 5, 30)
    locked = [
        session(s.id, *s.facilitators, locked=("r2", "t3")) if s.id == "s1" else s
        for s in p.sessions
    ]
    p = problem(
        [r.capacity for r in p.rooms],
        5,
        [s if s.id != "s1" else session("s1", locked=("r2", "t3")) for s in locked],
        p.interests,
    )
    schedule = solve(p, seconds=0.2)
    assert schedule.assignments["s1"] == ("r2", "t3")
    assert violations(p, schedule.assignments) == []


def test_sessions_are_left_unscheduled_only_when_cells_lack():
    wishes = {"m1": {"s1", "s2"}, "m2": {"s2", "s3"}, "m3": {"s3", "s4", "s5"}, "m4": {"s1"}}
    p = problem([30, 30], 2, [session(f"s{i}") for i in range(1, 6)], wishes)
    schedule = solve(p, seconds=0.2)
    # Five sessions, four cells: the least wanted session (s4 or s5, one person each) waits.
    assert len(schedule.unscheduled) == 1
    assert schedule.unscheduled[0] in {"s4", "s5"}
    assert violations(p, schedule.assignments) == []


def test_unavoidable_facilitator_clashes_are_an_error():
    # Three sessions that pairwise share a facilitator need three slots; there are two.
    p = problem(
        [30, 30],
        2,
        [session("s1", "a", "b"), session("s2", "b", "c"), session("s3", "c", "a")],
        {},
    )
    with pytest.raises(ProblemError, match="these sessions clash"):
        solve(p, seconds=0.1)


@pytest.mark.parametrize(
    ("sessions", "message"),
    [
        ([session("s1", unavailable=["t9"])], "Session “s1” names an unknown slot: “t9”."),
        ([session("s1", locked=("r9", "t1"))], "Session “s1” is locked in an unknown room: “r9”."),
        (
            [session("s1", locked=("r1", "t1")), session("s2", locked=("r1", "t1"))],
            "Sessions “s1” and “s2” are both locked in room “r1” at slot “t1”.",
        ),
        (
            [session("s1", "m1", locked=("r1", "t1")), session("s2", "m1", locked=("r2", "t1"))],
            "Facilitator “m1” would be in two locked sessions at slot “t1”: “s1” and “s2”.",
        ),
        (
            [session("s1", "m1"), session("s2", "m1"), session("s3", "m1")],
            "Facilitator “m1” has 3 sessions but cannot make enough slots for them without "
            "being in two at once.",
        ),
        (
            [session("s1", "m1", unavailable=["t1", "t2"])],
            "Session “s1” has no slot its facilitators can make.",
        ),
        ([session("s1"), session("s1")], "Two sessions have the id “s1”."),
    ],
)
def test_invalid_problems_are_refused_with_a_clear_message(sessions, message):
    p = problem([30, 30], 2, sessions, {})
    with pytest.raises(ProblemError) as error:
        solve(p)
    assert str(error.value) == message


def test_wishes_for_unknown_sessions_are_refused():
    p = problem([30], 1, [session("s1")], {"m1": {"s1", "s7"}})
    with pytest.raises(ProblemError, match="“m1” wants an unknown session: “s7”"):
        p.validate()


def test_the_same_seed_gives_the_same_schedule():
    p = random_problem(random.Random(11), 24, 4, 6, 80)
    # A step count and a budget it fits in on any machine: the seed alone decides.
    first = solve(p, seconds=60, iterations=20_000, seed=4)
    second = solve(p, seconds=60, iterations=20_000, seed=4)
    assert first.assignments == second.assignments
    assert (first.missed, first.over_capacity) == (second.missed, second.over_capacity)


@pytest.mark.parametrize("seed", [1, 2, 3])
def test_the_search_finds_the_optimum_highs_proves(seed):
    p = random_problem(random.Random(seed), 9, 2, 5, 25)
    best = exact_schedule(p, time_limit=60)
    assert best.proven
    schedule = solve(p, seconds=0.5)
    assert (schedule.missed, schedule.over_capacity) == (best.missed, best.over_capacity)


# -- replan ---------------------------------------------------------------------------------


def test_replan_of_an_unchanged_problem_moves_nothing():
    p = random_problem(random.Random(7), 12, 3, 5, 40)
    first = solve(p, seconds=0.3)
    again = replan(p, first.assignments, seconds=0.2)
    assert again.moved == 0
    assert again.assignments == first.assignments


def test_replan_keeps_kept_sessions_and_frozen_slots():
    p = random_problem(random.Random(8), 12, 3, 5, 40)
    first = solve(p, seconds=0.2)
    # The votes change: everyone now wants s12 too.
    wishes = {person: wanted | {"s12"} for person, wanted in p.interests.items()}
    changed = problem([r.capacity for r in p.rooms], 5, p.sessions, wishes)
    frozen = frozenset({"t1"})
    kept = frozenset({sorted(first.assignments)[3]})
    after = replan(changed, first.assignments, keep=kept, frozen_slots=frozen, seconds=0.3)
    assert violations(changed, after.assignments) == []
    for session_id, cell in first.assignments.items():
        if cell[1] in frozen or session_id in kept:
            assert after.assignments[session_id] == cell
    entered = [s for s, cell in after.assignments.items() if cell[1] == "t1"]
    assert sorted(entered) == sorted(s for s, cell in first.assignments.items() if cell[1] == "t1")
    assert after.moved == sum(
        1 for s, cell in first.assignments.items() if after.assignments.get(s) != cell
    )


def test_replan_fills_free_cells_with_late_proposals_without_moving_the_grid():
    p = random_problem(random.Random(9), 10, 3, 5, 30)
    first = solve(p, seconds=0.2)
    late = problem(
        [r.capacity for r in p.rooms],
        5,
        [*p.sessions, session("late", "m1")],
        {**p.interests, "m2": p.interests.get("m2", frozenset()) | {"late"}},
    )
    after = replan(late, first.assignments, seconds=0.2)
    assert "late" in after.assignments
    assert after.moved <= 1
    assert violations(late, after.assignments) == []


def test_replan_moves_a_published_session_when_that_spares_enough_people():
    wishes = {f"m{i}": {"s1", "s2"} for i in range(6)}
    p = problem([30, 30], 2, [session("s1"), session("s2"), session("s3"), session("s4")], wishes)
    published = {"s1": ("r1", "t1"), "s2": ("r2", "t1"), "s3": ("r1", "t2"), "s4": ("r2", "t2")}
    after = replan(p, published, seconds=0.2)
    assert after.missed == 0
    assert after.moved == 2  # s1 or s2 exchanges its slot with s3 or s4; rooms stay
    assert replan(p, published, keep=frozenset({"s1", "s2"}), seconds=0.1).moved == 0


def test_replan_refuses_to_keep_what_was_not_placed():
    p = problem([30], 2, [session("s1"), session("s2")], {})
    with pytest.raises(ProblemError, match="to be kept"):
        replan(p, {"s1": ("r1", "t1")}, keep=frozenset({"s2"}))


def test_replan_on_the_largest_barcamp_takes_under_half_a_second():
    p = random_problem(random.Random(12), 80, 8, 10, 400)
    first = solve(p, seconds=0.5)
    wishes = dict(p.interests)
    for person in list(wishes)[:40]:
        wishes[person] = wishes[person] | {"s80"}
    changed = problem([r.capacity for r in p.rooms], 10, p.sessions, wishes)
    after = replan(changed, first.assignments, frozen_slots=frozenset({"t1", "t2"}))
    assert after.seconds < 0.5
    assert violations(changed, after.assignments) == []


# -- JSON -----------------------------------------------------------------------------------


def test_json_round_trip():
    p = random_problem(random.Random(2), 6, 2, 4, 10)
    again = problem_from_json(as_json(p))
    assert again == p
    out = schedule_to_json(solve(again, seconds=0.1))
    assert set(out) == {"assignments", "unscheduled", "missed", "over_capacity", "seconds"}
    assert {item["session"] for item in out["assignments"]} == {s.id for s in p.sessions}


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (lambda d: d.pop("rooms"), "“rooms” must be a list."),
        (lambda d: d["rooms"].append("r3"), "Each item of “rooms” must be a JSON object."),
        (
            lambda d: d["rooms"][0].update(capacity="ten"),
            "Room “r1” needs a capacity that is a whole number, 0 or more.",
        ),
        (
            lambda d: d["slots"][0].update(start="9 am"),
            "“start” of slot “t1” must be a date and time",
        ),
        (
            lambda d: d["slots"][0].update(end="2027-05-15T10:00:00"),
            "“end” of slot “t1” must be a date and time",
        ),
        (
            lambda d: d["sessions"][0].update(locked={"room": "r1"}),
            "“locked” of session “s1” must give a room and a slot",
        ),
        (
            lambda d: d["sessions"][0].update(facilitators="m1"),
            "“facilitators” of session “s1” must be a list of ids.",
        ),
        (
            lambda d: d.update(interests={"m1": "s1"}),
            "The interests of “m1” must be a list of session ids.",
        ),
        (
            lambda d: d.update(interests={"m1": ["s99"]}),
            "Participant “m1” wants an unknown session: “s99”.",
        ),
        (lambda d: d["sessions"][1].update(id="s1"), "Two sessions have the id “s1”."),
    ],
)
def test_json_errors_say_what_is_wrong(change, message):
    data = as_json(problem([30, 20], 2, [session("s1", "m1"), session("s2")], {"m1": {"s2"}}))
    change(data)
    with pytest.raises(ProblemError) as error:
        problem_from_json(data)
    assert str(error.value).startswith(message)
