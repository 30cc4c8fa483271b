"""``{{ text|markdown }}``: Markdown rendered and sanitised, without mentions or wiki links;
``{{ text|markdown_plain }}``: the same text without its markup, for emails' text parts.

Pages that resolve mentions or wiki links call ``render_markdown`` in the view, where the
group (and so which members and pages exist) is known.
"""

from django import template

from goingsolo.core.markdown import render_markdown, render_plain

register = template.Library()


@register.filter(name="markdown")
def markdown_filter(text):
    return render_markdown("" if text is None else str(text))


@register.filter(name="markdown_plain")
def markdown_plain_filter(text):
    return render_plain("" if text is None else str(text))
