"""`{% fragment key… %}…{% endfragment %}`: a piece of a template rendered once per process
for the same key, then served from memory (goingsolo/core/fragments.py,
docs/decisions/0002-read-path.md).

    {% load fragments %}
    {% fragment thread.row_key "meta" show_group %}<p class="meta">…</p>{% endfragment %}

List every value the block reads, or one value that holds them all (a tuple a model builds
beside the template, cheaper than many template lookups). The tag adds what every fragment
depends on without saying so: which fragment it is, the active language, the current time
zone and the URL prefix.

Never put what depends on the reader inside (read state, "mine", edit links) unless the key
says it: the block is shared by every reader with the same key. A `{% csrf_token %}` inside
is the one exception: the block is kept with a placeholder, and each reader's own token
takes its place each time the block is served.
"""

import secrets

from django import template
from django.template import Context
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix
from django.utils import timezone, translation
from django.utils.safestring import mark_safe

from goingsolo.core import fragments

register = template.Library()


# What a {% csrf_token %} inside a kept block renders to, replaced by the reader's own field
# when the block is served. Random for each process: no post can contain it by chance.
CSRF_PLACEHOLDER = secrets.token_hex(16)
CSRF_PLACEHOLDER_FIELD = CsrfTokenNode().render(Context({"csrf_token": CSRF_PLACEHOLDER}))


class FragmentNode(template.Node):
    def __init__(self, nodelist, key_expressions, where):
        self.nodelist = nodelist
        self.key_expressions = key_expressions
        # Which fragment: its template, line and key (two fragments never share entries).
        self.where = where

    def render(self, context):
        where = (
            self.where,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            get_script_prefix(),
        )
        values = tuple(expression.resolve(context) for expression in self.key_expressions)
        # Looked up with the values as they are; only a miss checks them (key_value) before
        # keeping the block. A value that is not plain (a model instance) therefore never
        # finds an entry, since none is ever kept under it, and a page of hits skips the
        # check of every part of every key (a post's key is a tuple of tuples).
        try:
            entry = fragments.rendered.get(where + values)
        except TypeError:  # unhashable (a list): key_value below says what to do
            entry = None
        if entry is None:
            key = where + tuple(fragments.key_value(value) for value in values)
            # Its CSRF fields, its own or its includes', are kept as placeholders.
            with context.push(csrf_token=CSRF_PLACEHOLDER):
                html = self.nodelist.render(context)
            entry = (html, CSRF_PLACEHOLDER_FIELD in html)
            fragments.rendered.put(key, entry, fragments.size_of(key, html))
        html, has_csrf_field = entry
        if has_csrf_field:
            return mark_safe(html.replace(CSRF_PLACEHOLDER_FIELD, CsrfTokenNode().render(context)))
        return html


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs at least one key value.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    origin = getattr(parser, "origin", None)
    where = (getattr(origin, "name", "") or "", token.lineno, token.contents)
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]], where)
