"""The README is the index of the documentation: every page under docs/ is listed there;
docs/operating.md documents every variable the settings read."""

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent


def test_the_readme_lists_every_document():
    readme = (ROOT / "README.md").read_text()
    pages = sorted(path.name for path in (ROOT / "docs").glob("*.md"))
    assert pages, "docs/ holds no page"
    assert [page for page in pages if f"`docs/{page}`" not in readme] == []
    assert "`docs/decisions/`" in readme


def test_every_variable_the_settings_read_is_documented():
    # config/settings.py reads the environment through env(), env_int() and their kin only.
    settings_source = (ROOT / "config" / "settings.py").read_text()
    variables = set(re.findall(r'\benv(?:_[a-z]+)?\(\s*"([A-Z][A-Z0-9_]+)"', settings_source))
    assert len(variables) > 20
    operating = (ROOT / "docs" / "operating.md").read_text()
    assert sorted(name for name in variables if f"`{name}`" not in operating) == []
