from django.db import migrations, models
from django.db.models import F


def publish_existing(apps, schema_editor):
    # Images uploaded before images were held with their edits were served to every reader
    # of the group: they stay so.
    Attachment = apps.get_model("wiki", "Attachment")
    Attachment.objects.update(published_at=F("created_at"))


class Migration(migrations.Migration):
    dependencies = [("wiki", "0002_rename_and_published")]

    operations = [
        migrations.AddField(
            model_name="attachment",
            name="published_at",
            field=models.DateTimeField(blank=True, null=True),
        ),
        migrations.RunPython(publish_existing, migrations.RunPython.noop),
    ]
