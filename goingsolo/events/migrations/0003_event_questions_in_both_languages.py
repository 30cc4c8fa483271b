# Registration questions in English and/or French, like the title and description.

from django.db import migrations, models


def organiser_language(event):
    """The language the organiser wrote the questions in: their interface language, else
    the event's own (French for an event titled in French only), else English."""
    language = getattr(event.created_by, "language", "") if event.created_by_id else ""
    if language in ("en", "fr"):
        return language
    return "fr" if event.title_fr and not event.title_en else "en"


def questions_to_language(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event._base_manager.select_related("created_by"):
        if not event.questions:
            continue
        setattr(event, f"questions_{organiser_language(event)}", event.questions)
        event.save(update_fields=["questions_en", "questions_fr"])


def questions_back(apps, schema_editor):
    Event = apps.get_model("events", "Event")
    for event in Event._base_manager.all():
        event.questions = event.questions_en or event.questions_fr
        event.save(update_fields=["questions"])


class Migration(migrations.Migration):

    dependencies = [
        ("accounts", "0003_push_subscriptions_and_notification_kinds"),
        ("events", "0002_event_cancel_delete"),
    ]

    operations = [
        migrations.AddField(
            model_name="event",
            name="questions_en",
            field=models.JSONField(
                blank=True, default=list, verbose_name="questions asked at registration, in English"
            ),
        ),
        migrations.AddField(
            model_name="event",
            name="questions_fr",
            field=models.JSONField(
                blank=True, default=list, verbose_name="questions asked at registration, in French"
            ),
        ),
        migrations.RunPython(questions_to_language, questions_back),
        migrations.RemoveField(model_name="event", name="questions"),
    ]
