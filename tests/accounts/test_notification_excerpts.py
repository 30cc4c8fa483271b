"""Notifications made before excerpts were plain text showed the post's Markdown; the
migration gives them the plain text newer ones have."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor

from goingsolo.accounts.models import Notification
from tests.factories import UserFactory

BEFORE = [("accounts", "0003_push_subscriptions_and_notification_kinds")]
AFTER = [("accounts", "0004_notification_excerpts_as_plain_text")]


@pytest.mark.django_db(transaction=True)
def test_old_excerpts_lose_their_markdown_and_plain_ones_stay_as_they_are():
    member = UserFactory()
    common = {"recipient": member, "kind": "reply", "key": "k", "title": "Rates", "url": "/"}
    markdown = Notification.objects.create(
        excerpt="**Thanks!** @tom, see [the guide](https://example.org/guide).", **common
    )
    reaction = Notification.objects.create(excerpt="👍 _Great_ idea", **common)
    plain = Notification.objects.create(
        excerpt="Monday 4 May 2026, 18:00 – 20:00 (America/New_York) · La Forge", **common
    )
    executor = MigrationExecutor(connection)
    executor.migrate(BEFORE)
    executor = MigrationExecutor(connection)
    executor.migrate(AFTER)

    excerpts = dict(Notification.objects.values_list("pk", "excerpt"))
    assert excerpts[markdown.pk] == "Thanks! @tom, see the guide."
    assert excerpts[reaction.pk] == "👍 Great idea"
    assert excerpts[plain.pk] == plain.excerpt
    # Back to the latest schema (later migrations of accounts were undone with 0004), which
    # the tests after this one expect.
    executor = MigrationExecutor(connection)
    executor.migrate(executor.loader.graph.leaf_nodes())
