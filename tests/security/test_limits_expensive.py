"""Expensive pages stay cheap: diffs and merges of long or repetitive texts fall back to a
coarser result within their budget, and nothing of either text is lost."""

import html
import re
import time

from hypothesis import given
from hypothesis import strategies as st

from goingsolo.core.markdown import render_markdown, table_of_contents
from goingsolo.wiki.diff import diff_texts
from goingsolo.wiki.merge import Budget, Conflict, merge3

NO_FOLDING = 10**9
_TAG = re.compile(r"</?(?:ins|del)>")


def texts_shown(diff):
    """(old text, new text) as the diff page shows them, markup removed."""
    old, new = [], []
    for line in diff.lines:
        text_old = html.unescape(_TAG.sub("", line.html_old))
        if line.kind == "same":
            old.append(text_old)
            new.append(text_old)
        elif line.kind == "removed":
            old.append(text_old)
        elif line.kind == "added":
            new.append(text_old)
        elif line.kind == "changed":
            old.append(text_old)
            new.append(html.unescape(_TAG.sub("", line.html_new)))
    return "\n".join(old), "\n".join(new)


def test_a_diff_of_two_long_single_lines_is_fast_and_shows_both_lines_whole():
    old = "word " * 40_000
    new = "word " * 20_000 + "changed " + "word " * 20_000
    start = time.monotonic()
    diff = diff_texts(old, new)
    assert time.monotonic() - start < 2  # was a minute and more
    assert [line.kind for line in diff.lines] == ["removed", "added"]
    assert texts_shown(diff) == (old, new)


def test_a_diff_of_many_repeated_lines_falls_back_to_whole_lines():
    old = "a\nb\n" * 50_000
    new = "b\na\n" * 50_000
    start = time.monotonic()
    diff = diff_texts(old, new, context=NO_FOLDING)
    assert time.monotonic() - start < 2  # was a minute and more
    assert texts_shown(diff) == (old, new)


def test_within_budget_a_diff_still_compares_word_by_word():
    diff = diff_texts("Coworking on Fridays", "Coworking on Thursdays", budget=Budget())
    assert [line.kind for line in diff.lines] == ["changed"]


def test_a_diff_without_budget_shows_changed_lines_whole_around_the_unchanged_ones():
    old = "intro\nCoworking on Fridays\noutro"
    new = "intro\nCoworking on Thursdays\noutro"
    diff = diff_texts(old, new, budget=Budget(pairs=0))
    assert [line.kind for line in diff.lines] == ["same", "removed", "added", "same"]
    assert texts_shown(diff) == (old, new)


lines = st.lists(st.sampled_from(["", "a", "b", "a b", "c <d>", "é&"]), max_size=12)


@given(old=lines, new=lines, pairs=st.sampled_from([0, 3, 10**6]))
def test_whatever_the_budget_a_diff_shows_every_line_of_both_texts(old, new, pairs):
    old_text, new_text = "\n".join(old), "\n".join(new)
    diff = diff_texts(old_text, new_text, context=NO_FOLDING, budget=Budget(pairs=pairs))
    if diff.is_empty:  # then the whole page is one fold
        assert old_text == new_text
    else:
        assert texts_shown(diff) == (old_text, new_text)


def test_a_merge_past_its_budget_is_one_conflict_holding_both_sides_whole():
    base = "\n".join(["title", *["x"] * 5, "middle", *["x"] * 5, "end"])
    theirs = base.replace("title", "their title").replace("end", "their end")
    mine = base.replace("middle", "my middle")
    result = merge3(base, theirs, mine, budget=Budget(pairs=0))
    [conflict] = result.conflicts
    assert isinstance(conflict, Conflict)
    assert "\n".join(conflict.theirs) == theirs
    assert "\n".join(conflict.mine) == mine


def test_a_merge_past_its_budget_still_takes_a_one_sided_edit():
    base = "a\nb\nc"
    assert merge3(base, base, "a\nB\nc", budget=Budget(pairs=0)).text() == "a\nB\nc"


def test_a_merge_of_long_repetitive_texts_is_fast():
    base = "a\nb\n" * 50_000
    start = time.monotonic()
    result = merge3(base, "b\na\n" * 50_000, base + "mine")
    assert time.monotonic() - start < 2  # was a minute and more
    assert not result.is_clean


def visible_text(rendered):
    return html.unescape(re.sub(r"<[^>]+>", "", str(rendered)))


def test_markdown_past_its_size_is_shown_as_escaped_text_line_by_line(settings):
    settings.GOINGSOLO_MARKDOWN_MAX_CHARS = 30
    text = "Some **bold** text.\n\nThen more **bold** <b>x</b>\nand a second line."
    rendered = render_markdown(text)
    assert "<strong>bold</strong>" in rendered
    assert "more **bold** &lt;b&gt;x&lt;/b&gt;<br>\nand a second line." in rendered
    assert visible_text(rendered).count("bold") == 2


def test_markdown_past_its_line_count_is_shown_as_text(settings):
    settings.GOINGSOLO_MARKDOWN_MAX_LINES = 2
    rendered = render_markdown("# One\n# Two\n# Three")
    assert "<h1>Two</h1>" in rendered
    assert "<p># Three</p>" in rendered


def test_a_paragraph_too_long_for_inline_markup_keeps_its_text_and_line_breaks(settings):
    settings.GOINGSOLO_MARKDOWN_BLOCK_MAX_CHARS = 20
    rendered = render_markdown("a **long** paragraph\nhttps://example.org <i>\n\n**short**")
    assert "a **long** paragraph<br>\nhttps://example.org &lt;i&gt;" in rendered
    assert "<strong>short</strong>" in rendered


def test_past_its_time_markdown_keeps_the_text_without_inline_markup(settings):
    settings.GOINGSOLO_MARKDOWN_MAX_SECONDS = 0
    assert render_markdown("**bold**") == "<p>**bold**</p>\n"


def test_adversarial_markdown_at_the_longest_page_renders_fast():
    for text in ["![" * 100_000, "[[a" * 66_000, "|a|b|\n|-|-|\n" + "|a|b|\n" * 33_000]:
        start = time.monotonic()
        rendered = render_markdown(text, heading_anchors=True)
        assert time.monotonic() - start < 2  # was 3 to 6 s
        assert len(visible_text(rendered).replace("\n", "")) >= len(text.replace("\n", "")) // 2


def test_many_equal_headings_get_their_anchors_in_linear_time(settings):
    settings.GOINGSOLO_MARKDOWN_MAX_LINES = 10_000
    start = time.monotonic()
    contents = table_of_contents("# a\n" * 1_000 + "# a-1\n")
    assert time.monotonic() - start < 1
    anchors = [anchor for _level, _title, anchor in contents]
    assert len(set(anchors)) == len(anchors) == 1_001


def test_a_long_run_of_removed_or_added_lines_is_one_row_numbered_first_to_last():
    old = "\n".join(f"old {n}" for n in range(1, 201))
    new = "\n".join(["<added & new>"] * 100)
    diff = diff_texts("intro\n" + old, "intro\n" + new)
    [_same, removed, added] = diff.lines
    assert (removed.kind, removed.old_number, removed.last_number) == ("removed", 2, 201)
    assert (added.kind, added.new_number, added.last_number) == ("added", 2, 101)
    assert (diff.removed, diff.added) == (200, 100)
    assert texts_shown(diff) == ("intro\n" + old, "intro\n" + new)
