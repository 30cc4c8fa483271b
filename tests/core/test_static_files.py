"""The static files' storage (goingsolo/core/static_files.py): the manifest's addresses,
each worked out once."""

import json

import pytest

from goingsolo.core.static_files import StaticFilesStorage


@pytest.fixture
def storage(tmp_path, settings):
    settings.STATIC_URL = "/static/"
    manifest = {"paths": {"goingsolo/site.css": "goingsolo/site.0123abcd.css"}, "version": "1.1"}
    (tmp_path / "staticfiles.json").write_text(json.dumps(manifest))
    return StaticFilesStorage(location=tmp_path, base_url="/static/")


def test_addresses_are_the_manifests_and_are_remembered(storage):
    assert storage.url("goingsolo/site.css") == "/static/goingsolo/site.0123abcd.css"
    assert storage._addresses == {"goingsolo/site.css": "/static/goingsolo/site.0123abcd.css"}
    storage.hashed_files.clear()  # the manifest is not read again: the address stays
    assert storage.url("goingsolo/site.css") == "/static/goingsolo/site.0123abcd.css"


def test_a_file_missing_from_the_manifest_is_an_error_every_time(storage):
    for _ in range(2):
        with pytest.raises(ValueError, match=r"goingsolo/missing\.js"):
            storage.url("goingsolo/missing.js")
    assert "goingsolo/missing.js" not in storage._addresses
