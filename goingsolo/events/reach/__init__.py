"""Reach before you commit: where members are (`gazetteer`), how many of the "yes" came
before (`forecast`), and both drawn (`drawing`); `report.reach` computes every figure of
the reach page in a fixed number of queries."""
