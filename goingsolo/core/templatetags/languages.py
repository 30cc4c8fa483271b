"""``{{ code|language_name }}``: a language's name as a sentence writes it ("anglais" in
French), for text around it; see `goingsolo.core.voice.language_name`."""

from django import template

from goingsolo.core.voice import language_name as name_of

register = template.Library()


@register.filter
def language_name(code):
    return name_of(code)
