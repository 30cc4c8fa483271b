"""`{% url %}` as Django's, its addresses remembered (goingsolo/core/addresses.py). A builtin
of settings.TEMPLATES: it takes the place of Django's tag in every template."""

from django import template
from django.template import defaulttags
from django.urls import NoReverseMatch
from django.utils.html import conditional_escape

from goingsolo.core import addresses

register = template.Library()


class URLNode(defaulttags.URLNode):
    def render(self, context):
        # Django's URLNode.render, with addresses.reverse.
        args = [arg.resolve(context) for arg in self.args]
        kwargs = {name: value.resolve(context) for name, value in self.kwargs.items()}
        view_name = self.view_name.resolve(context)
        try:
            current_app = context.request.current_app
        except AttributeError:
            try:
                current_app = context.request.resolver_match.namespace
            except AttributeError:
                current_app = None
        url = ""
        try:
            url = addresses.reverse(view_name, args=args, kwargs=kwargs, current_app=current_app)
        except NoReverseMatch:
            if self.asvar is None:
                raise
        if self.asvar:
            context[self.asvar] = url
            return ""
        return conditional_escape(url) if context.autoescape else url


@register.tag
def url(parser, token):
    django_node = defaulttags.url(parser, token)
    return URLNode(django_node.view_name, django_node.args, django_node.kwargs, django_node.asvar)
