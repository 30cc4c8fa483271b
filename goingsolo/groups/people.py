"""Whether a page may link to a member's profile: the one place that decides.

Every page that names a member links the name to the profile only when the reader may open
it (rules.open_profiles_q) and shows the name as plain text otherwise, so no link leads to
a "Not Found". Templates ask through the `people` template tags; one ProfileAccess serves a
whole request (it lives on the request's user object), and a list page loads the answers
for all its people in one query with `{% prefetch_people %}` or `ProfileAccess.load`.
"""

import re
from functools import cache

from django.urls import reverse
from django.utils.html import escape
from django.utils.safestring import mark_safe

from goingsolo.accounts.models import User
from goingsolo.core.prepared import PreparedQuery

from . import rules
from .models import Membership

_ATTRIBUTE = "_goingsolo_profile_access"

# Which of some people are active members of a group: asked by every page that names
# people in a group (built once per process and length of list, core/prepared.py).
_active_members_among = PreparedQuery(
    lambda group_id, user_ids: Membership.objects.filter(
        group_id=group_id, user_id__in=user_ids, user__is_active=True
    ).values_list("user_id"),
    lists=["user_ids"],
)


@cache
def _profile_url_pattern():
    # The profile's address with its number as a group: "/members/(\d+)/".
    sample = reverse("groups:member_profile", args=[987654321])
    return re.escape(sample).replace("987654321", r"(\d+)")


@cache
def _mention_link():
    # A mention as goingsolo.core.markdown writes it (attributes in that order, then the
    # sanitiser's rel); the text is "@name", escaped, without tags.
    return re.compile(r'<a class="mention" href="' + _profile_url_pattern() + r'"[^>]*>([^<]*)</a>')


def mentioned_ids(html):
    """Ids of the members that the mentions in a post's HTML link to."""
    return {int(number) for number, _text in _mention_link().findall(html or "")}


class ProfileAccess:
    """Which members' profiles one viewer may open, remembered for a request."""

    def __init__(self, viewer):
        self.viewer = viewer
        self._open = {}  # user id → may open

    @classmethod
    def of(cls, viewer):
        """The ProfileAccess of VIEWER, made once per user object (request.user lives for
        one request, so the answers do too)."""
        if viewer is None:
            return cls(None)
        access = getattr(viewer, _ATTRIBUTE, None)
        if access is None:
            access = cls(viewer)
            try:
                setattr(viewer, _ATTRIBUTE, access)
            except AttributeError:
                pass
        return access

    @property
    def is_short(self):
        return rules.profile_is_short(self.viewer)

    def _viewer_id(self):
        viewer = self.viewer
        return viewer.pk if viewer is not None and viewer.is_authenticated else None

    def load(self, people, *, reading=None, membership=None):
        """Finds out, in one query, about PEOPLE (users or ids; None is skipped).

        READING: a group whose content the viewer is reading on this page, with the
        viewer's MEMBERSHIP of it (None for a visitor). Every active member of a group whose
        content the viewer may read opens to them (rules.open_profiles_q), so the people who
        are members of that group are answered by a plain lookup of its memberships, and
        only the others (former members, people who never joined) by the general query:
        building that query's four nested subqueries was a tenth of a member's thread page
        (docs/decisions/0002-read-path.md)."""
        ids = set()
        for person in people:
            if person is None:
                continue
            ids.add(person if isinstance(person, int) else person.pk)
        ids.discard(self._viewer_id())
        missing = ids - self._open.keys()
        if missing and reading is not None and rules.content_visible(reading, membership):
            members = {
                row[0]
                for row in _active_members_among.rows(group_id=reading.pk, user_ids=sorted(missing))
            }
            for pk in members:
                self._open[pk] = True
            missing -= members
        if not missing:
            return
        found = set(
            User.objects.filter(rules.open_profiles_q(self.viewer), pk__in=missing).values_list(
                "pk", flat=True
            )
        )
        for pk in missing:
            self._open[pk] = pk in found

    def can_open(self, person):
        """May the viewer open the profile of PERSON (a user or an id)?"""
        if person is None:
            return False
        pk = person if isinstance(person, int) else person.pk
        if pk is None:
            return False
        if pk == self._viewer_id():
            return True
        if pk not in self._open:
            self.load([pk])
        return self._open[pk]

    def url(self, person):
        """The address of PERSON's profile, or "" when the viewer may not open it."""
        if not self.can_open(person):
            return ""
        if isinstance(person, int):
            return reverse("groups:member_profile", args=[person])
        return person.get_absolute_url()

    def link_mentions(self, html):
        """The HTML of a post (sanitised when it was written), whose mentions stay links
        only to profiles the viewer may open; the others become text ("@name" in a span)."""
        if not html or 'class="mention"' not in html:
            return mark_safe(html or "")
        self.load(mentioned_ids(html))

        def replace(match):
            if self.can_open(int(match.group(1))):
                return match.group(0)
            return f'<span class="mention">{match.group(2)}</span>'

        return mark_safe(_mention_link().sub(replace, str(html)))


def person_link_html(access, person, css_class=""):
    """<a href="profile">Name</a>, or <span>Name</span> when the profile is closed."""
    class_attribute = f' class="{escape(css_class)}"' if css_class else ""
    url = access.url(person)
    if url:
        return mark_safe(f'<a{class_attribute} href="{escape(url)}">{escape(person.name)}</a>')
    return mark_safe(f"<span{class_attribute}>{escape(person.name)}</span>")
