from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [
        ("core", "0006_worker_leases"),
    ]

    operations = [
        migrations.CreateModel(
            name="ContentGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("value", models.BigIntegerField(default=0)),
            ],
        ),
    ]
