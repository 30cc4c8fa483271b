"""A reply sent too soon after another, in a real browser with htmx: the reply form comes
back in place with the text and the message (htmx swaps a 429 like a 200, base.html)."""

import pytest
from django.core.cache import cache
from django.core.management import call_command

from config import settings as instance_settings
from goingsolo.discussions import services
from goingsolo.groups.models import Membership
from tests.factories import GroupFactory, member_of
from tests.support import send_reply

from .test_join_journey import PASSWORD, log_in

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_a_reply_sent_too_soon_comes_back_in_place_with_its_text(asgi_server, new_page, settings):
    settings.CACHES = {
        "default": {"BACKEND": "goingsolo.core.cache.DatabaseCache", "LOCATION": "goingsolo_cache"}
    }
    settings.GOINGSOLO_RATE_LIMITS = dict(instance_settings.GOINGSOLO_RATE_LIMITS)
    call_command("createcachetable", verbosity=0)
    cache.clear()
    group = GroupFactory(slug="going-solo")
    marie = member_of(group, email="marie@example.org", language="fr", handle="marie")
    Membership.objects.filter(user=marie).update(approvals=1)  # no longer new: 5 s
    thread = services.thread_start(
        group=group, author=marie, title="Vos tarifs ?", body="Comment les fixez-vous ?"
    ).post.thread

    page = new_page(locale="fr-FR")
    base = asgi_server.url
    log_in(page, base, "marie@example.org", PASSWORD)
    page.goto(f"{base}{thread.get_absolute_url()}")
    textarea = page.locator("#reply textarea[name=body]")
    textarea.fill("Au jour, jamais à l’heure.")
    send_reply(page, 2)

    page.locator("#reply textarea[name=body]").fill("Et toujours un acompte.")
    page.locator("#reply button[type=submit]").click()
    page.wait_for_selector("#reply .errors")
    assert "Vous allez un peu vite" in page.locator("#reply .errors").inner_text()
    assert page.locator("#reply textarea[name=body]").input_value() == "Et toujours un acompte."
    assert page.locator("#post-3").count() == 0
    cache.clear()
