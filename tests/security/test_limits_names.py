"""Names and titles drop control, zero-width and bidirectional-formatting characters, in
forms and whoever saves them: a display name can no longer split an email header."""

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError

from goingsolo.accounts.forms import SignupForm
from goingsolo.core.forms import NameField as NameFormField
from goingsolo.core.models import NameField
from goingsolo.core.text import clean_name
from goingsolo.wiki.validators import clean_title
from tests.factories import GroupFactory, UserFactory

PAYLOADS = [
    ("Ann\nLee", "Ann Lee"),
    ("Ann\r\nBcc: victim@example.org", "Ann Bcc: victim@example.org"),
    ("Ann\rLee", "Ann Lee"),
    ("Ann\x00Lee", "Ann Lee"),
    ("Ann\tLee", "Ann Lee"),
    ("Ann\u2028Lee\u2029", "Ann Lee"),
    ("A\u200bnn\u200c \u200dLee\ufeff", "Ann Lee"),
    ("invoice\u202egpj.exe", "invoicegpj.exe"),
    ("\u2066Ann\u2069 \u202aLee\u202c \u200fx\u200e", "Ann Lee x"),
    ("  Ann   Lee  ", "Ann Lee"),
    ("Zoé Müller-Öztürk 李 ☕", "Zoé Müller-Öztürk 李 ☕"),
]


@pytest.mark.parametrize(("raw", "clean"), PAYLOADS)
def test_clean_name_keeps_a_name_on_one_visible_line(raw, clean):
    assert clean_name(raw) == clean


# Every field that names a person, a group or a piece of content, as people read it in
# lists and email headers. A new one belongs here.
NAME_FIELDS = {
    ("accounts", "User", "display_name"),
    ("groups", "Group", "name"),
    ("barcamp", "Room", "name"),
    ("barcamp", "Session", "title"),
    ("discussions", "Thread", "title"),
    ("discussions", "PostRevision", "title"),
    ("discussions", "Post", "guest_author_name"),
    ("events", "Event", "title_en"),
    ("events", "Event", "title_fr"),
    ("events", "Event", "venue_name"),
    ("events", "Speaker", "name"),
    ("events", "Talk", "title"),
    ("wiki", "Page", "title"),
    ("wiki", "Redirect", "title"),
}


def test_every_name_and_title_is_a_name_field():
    found = {
        (model._meta.app_label, model.__name__, field.name)
        for model in apps.get_models()
        for field in model._meta.get_fields()
        if isinstance(field, NameField)
    }
    assert found == NAME_FIELDS


@pytest.mark.django_db
@pytest.mark.parametrize(("raw", "clean"), PAYLOADS)
def test_a_display_name_is_stored_clean_whoever_saves_it(raw, clean):
    user = UserFactory(display_name=raw)
    user.refresh_from_db()
    assert user.display_name == clean


@pytest.mark.django_db
def test_a_group_name_is_stored_clean():
    group = GroupFactory(name="Leeds\r\nfreelancers\u200b")
    group.refresh_from_db()
    assert group.name == "Leeds freelancers"


def test_a_name_of_invisible_characters_only_is_empty_to_the_form():
    field = NameFormField(required=True, max_length=5)
    with pytest.raises(ValidationError) as error:
        field.clean("\u200b\u202e\n\x00")
    assert error.value.code == "required"
    # The length checked is the length stored: invisible characters do not count.
    assert field.clean("A\u200b\u200b\u200b\u200b\u200bnn") == "Ann"


def test_the_sign_up_form_cleans_the_display_name():
    form = SignupForm(data={"display_name": "Ann\r\nLee\u202e", "time_zone": ""})
    assert form.is_valid(), form.errors
    assert form.cleaned_data["display_name"] == "Ann Lee"


def test_a_wiki_title_of_invisible_characters_is_refused():
    with pytest.raises(ValidationError):
        clean_title("\u200b\u202e")
    assert clean_title("Session\nnotes\u200b") == "Session notes"
