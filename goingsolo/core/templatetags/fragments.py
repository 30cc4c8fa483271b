"""`{% fragment key… %}…{% endfragment %}`: a piece of a template rendered once per process
for the same key, then served from memory (goingsolo/core/fragments.py,
docs/decisions/0002-read-path.md).

    {% load fragments %}
    {% fragment thread.row_key "meta" show_group %}<p class="meta">…</p>{% endfragment %}

List every value the block reads, or one value that holds them all (a tuple a model builds
beside the template, cheaper than many template lookups). The tag adds what every fragment
depends on without saying so: which fragment it is, the active language, the current time
zone and the URL prefix.

Never put what depends on the reader inside (read state, "mine", edit links, a CSRF token):
the block is shared by every reader with the same key. A `{% csrf_token %}` inside is
refused when the template is compiled.
"""

from django import template
from django.template.defaulttags import CsrfTokenNode
from django.urls import get_script_prefix
from django.utils import timezone, translation

from goingsolo.core import fragments

register = template.Library()


class FragmentNode(template.Node):
    def __init__(self, nodelist, key_expressions, where):
        self.nodelist = nodelist
        self.key_expressions = key_expressions
        # Which fragment: its template, line and key (two fragments never share entries).
        self.where = where

    def render(self, context):
        key = (
            self.where,
            translation.get_language(),
            timezone.get_current_timezone_name(),
            get_script_prefix(),
            *(
                fragments.key_value(expression.resolve(context))
                for expression in self.key_expressions
            ),
        )
        html = fragments.rendered.get(key)
        if html is None:
            html = self.nodelist.render(context)
            fragments.rendered.put(key, html)
        return html


@register.tag
def fragment(parser, token):
    bits = token.split_contents()
    if len(bits) < 2:
        raise template.TemplateSyntaxError("{% fragment %} needs at least one key value.")
    nodelist = parser.parse(("endfragment",))
    parser.delete_first_token()
    if nodelist.get_nodes_by_type(CsrfTokenNode):
        raise template.TemplateSyntaxError(
            "{% fragment %} is shared by every reader: a {% csrf_token %} cannot be inside."
        )
    origin = getattr(parser, "origin", None)
    where = (getattr(origin, "name", "") or "", token.lineno, token.contents)
    return FragmentNode(nodelist, [parser.compile_filter(bit) for bit in bits[1:]], where)
