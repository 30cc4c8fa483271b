"""`goingsolo barcamp schedule PATH.json`: the scheduler alone, from the command line."""

import json
import os
import random
import subprocess
import sys
from pathlib import Path

import pytest

from goingsolo.barcamp.scheduling import problem_from_json, violations
from tests.barcamp.scheduling_support import as_json, problem, random_problem, session

GOINGSOLO = Path(sys.executable).parent / "goingsolo"


def schedule(tmp_path, data, *options):
    path = tmp_path / "barcamp.json"
    path.write_text(data if isinstance(data, str) else json.dumps(data), encoding="utf-8")
    environment = dict(
        os.environ,
        DJANGO_SETTINGS_MODULE="config.settings_test",
        GOINGSOLO_DATA_DIR=str(tmp_path / "data"),
    )
    return subprocess.run(
        [GOINGSOLO, "barcamp", "schedule", path, *options],
        env=environment,
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_schedule_is_printed_as_json(tmp_path):
    data = as_json(random_problem(random.Random(4), 12, 3, 5, 30))
    done = schedule(tmp_path, data, "--seconds", "0.3", "--seed", "2")
    assert done.returncode == 0, done.stderr
    out = json.loads(done.stdout)
    assert set(out) == {"assignments", "unscheduled", "missed", "over_capacity", "seconds"}
    assignments = {a["session"]: (a["room"], a["slot"]) for a in out["assignments"]}
    assert sorted(assignments) == sorted(s["id"] for s in data["sessions"])
    assert out["unscheduled"] == []
    assert violations(problem_from_json(data), assignments) == []
    assert 0 < out["seconds"] < 2


def test_sessions_that_find_no_cell_are_listed_as_unscheduled(tmp_path):
    data = as_json(problem([30], 1, [session("s1"), session("s2")], {"m1": {"s1"}}))
    out = json.loads(schedule(tmp_path, data, "--seconds", "0.1").stdout)
    assert out["assignments"] == [{"session": "s1", "room": "r1", "slot": "t1"}]
    assert out["unscheduled"] == ["s2"]


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ('{"rooms": [', "barcamp.json is not valid JSON (line 1, column 12)"),
        (
            as_json(problem([30], 2, [session("s1", unavailable=["t7"])], {})),
            "Session “s1” names an unknown slot: “t7”.",
        ),
        (
            as_json(problem([30], 2, [session("s1")], {"m1": {"s2"}})),
            "Participant “m1” wants an unknown session: “s2”.",
        ),
        (
            as_json(
                problem(
                    [30, 30],
                    2,
                    [session("s1", locked=("r1", "t2")), session("s2", locked=("r1", "t2"))],
                    {},
                )
            ),
            "Sessions “s1” and “s2” are both locked in room “r1” at slot “t2”.",
        ),
        (
            as_json(
                problem(
                    [30, 30],
                    2,
                    [session("s1", "a", "b"), session("s2", "b", "c"), session("s3", "c", "a")],
                    {},
                )
            ),
            "No schedule keeps every facilitator in one session at a time",
        ),
    ],
)
def test_invalid_input_is_explained_on_standard_error_with_status_2(tmp_path, data, message):
    done = schedule(tmp_path, data, "--seconds", "0.1")
    assert done.returncode == 2
    assert done.stdout == ""
    assert message in done.stderr


def test_a_missing_file_is_explained_with_status_2(tmp_path):
    done = subprocess.run(
        [GOINGSOLO, "barcamp", "schedule", tmp_path / "nowhere.json"],
        env=dict(os.environ, DJANGO_SETTINGS_MODULE="config.settings_test"),
        cwd=tmp_path,
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 2
    assert "Cannot read" in done.stderr
