"""Addresses reversed once per process: `reverse()` of the same view with the same
arguments always gives the same address, and Django works it out again each time (a fiftieth
of a millisecond each; a page asks for ten or more, bench/read_path.py).

`reverse` here takes what Django's takes and remembers the answers whose arguments are
plain text and numbers, with the script prefix, the URLconf and the language they were
reversed under. The `{% url %}` tag of every template uses it
(core/templatetags/addresses.py, a builtin of settings.TEMPLATES)."""

import functools

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.urls import get_script_prefix, get_urlconf
from django.urls import reverse as django_reverse
from django.utils.translation import get_language

_PLAIN = (str, int)


@functools.lru_cache(maxsize=8192)
def _reversed(view_name, args, kwargs, current_app, _prefix, urlconf, _language):
    return django_reverse(
        view_name, urlconf=urlconf, args=args, kwargs=dict(kwargs), current_app=current_app
    )


def reverse(view_name, args=None, kwargs=None, current_app=None):
    args = tuple(args or ())
    kwargs = tuple(sorted((kwargs or {}).items()))
    if type(view_name) is not str or not all(
        type(value) in _PLAIN for value in (*args, *(value for _name, value in kwargs))
    ):
        # A model instance or a lazy text: its text may change, never remembered.
        return django_reverse(view_name, args=args, kwargs=dict(kwargs), current_app=current_app)
    return _reversed(
        view_name, args, kwargs, current_app, get_script_prefix(), get_urlconf(), get_language()
    )


@receiver(setting_changed)
def forget_on_setting_change(setting, **kwargs):
    """Tests change the URLconf in one process."""
    if setting == "ROOT_URLCONF":
        _reversed.cache_clear()
