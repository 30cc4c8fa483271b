"""The sessions made before the project had its own authentication backends
(goingsolo/accounts/backends.py) name Django's and allauth's: they are renamed, so that
nobody is signed out. Sessions that cannot be read (another secret key) are left as they
are: Django would not read them either."""

from django.contrib.auth import BACKEND_SESSION_KEY
from django.db import migrations

# Written out, not imported: a migration keeps doing what it did when the code moves on.
REPLACED = {
    "django.contrib.auth.backends.ModelBackend": "goingsolo.accounts.backends.ModelBackend",
    "allauth.account.auth_backends.AuthenticationBackend": (
        "goingsolo.accounts.backends.AllauthBackend"
    ),
}


def rename(renames):
    def run(apps, schema_editor):
        from django.contrib.sessions.backends.db import SessionStore

        Session = apps.get_model("sessions", "Session")
        store = SessionStore()
        changed = []
        for session in Session.objects.using(schema_editor.connection.alias).iterator(
            chunk_size=2000
        ):
            data = store.decode(session.session_data)  # {} when it cannot be read
            backend = data.get(BACKEND_SESSION_KEY)
            if backend in renames:
                data[BACKEND_SESSION_KEY] = renames[backend]
                session.session_data = store.encode(data)
                changed.append(session)
            if len(changed) >= 2000:
                Session.objects.bulk_update(changed, ["session_data"])
                changed = []
        Session.objects.bulk_update(changed, ["session_data"])

    return run


class Migration(migrations.Migration):
    dependencies = [
        ("accounts", "0005_private_links_and_deleted_accounts"),
        ("sessions", "0001_initial"),
    ]

    operations = [
        migrations.RunPython(
            rename(REPLACED), rename({new: old for old, new in REPLACED.items()}), elidable=True
        ),
    ]
