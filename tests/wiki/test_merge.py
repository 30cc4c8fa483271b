"""The line-based three-way merge of page texts."""

from hypothesis import example, given, settings
from hypothesis import strategies as st

from goingsolo.wiki.merge import (
    CONFLICT_END,
    CONFLICT_SEPARATOR,
    CONFLICT_START,
    Conflict,
    has_conflict_markers,
    merge3,
    split_lines,
)

BASE = "Title\n\nOne\nTwo\nThree\nFour\nFive"


def lines(*items):
    return "\n".join(items)


def test_edits_on_different_lines_merge_cleanly():
    theirs = BASE.replace("Two", "Two, fixed by them")
    mine = BASE.replace("Five", "Five, fixed by me")
    result = merge3(BASE, theirs, mine)
    assert result.is_clean
    assert result.text() == lines(
        "Title", "", "One", "Two, fixed by them", "Three", "Four", "Five, fixed by me"
    )


def test_only_one_side_changed_gives_that_side():
    mine = BASE.replace("Three", "3")
    assert merge3(BASE, BASE, mine).text() == mine
    assert merge3(BASE, mine, BASE).text() == mine


def test_same_change_on_both_sides_is_taken_once():
    changed = BASE.replace("Three", "Three and a half")
    result = merge3(BASE, changed, changed)
    assert result.is_clean
    assert result.text() == changed


def test_different_changes_to_the_same_line_conflict():
    theirs = BASE.replace("Three", "Trois")
    mine = BASE.replace("Three", "Drei")
    result = merge3(BASE, theirs, mine)
    assert not result.is_clean
    assert result.conflicts == [Conflict(base=["Three"], theirs=["Trois"], mine=["Drei"])]
    text = result.text(theirs_label="theirs", mine_label="mine")
    assert text == lines(
        "Title", "", "One", "Two", "<<<<<<< theirs", "Trois", "=======", "Drei", ">>>>>>> mine",
        "Four", "Five",
    )  # fmt: skip
    assert has_conflict_markers(text)


def test_both_append_different_lines_keeps_both_theirs_first():
    theirs = BASE + "\nSix (theirs)"
    mine = BASE + "\nSix (mine)\nSeven (mine)"
    result = merge3(BASE, theirs, mine)
    assert result.is_clean
    assert result.text() == BASE + "\nSix (theirs)\nSix (mine)\nSeven (mine)"


def test_both_append_the_same_line_keeps_it_once():
    appended = BASE + "\nSix"
    assert merge3(BASE, appended, appended).text() == appended


def test_an_append_that_extends_the_other_is_kept_alone():
    theirs = BASE + "\nSix"
    mine = BASE + "\nSix\nSeven"
    assert merge3(BASE, theirs, mine).text() == mine
    assert merge3(BASE, mine, theirs).text() == mine


def test_deletion_on_one_side_and_edit_elsewhere_merge():
    theirs = BASE.replace("One\n", "")
    mine = BASE.replace("Five", "Cinq")
    result = merge3(BASE, theirs, mine)
    assert result.is_clean
    assert result.text() == lines("Title", "", "Two", "Three", "Four", "Cinq")


def test_deleting_a_line_the_other_side_edited_conflicts():
    theirs = BASE.replace("Three\n", "")
    mine = BASE.replace("Three", "Three, reworded")
    result = merge3(BASE, theirs, mine)
    assert not result.is_clean
    assert result.conflicts[0].theirs == []
    assert result.conflicts[0].mine == ["Three, reworded"]


def test_both_delete_the_same_line():
    deleted = BASE.replace("Four\n", "")
    result = merge3(BASE, deleted, deleted)
    assert result.is_clean
    assert result.text() == deleted


def test_changes_to_neighbouring_lines_conflict_rather_than_guess():
    # No unchanged line separates the two edits, as in diff3.
    result = merge3(BASE, BASE.replace("Two", "2"), BASE.replace("Three", "3"))
    assert result.conflicts == [
        Conflict(base=["Two", "Three"], theirs=["2", "Three"], mine=["Two", "3"])
    ]


def test_empty_base_both_write_a_page():
    result = merge3("", "Theirs", "Mine")
    assert result.is_clean
    assert result.text() == "Theirs\nMine"


def test_emptied_on_one_side_edited_on_the_other_conflicts():
    result = merge3(BASE, "", BASE.replace("One", "Un"))
    assert not result.is_clean


def test_insertions_at_the_start_and_the_end_merge():
    result = merge3(BASE, "Intro\n" + BASE, BASE + "\nOutro")
    assert result.is_clean
    assert result.text() == "Intro\n" + BASE + "\nOutro"


def test_conflict_markers_need_both_ends():
    assert not has_conflict_markers("<<<<<<< only a start\ntext")
    assert not has_conflict_markers("a line with <<<<<<< inside\n>>>>>>> end")


texts = st.lists(st.sampled_from(["a", "b", "c", "d", ""]), max_size=8).map("\n".join)


@settings(max_examples=60, deadline=None)
@given(base=texts, theirs=texts, mine=texts)
def test_merge_never_loses_a_side_that_is_unchanged(base, theirs, mine):
    assert merge3(base, base, mine).text() == mine
    assert merge3(base, theirs, base).text() == theirs
    assert merge3(base, mine, mine).text() == mine


@settings(max_examples=60, deadline=None)
@given(base=texts, theirs=texts, mine=texts)
@example(base="a\nb\nc", theirs="a\nB1\nB2\nc", mine="a\nb, mine\nc\nd")
@example(base="a\nb", theirs="", mine="a\nb\n\nc")
def test_every_line_of_a_conflict_is_shown(base, theirs, mine):
    """Between each conflict's markers stand all its lines, theirs then mine, as they are
    in each text; outside the markers, the lines merged cleanly, in order."""
    result = merge3(base, theirs, mine)
    outside, blocks = read_markers(result.text(theirs_label="theirs", mine_label="mine"))
    assert blocks == [(conflict.theirs, conflict.mine) for conflict in result.conflicts]
    assert outside == [chunk for chunk in result.chunks if isinstance(chunk, str)]
    for conflict in result.conflicts:
        assert conflict.theirs != conflict.mine
        assert is_run_of(conflict.theirs, split_lines(theirs))
        assert is_run_of(conflict.mine, split_lines(mine))


def test_a_conflict_of_several_lines_shows_each_of_them():
    base = lines("Intro", "Venue: TBC", "Time: TBC", "End")
    theirs = lines("Intro", "Venue: the pub", "Time: 7pm", "End")
    mine = lines("Intro", "Venue: the library", "Time: 6pm", "Bring a laptop", "End")
    result = merge3(base, theirs, mine)
    assert read_markers(result.text(theirs_label="theirs", mine_label="mine")) == (
        ["Intro", "End"],
        [
            (
                ["Venue: the pub", "Time: 7pm"],
                ["Venue: the library", "Time: 6pm", "Bring a laptop"],
            )
        ],
    )


def read_markers(text):
    """(the lines outside conflict markers, [(their lines, my lines) of each conflict])."""
    outside, blocks, side = [], [], None
    for line in split_lines(text):
        if line == f"{CONFLICT_START} theirs":
            blocks.append(([], []))
            side = 0
        elif line == CONFLICT_SEPARATOR and side == 0:
            side = 1
        elif line == f"{CONFLICT_END} mine" and side == 1:
            side = None
        elif side is None:
            outside.append(line)
        else:
            blocks[-1][side].append(line)
    return outside, blocks


def is_run_of(part, whole):
    return any(whole[i : i + len(part)] == part for i in range(len(whole) - len(part) + 1))
