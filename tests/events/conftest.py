from datetime import timedelta

import pytest
from django.utils import timezone

from goingsolo.events import services
from goingsolo.groups.models import Role
from tests.factories import GroupFactory, member_of


@pytest.fixture
def group(db):
    return GroupFactory(name="Going Solo", slug="going-solo", visibility="closed")


@pytest.fixture
def organiser(group):
    return member_of(group, Role.ADMIN, display_name="Stephanie", language="en")


def event_fields(**overrides):
    start = timezone.now() + timedelta(days=10)
    fields = {
        "kind": "meetup",
        "title_en": "Coffee and co-working",
        "title_fr": "Café et coworking",
        "description_en": "We meet, we work, we talk.",
        "description_fr": "On se retrouve, on travaille, on discute.",
        "starts_at": start,
        "ends_at": start + timedelta(hours=3),
        "time_zone": "Europe/Zurich",
        "venue_name": "La Forge",
        "address": "Rue de Genève 17",
        "city": "Lausanne",
        "country": "CH",
        "capacity": None,
    }
    fields.update(overrides)
    return fields


@pytest.fixture
def make_event(group, organiser, django_capture_on_commit_callbacks):
    def make(by=None, in_group=None, **overrides):
        with django_capture_on_commit_callbacks(execute=True):
            return services.event_create(
                group=in_group or group, by=by or organiser, **event_fields(**overrides)
            )

    return make


@pytest.fixture
def register(django_capture_on_commit_callbacks):
    """Registers USER for EVENT as a web request would, running what it queues."""

    def run(event, user, status="going", **kwargs):
        with django_capture_on_commit_callbacks(execute=True):
            return services.registration_set(event=event, user=user, status=status, **kwargs)

    return run


def _po_string(text):
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


@pytest.fixture
def french_catalogue(settings, tmp_path):
    """The French of events (goingsolo/events/fr_pending.py, waiting to be merged into the
    catalogue) compiled beside the catalogue, so tests see what French members will see."""
    import shutil
    import subprocess

    from goingsolo.events.fr_pending import T

    msgfmt = shutil.which("msgfmt")
    if msgfmt is None:
        pytest.skip("msgfmt (gettext) is not installed")
    lines = [
        'msgid ""',
        'msgstr ""',
        '"Content-Type: text/plain; charset=UTF-8\\n"',
        '"Plural-Forms: nplurals=2; plural=(n > 1);\\n"',
        "",
    ]
    for key, french in T.items():
        context, msgid = key if isinstance(key, tuple) else (None, key)
        if context:
            lines.append(f"msgctxt {_po_string(context)}")
        lines.append(f"msgid {_po_string(msgid)}")
        if isinstance(french, list):
            lines.append(f"msgid_plural {_po_string(msgid)}")
            lines += [f"msgstr[{n}] {_po_string(text)}" for n, text in enumerate(french)]
        else:
            lines.append(f"msgstr {_po_string(french)}")
        lines.append("")
    folder = tmp_path / "locale" / "fr" / "LC_MESSAGES"
    folder.mkdir(parents=True)
    (folder / "django.po").write_text("\n".join(lines), encoding="utf-8")
    subprocess.run(
        [msgfmt, "--check-format", "-o", str(folder / "django.mo"), str(folder / "django.po")],
        check=True,
    )
    settings.LOCALE_PATHS = [tmp_path / "locale", *settings.LOCALE_PATHS]
    yield
