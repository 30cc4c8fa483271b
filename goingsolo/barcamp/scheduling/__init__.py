"""The barcamp scheduler: places sessions in (room, slot) cells so that participants miss
as few of the sessions they want as possible (docs/barcamp.md, "Scheduler").

Pure Python, no models: the barcamp pages and the `goingsolo barcamp schedule` command
build a Problem and call `solve` or `replan`.
"""

from .costs import evaluate, missed_by_participant, violations
from .jsonio import problem_from_json, schedule_to_json
from .problem import Problem, ProblemError, Room, Session, Slot
from .schedule import Schedule
from .search import SOLVE_SECONDS, replan, solve

__all__ = [
    "SOLVE_SECONDS",
    "Problem",
    "ProblemError",
    "Room",
    "Schedule",
    "Session",
    "Slot",
    "evaluate",
    "missed_by_participant",
    "problem_from_json",
    "replan",
    "schedule_to_json",
    "solve",
    "violations",
]
