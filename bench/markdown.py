"""Time Markdown rendering of a short and a long post.

    .venv/bin/python bench/markdown.py

The target: a 5,000-word post renders in under 50 ms. Prints the median and the slowest of
several runs, with mentions and wiki links resolved (by dictionary look-ups, so the figures
are the renderer's own cost, not the database's).
"""

import random
import statistics
import time

from goingsolo.core.markdown import render_markdown, render_plain

WORDS = (
    "indépendant freelance meetup Lausanne Leeds barcamp conference wiki liste groupe "
    "client facture projet rencontre atelier the a of and to in for with on we you"
).split()


def paragraph(rng: random.Random, words: int) -> str:
    out = []
    for i in range(words):
        word = rng.choice(WORDS)
        roll = rng.random()
        if roll < 0.02:
            word = f"**{word}**"
        elif roll < 0.04:
            word = f"_{word}_"
        elif roll < 0.05:
            word = f"`{word}`"
        elif roll < 0.055:
            word = f"[{word}](https://example.com/{word})"
        elif roll < 0.06:
            word = "@" + rng.choice(["alice", "bob.martin", "zoe", "nobody"])
        elif roll < 0.062:
            word = "[[" + rng.choice(["Home", "Barcamp notes"]) + "]]"
        elif roll < 0.064:
            word = "https://example.org/page"
        out.append(word)
        if i % 15 == 14:
            out.append(".\n" if rng.random() < 0.3 else ".")
    return " ".join(out)


def post(words: int, seed: int = 1) -> str:
    """A post of about ``words`` words with the usual mix of blocks."""
    rng = random.Random(seed)
    blocks, count = [], 0
    while count < words:
        kind = rng.random()
        if kind < 0.1:
            blocks.append("## " + paragraph(rng, 4))
            count += 4
        elif kind < 0.2:
            blocks.append("\n".join("- " + paragraph(rng, 8) for _ in range(4)))
            count += 32
        elif kind < 0.25:
            blocks.append("> " + paragraph(rng, 30))
            count += 30
        elif kind < 0.28:
            blocks.append("```\n" + "\n".join(paragraph(rng, 6) for _ in range(5)) + "\n```")
            count += 30
        else:
            blocks.append(paragraph(rng, 60))
            count += 60
    return "\n\n".join(blocks)


MEMBERS = {"alice": "/m/alice/", "bob.martin": "/m/bob.martin/", "zoe": "/m/zoe/"}


def timed(function, text: str, runs: int) -> tuple[float, float]:
    durations = []
    for _ in range(runs):
        start = time.perf_counter()
        function(text)
        durations.append((time.perf_counter() - start) * 1000)
    return statistics.median(durations), max(durations)


def main() -> None:
    def full(text):
        return render_markdown(
            text,
            mention_url=MEMBERS.get,
            wiki_link_url=lambda title: (f"/wiki/{title}/", title == "Home"),
            heading_anchors=True,
        )

    render_markdown("warm up")
    for label, words, runs in [("short", 50, 500), ("long", 5_000, 30)]:
        text = post(words)
        print(f"{label} post: {len(text.split())} words, {len(text)} characters")
        for name, function in [("render_markdown", full), ("render_plain", render_plain)]:
            median, slowest = timed(function, text, runs)
            print(f"  {name:16} median {median:7.2f} ms   slowest {slowest:7.2f} ms")


if __name__ == "__main__":
    main()
