"""Addresses reversed once (goingsolo/core/addresses.py) and the `{% url %}` tag that uses
them in every template."""

import pytest
from django.template import Context, Template
from django.urls import NoReverseMatch, set_script_prefix
from django.urls import reverse as django_reverse

from goingsolo.core import addresses

pytestmark = pytest.mark.django_db


def test_the_same_addresses_as_djangos_remembered():
    addresses._reversed.cache_clear()
    for _ in range(3):
        assert addresses.reverse("groups:detail", args=["lausanne"]) == django_reverse(
            "groups:detail", args=["lausanne"]
        )
        assert addresses.reverse(
            "discussions:thread", kwargs={"slug": "lausanne", "thread_id": 7}
        ) == django_reverse("discussions:thread", kwargs={"slug": "lausanne", "thread_id": 7})
    assert addresses._reversed.cache_info().hits == 4


def test_an_argument_that_is_not_plain_is_never_remembered():
    class Slug:  # as a model instance: equal to itself changed
        def __init__(self, text):
            self.text = text

        def __str__(self):
            return self.text

    slug = Slug("first")
    addresses._reversed.cache_clear()
    assert addresses.reverse("groups:detail", args=[slug]) == "/g/first/"
    slug.text = "second"
    assert addresses.reverse("groups:detail", args=[slug]) == "/g/second/"
    assert addresses._reversed.cache_info().currsize == 0


def test_the_script_prefix_is_part_of_the_address():
    try:
        set_script_prefix("/community/")
        assert addresses.reverse("groups:list") == "/community/groups/"
    finally:
        set_script_prefix("/")
    assert addresses.reverse("groups:list") == "/groups/"


def test_the_url_tag_behaves_as_djangos():
    page = Template("{% url 'groups:detail' slug %}|{% url 'nowhere' as missing %}[{{ missing }}]")
    assert page.render(Context({"slug": "lausanne"})) == "/g/lausanne/|[]"
    with pytest.raises(NoReverseMatch):
        Template("{% url 'nowhere' %}").render(Context())
    assert Template("{% url 'groups:detail' 'x' as here %}{{ here }}").render(Context()) == (
        "/g/x/"
    )
