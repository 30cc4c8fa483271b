"""How many of today's "yes" will come, from the group's own history: pure functions.

For each past event of the group where people were checked in, the ratio of those checked
in to those who had a seat (said yes or registered). The forecast for today's yes count is
the range between the 10th and the 90th percentile of those ratios, applied to it. No such
event: "not enough history" (None).
"""

import math
from dataclasses import dataclass

LOW_PERCENTILE = 10
HIGH_PERCENTILE = 90


@dataclass(frozen=True)
class Range:
    low: int
    high: int
    low_ratio: float
    high_ratio: float
    based_on: int  # how many past events


def percentile(values, percent):
    """The PERCENT-th percentile of VALUES, interpolated between the two nearest ranks
    (as spreadsheets' PERCENTILE.INC); VALUES must not be empty."""
    ordered = sorted(values)
    if len(ordered) == 1:
        return ordered[0]
    rank = (len(ordered) - 1) * percent / 100
    below, above = math.floor(rank), math.ceil(rank)
    return ordered[below] + (ordered[above] - ordered[below]) * (rank - below)


def turnout(ratios, yes):
    """The Range of how many of YES would come, from RATIOS (came / had a seat) of past
    events; None when there is no history."""
    ratios = [ratio for ratio in ratios if ratio is not None]
    if not ratios:
        return None
    low_ratio = percentile(ratios, LOW_PERCENTILE)
    high_ratio = percentile(ratios, HIGH_PERCENTILE)
    return Range(
        low=math.floor(low_ratio * yes + 1e-9),
        high=math.ceil(high_ratio * yes - 1e-9),
        low_ratio=low_ratio,
        high_ratio=high_ratio,
        based_on=len(ratios),
    )
