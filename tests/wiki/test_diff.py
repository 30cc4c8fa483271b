"""The readable diff between two revisions."""

from goingsolo.wiki.diff import diff_texts, word_diff
from tests.xss_payloads import PAYLOADS, assert_html_is_safe


def test_a_changed_word_is_shown_within_its_line():
    old, new = word_diff("Pricing your work by the day", "Pricing your work by the project")
    assert old == "Pricing your work by the <del>day</del>"
    assert new == "Pricing your work by the <ins>project</ins>"


def test_added_and_removed_lines_are_counted():
    diff = diff_texts("one\ntwo\nthree", "one\nthree\nfour")
    kinds = [line.kind for line in diff.lines]
    assert kinds == ["same", "removed", "same", "added"]
    assert (diff.added, diff.removed) == (1, 1)


def test_similar_lines_are_paired_word_by_word():
    diff = diff_texts("Coworking on Fridays in Leeds", "Coworking on Thursdays in Leeds")
    [line] = diff.lines
    assert line.kind == "changed"
    assert "<del>Fridays</del>" in line.html_old
    assert "<ins>Thursdays</ins>" in line.html_new


def test_unrelated_lines_are_a_removal_and_an_addition():
    diff = diff_texts("Completely different", "Nothing in common here at all")
    assert [line.kind for line in diff.lines] == ["removed", "added"]


def test_long_unchanged_runs_are_folded():
    old = "\n".join(f"line {n}" for n in range(40))
    new = old.replace("line 20", "line twenty")
    diff = diff_texts(old, new)
    folds = [line for line in diff.lines if line.kind == "fold"]
    assert [fold.folded for fold in folds] == [17, 16]
    assert len([line for line in diff.lines if line.kind == "same"]) == 6


def test_identical_texts_have_an_empty_diff():
    assert diff_texts("same", "same").is_empty


def test_text_is_escaped_in_every_kind_of_line():
    for payload in PAYLOADS:
        diff = diff_texts("intro\n" + payload, payload + " changed\nintro")
        for line in diff.lines:
            assert_html_is_safe(line.html_old)
            assert_html_is_safe(line.html_new)
            assert "<script" not in line.html_old.lower()
            assert "<script" not in line.html_new.lower()
