"""`{% fragment %}` and its memory (core/fragments.py): a key of plain values, one entry
per language, time zone and fragment, each reader's own CSRF token inside, a bounded LRU, and a relative
time key that changes whenever `naturaltime`'s text may."""

import datetime as dt
from unittest import mock

import pytest
from django.contrib.humanize.templatetags import humanize
from django.template import Context, Engine, Template
from django.utils import timezone, translation

from goingsolo.core import fragments
from tests.factories import GroupFactory

pytestmark = pytest.mark.django_db


def render(source, **context):
    return Template("{% load fragments %}" + source).render(Context(context))


def test_the_same_key_serves_the_first_rendering_a_new_key_renders_again():
    source = "{% fragment key %}{{ text }}{% endfragment %}"
    assert render(source, key="k1", text="first") == "first"
    assert render(source, key="k1", text="second") == "first"  # what the key promised
    assert render(source, key="k2", text="second") == "second"


def test_each_language_and_time_zone_has_its_entry():
    source = "{% fragment 'k' %}{{ text }}{% endfragment %}"
    assert render(source, text="en") == "en"
    with translation.override("fr"):
        assert render(source, text="fr") == "fr"
    with timezone.override("Pacific/Auckland"):
        assert render(source, text="auckland") == "auckland"
    assert render(source, text="again") == "en"


def test_a_model_instance_is_refused_as_a_key():
    # It compares equal to itself edited: the old text would be served.
    with pytest.raises(TypeError, match="plain values"):
        render("{% fragment group %}{{ group.name }}{% endfragment %}", group=GroupFactory())


def test_a_csrf_token_inside_is_each_readers_own_even_from_an_include():
    engine = Engine(
        loaders=[("django.template.loaders.locmem.Loader", {"field.html": "{% csrf_token %}"})],
        libraries={"fragments": "goingsolo.core.templatetags.fragments"},
    )
    page = engine.from_string(
        "{% load fragments %}{% fragment 'k' %}<form>{% csrf_token %}"
        "{% include 'field.html' %}</form>{% endfragment %}"
    )
    first = page.render(Context({"csrf_token": "token-of-the-first-reader"}))
    second = page.render(Context({"csrf_token": "token-of-the-second-reader"}))
    assert first.count('value="token-of-the-first-reader"') == 2
    assert second.count('value="token-of-the-second-reader"') == 2
    assert "first" not in second
    # Without a token (an email, a page rendered without its request): no field at all.
    assert page.render(Context()) == "<form></form>"


def test_the_memory_forgets_the_least_recently_used_first():
    lru = fragments.LRU(2)
    lru.put("a", "A")
    lru.put("b", "B")
    assert lru.get("a") == "A"  # now b is the oldest
    lru.put("c", "C")
    assert (lru.get("a"), lru.get("b"), lru.get("c")) == ("A", None, "C")
    assert len(lru) == 2


def test_the_memory_is_bounded_by_size_too():
    lru = fragments.LRU(100, max_size=10)
    lru.put("a", "A", 4)
    lru.put("b", "B", 4)
    lru.put("a", "A again", 5)  # replaced: its old size no longer counts
    assert lru.size == 9 and lru.get("b") == "B"  # b is now the most recently used
    lru.put("c", "C", 3)  # 12 > 10: the least recently used, a, goes
    assert (lru.get("a"), lru.get("b"), lru.get("c")) == (None, "B", "C")
    assert lru.size == 7
    lru.put("huge", "H", 50)  # larger than the whole memory: nothing stays
    assert len(lru) == 0 and lru.size == 0
    assert fragments.size_of(("key", 1, ("body", None)), "<p>x</p>") == 8 + 3 + 8 + 4 + 8


def _naturaltime_at(moment, now):
    class Clock(dt.datetime):
        @classmethod
        def now(cls, tz=None):
            return now

    with mock.patch.object(humanize, "datetime", Clock):
        return humanize.naturaltime(moment)


def test_the_relative_time_key_changes_whenever_naturaltimes_text_may():
    moment = dt.datetime(2026, 1, 31, 10, 30, 15, tzinfo=dt.UTC)
    ages = [
        *range(0, 130),
        *range(130, 3 * 3600, 7),
        *range(3 * 3600, 3 * 86400, 97),
        *range(3 * 86400, 400 * 86400, 3607),
    ]
    texts = {}
    for age in ages:
        now = moment + dt.timedelta(seconds=age)
        key = fragments.relative_time_key(moment, now)
        texts.setdefault(key, set()).add(_naturaltime_at(moment, now))
    shared = {key: found for key, found in texts.items() if len(found) > 1}
    assert shared == {}
    assert len(texts) > 1000  # the key does change
