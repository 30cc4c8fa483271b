"""Out-of-range dates and numbers get a translated form error, or a 404 or an ignored
parameter in a query string; never a server error."""

import html

import pytest
from django import forms
from django.core.validators import MaxValueValidator
from django.urls import reverse

from goingsolo.core.validators import ID_MAX, query_id, validate_year
from goingsolo.events.models import Event
from goingsolo.groups.models import Role
from tests.events.test_bad_input import form_data
from tests.factories import GroupFactory, member_of
from tests.support import project_forms
from tests.wiki.conftest import make_page, trusted_member

HUGE = str(10**20)


def bounded_fields():
    for form in project_forms():
        for name, field in form.base_fields.items():
            if isinstance(field, forms.IntegerField | forms.DateField | forms.DateTimeField):
                yield pytest.param(field, id=f"{form.__module__}.{form.__name__}.{name}")


@pytest.mark.parametrize("field", list(bounded_fields()))
def test_every_number_and_date_field_of_every_form_is_bounded(field):
    if isinstance(field, forms.IntegerField):
        maxima = [v.limit_value for v in field.validators if isinstance(v, MaxValueValidator)]
        assert maxima and max(maxima) <= ID_MAX
        with pytest.raises(forms.ValidationError):
            field.clean(HUGE)
    else:
        assert validate_year in field.validators
        for value in (
            ("9999-12-31", "0001-01-01")
            if isinstance(field, forms.DateField)
            else (
                "9999-12-31T23:59",
                "0001-01-01T00:00",
            )
        ):
            with pytest.raises(forms.ValidationError):
                field.clean(value)


def test_query_ids_no_database_holds_are_ignored():
    assert query_id("12") == 12
    for value in (HUGE, "-1", "1e3", "", None, "٣"):
        assert query_id(value) in (None, 3)  # "٣" is a digit three to int()


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [
        ("starts_at", "9999-12-31T23:00"),
        ("starts_at", "0001-01-01T00:00"),
        ("ends_at", "9999-12-31T23:59"),
        ("registration_closes_at", "0001-01-01T01:00"),
        ("capacity", HUGE),
    ],
)
def test_an_event_with_a_date_or_capacity_out_of_range_gets_a_form_error(client, field, value):
    group = GroupFactory()
    client.force_login(member_of(group, Role.ADMIN, language="fr"))
    response = client.post(reverse("events:create", args=[group.slug]), form_data(**{field: value}))
    assert response.status_code == 200
    assert not Event.objects.exists()
    expected = (
        "Assurez-vous que cette valeur est inférieure ou égale à 100000."
        if field == "capacity"
        else "Indiquez une date entre les années 1900 et 2199."
    )
    assert expected in html.unescape(response.text)
    # Nothing lost: the title typed is still in the form.
    assert "Going Solo Lausanne" in response.text


@pytest.mark.django_db
def test_a_search_from_year_9999_is_a_form_error_not_a_crash(client):
    group = GroupFactory()
    member = member_of(group)
    client.force_login(member)
    response = client.get(reverse("groups:search"), {"q": "coffee", "until": "9999-12-31"})
    assert response.status_code == 200
    response = client.get(reverse("groups:search"), {"q": "coffee", "since": "0001-01-01"})
    assert response.status_code == 200


@pytest.mark.django_db
def test_a_page_number_no_database_holds_is_ignored(client):
    group = GroupFactory()
    client.force_login(member_of(group))
    for parameters in ({"page": HUGE}, {"activity_page": HUGE}, {"page": "-3"}):
        assert client.get(reverse("groups:detail", args=[group.slug]), parameters).status_code in (
            200,
            404,
        )


@pytest.mark.django_db
def test_a_revision_number_no_database_holds_is_ignored(client):
    group = GroupFactory()
    member = trusted_member(group)
    page = make_page(group, member)
    client.force_login(member)
    url = reverse("wiki:diff", args=[group.slug, page.slug])
    assert client.get(url).status_code == 200
    assert client.get(url, {"to": HUGE}).status_code == 200  # the parameter is ignored
    assert client.get(url, {"from": HUGE, "to": "1"}).status_code == 200
