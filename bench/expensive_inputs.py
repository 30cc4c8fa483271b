"""Time the worst inputs of the expensive pages: diff, three-way merge, Markdown render.

    .venv/bin/python bench/expensive_inputs.py [--chars 200000] [--runs 3]

Each input is as long as the longest wiki page (GOINGSOLO_WIKI_PAGE_MAX_CHARS, 200,000
characters), single-line and many-line, and built to be the worst for the algorithm:
repeated lines or words (difflib's work grows with the square of the equal pairs), nested
brackets and short lines (markdown-it's). The target: every figure under 200 ms, with the
bounds of the settings (docs/wiki.md, "Expensive pages"). Prints the slowest of several
runs, in milliseconds.
"""

import argparse
import os
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")

import django  # noqa: E402

django.setup()

from goingsolo.core.markdown import render_markdown  # noqa: E402
from goingsolo.wiki.diff import diff_texts  # noqa: E402
from goingsolo.wiki.merge import merge3  # noqa: E402

TARGET_MS = 200


def repeat(unit: str, chars: int) -> str:
    return (unit * (chars // len(unit) + 1))[:chars]


def diff_cases(chars: int) -> dict:
    half = chars // 2
    return {
        "single line, one word changed": (
            repeat("word ", chars),
            repeat("word ", half) + "changed " + repeat("word ", half),
        ),
        "single line, all words shuffled": (repeat("a b ", chars), repeat("b a ", chars)),
        "many lines, two alternating": (repeat("a\nb\n", chars), repeat("b\na\n", chars)),
        "many lines, each changed a little": (
            repeat("the same words\n", chars),
            repeat("the same word\n", chars),
        ),
        "many lines, a change at each end": (
            "start\n" + repeat("line\n", chars),
            repeat("line\n", chars) + "end\n",
        ),
    }


def merge_cases(chars: int) -> dict:
    base = repeat("a\nb\n", chars)
    line = repeat("word ", chars)
    return {
        "single line, both sides changed": (line, "x" + line, line + "y"),
        "many lines, both sides changed": (base, repeat("b\na\n", chars), "mine\n" + base),
        "many lines, edits at both ends": (base, "theirs\n" + base, base + "\nmine"),
    }


def render_cases(chars: int) -> dict:
    return {
        "single line of words": repeat("word ", chars),
        "single line of '!['": repeat("![", chars),
        "single line of '[[a'": repeat("[[a", chars),
        "single line of links": repeat("https://example.org/ ", chars),
        "single line of '**a'": repeat("**a", chars),
        "many lines of text": repeat("a line of text\n", chars),
        "many table rows": "|a|b|\n|-|-|\n" + repeat("|a|b|\n", chars),
        "many headings": repeat("# a\n", chars),
        "many link definitions": repeat("[a]: /b\n", chars),
        "many nested lists": repeat("".join("  " * i + "- a\n" for i in range(50)), chars),
    }


def slowest_ms(function, runs: int) -> float:
    slowest = 0.0
    for _ in range(runs):
        start = time.perf_counter()
        function()
        slowest = max(slowest, (time.perf_counter() - start) * 1000)
    return slowest


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--chars", type=int, default=200_000)
    parser.add_argument("--runs", type=int, default=3)
    options = parser.parse_args()
    chars, runs = options.chars, options.runs
    render_markdown("warm up")
    figures = []
    print(f"Inputs of {chars:,} characters, slowest of {runs} runs:", flush=True)
    for kind, cases in [
        (
            "diff",
            {n: (lambda o=o, n_=n_: diff_texts(o, n_)) for n, (o, n_) in diff_cases(chars).items()},
        ),
        ("merge", {n: (lambda c=c: merge3(*c)) for n, c in merge_cases(chars).items()}),
        (
            "render",
            {
                n: (lambda t=t: render_markdown(t, heading_anchors=True))
                for n, t in render_cases(chars).items()
            },
        ),
    ]:
        for name, function in cases.items():
            ms = slowest_ms(function, runs)
            figures.append(ms)
            flag = "" if ms < TARGET_MS else f"   OVER {TARGET_MS} ms"
            print(f"  {kind:6} {name:36} {ms:8.1f} ms{flag}", flush=True)
    print(f"Worst: {max(figures):.1f} ms (target: under {TARGET_MS} ms)")


if __name__ == "__main__":
    main()
