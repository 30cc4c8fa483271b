# Notifications made before their excerpts were plain text kept the post's Markdown
# ("**Thanks!** see [the guide](https://…)"), which the notification list and devices
# showed as it was. They get the plain text newer ones have.

from django.db import migrations

from goingsolo.core.markdown import render_plain

MARKUP = ("*", "_", "`", "[", "#", ">", "~")


def excerpts_as_plain_text(apps, schema_editor):
    Notification = apps.get_model("accounts", "Notification")
    for notification in Notification.objects.exclude(excerpt="").only("excerpt").iterator():
        if not any(mark in notification.excerpt for mark in MARKUP):
            continue
        plain = " ".join(render_plain(notification.excerpt).split())
        if plain and plain != notification.excerpt:
            notification.excerpt = plain[:300]
            notification.save(update_fields=["excerpt"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_push_subscriptions_and_notification_kinds"),
    ]

    operations = [
        migrations.RunPython(excerpts_as_plain_text, migrations.RunPython.noop),
    ]
