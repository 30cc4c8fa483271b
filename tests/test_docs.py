"""The README is the index of the documentation: every page under docs/ is listed there."""

from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_lists_every_document():
    readme = (ROOT / "README.md").read_text()
    pages = sorted(path.name for path in (ROOT / "docs").glob("*.md"))
    assert pages, "docs/ holds no page"
    assert [page for page in pages if f"`docs/{page}`" not in readme] == []
    assert "`docs/decisions/`" in readme
