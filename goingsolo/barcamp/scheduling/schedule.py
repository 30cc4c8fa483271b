from collections.abc import Mapping
from dataclasses import dataclass


@dataclass(frozen=True)
class Schedule:
    """What the scheduler returns."""

    # session id -> (room id, slot id)
    assignments: Mapping[str, tuple[str, str]]
    unscheduled: tuple[str, ...]
    missed: int
    over_capacity: int
    seconds: float
    # replan only: previously placed sessions whose cell changed (or that were unscheduled)
    moved: int = 0
