"""What every app's forms share.

`add_service_errors` is the one way a view shows a service's refusal on the form the member
filled in: services validate (they are the last word, whatever calls them) and raise
`ValidationError`, keyed by field or not; the view puts each message beside the field it
names, or at the top of the form when the form has no such field.
"""

from django import forms
from django.core.exceptions import ValidationError
from django.forms import BaseForm

from .text import clean_name


class NameField(forms.CharField):
    """A name or title: cleaned by `clean_name` before any other check, so a name of
    invisible characters only is empty, and the length counted is the length stored."""

    def to_python(self, value):
        return clean_name(super().to_python(value))


def add_service_errors(
    form: BaseForm, error: ValidationError, *, fields: dict[str, str] | None = None
) -> None:
    """Puts the messages of ERROR, raised by a service, on FORM.

    FIELDS renames a service's field to the form's (``{"__all__": "avatar_upload"}`` puts
    errors that name no field beside the upload). A message for a field the form does not
    show goes to the form's own errors, so that nothing the service said is lost."""
    renames = fields or {}
    for name, messages in error.update_error_dict({}).items():
        target = renames.get(name, name)
        for message in messages:
            form.add_error(target if target in form.fields else None, message)
