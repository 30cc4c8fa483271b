"""Every action of the permission matrix, through its pages, for every standing and every
visibility (docs/permissions.md).

The world of the attack suite (`tests/security/world.py`: a group with one of everything)
is given each visibility in turn; each standing visits it as a browser would: GET the page
that shows the form, then POST the form as shown — its hidden fields and CSRF token
included — with what the visitor types. The expected answer comes from the rules
themselves (`groups.rules.can`, or the feature's rule where a feature decides), not from a
second table:

- allowed: the page answers 200 and the POST does what it says (the state it changes
  moves);
- refused: 404 where the visitor may not even find the group, the login page for an
  anonymous visitor who may, 403 otherwise — and nothing at all changed in the database.

`tests/groups/test_permission_matrix.py` holds the matrix itself against a table written
by hand; this module holds the pages to the rules.
"""

import re
from dataclasses import dataclass, field
from html.parser import HTMLParser
from urllib.parse import urlsplit

import pytest
from django.apps import apps
from django.contrib.auth.models import AnonymousUser
from django.test import Client
from django.urls import reverse

from goingsolo.discussions.models import Post, Thread
from goingsolo.discussions.rules import can_pin
from goingsolo.events.models import Registration
from goingsolo.events.rules import can_create as can_create_events
from goingsolo.groups import rules
from goingsolo.groups.models import Group, Invitation, Role, Visibility
from goingsolo.groups.rules import Action, Standing
from goingsolo.moderation.models import Flag
from goingsolo.wiki.models import Page
from tests.factories import member_of
from tests.security.world import build_world

pytestmark = pytest.mark.django_db


# --- The forms of a page, as a browser sends them -------------------------------------------


class _Forms(HTMLParser):
    """The POST forms of a page: their action and the fields a browser would send as
    shown (checked boxes, selected options, textareas' text; no buttons, no files)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.forms, self._form, self._textarea, self._select = [], None, None, None

    def handle_starttag(self, tag, attrs):
        attrs = dict(attrs)
        if tag == "form":
            self._form = {"action": attrs.get("action") or "", "fields": []}
            if (attrs.get("method") or "get").lower() == "post":
                self.forms.append(self._form)
            return
        if self._form is None or ("name" not in attrs and tag != "option"):
            return
        kind = (attrs.get("type") or "text").lower()
        if tag == "input" and kind not in ("submit", "button", "image", "file", "reset"):
            if kind not in ("checkbox", "radio") or "checked" in attrs:
                self._form["fields"].append((attrs["name"], attrs.get("value") or ""))
        elif tag == "textarea":
            self._textarea = [attrs["name"], ""]
        elif tag == "select":
            self._select = {"name": attrs["name"], "first": None, "chosen": None}
        elif tag == "option" and self._select is not None:
            value = attrs.get("value") or ""
            self._select["first"] = self._select["first"] or value
            if "selected" in attrs:
                self._select["chosen"] = value

    def handle_data(self, data):
        if self._textarea is not None:
            self._textarea[1] += data

    def handle_endtag(self, tag):
        if tag == "textarea" and self._textarea is not None:
            self._form["fields"].append(tuple(self._textarea))
            self._textarea = None
        elif tag == "select" and self._select is not None:
            value = self._select["chosen"] or self._select["first"] or ""
            self._form["fields"].append((self._select["name"], value))
            self._select = None
        elif tag == "form":
            self._form = None


def form_fields(html, page_url, post_url):
    """The fields of the form of HTML (the page at PAGE_URL) that posts to POST_URL, as a
    dict for the test client; None when the page shows no such form."""
    parser = _Forms()
    parser.feed(html)
    for form in parser.forms:
        if (urlsplit(form["action"]).path or page_url) == post_url:
            data = {}
            for name, value in form["fields"]:
                data.setdefault(name, []).append(value)
            return {name: values if len(values) > 1 else values[0] for name, values in data.items()}
    return None


def csrf_token(html):
    return re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html).group(1)


# --- The world, each standing, what the database holds ---------------------------------------


@dataclass
class Visit:
    world: object
    group: Group
    visitor: object  # None for anonymous

    @property
    def user(self):
        return self.visitor or AnonymousUser()


def visitor_with(world, standing):
    group = world.secret
    return {
        Standing.ANONYMOUS: lambda: None,
        Standing.OUTSIDER: lambda: world.outsider,
        Standing.APPLICANT: lambda: world.applicant,
        Standing.MEMBER: lambda: world.member,
        Standing.MODERATOR: lambda: member_of(group, Role.MODERATOR),
        Standing.ADMIN: lambda: member_of(group, Role.ADMIN),
        Standing.OWNER: lambda: world.owner,
    }[standing]()


def database_rows():
    """How many rows each table holds: a refused request changes none."""
    return {model._meta.label: model.objects.count() for model in apps.get_models()}


# --- The pages of each action --------------------------------------------------------------


def _group_url(name, more=None):
    """Visit -> the URL of route NAME in the visited group (MORE: Visit -> further args)."""
    return lambda v: reverse(name, args=[v.group.slug, *(more(v) if more else [])])


@dataclass
class Step:
    """A page that performs ACTION: the page showing it (GET) and, for a change, the form
    it posts, what the visitor types into it and the state it changes."""

    action: Action
    page: object  # Visit -> URL of the page that shows the form
    post: object = None  # Visit -> URL the form posts to; None for a page that only shows
    typed: dict = field(default_factory=dict)  # what the visitor types (over what is shown)
    state: object = None  # Visit -> what the POST changes
    # The action that decides whether the page itself shows (a reply form lives on the
    # thread page, which readers see), when not ACTION.
    shown_by: Action | None = None
    # The feature's rule, when the feature decides rather than the matrix alone.
    rule: object = None  # (user, group) -> bool

    def allowed(self, visit, action=None):
        action = action or self.action
        if action == self.action and self.rule is not None:
            return self.rule(visit.user, visit.group)
        return rules.can(visit.user, action, visit.group)


STEPS = {
    "group page": Step(Action.FIND, _group_url("groups:detail")),
    "about page": Step(Action.FIND, _group_url("groups:about")),
    "thread": Step(Action.VIEW_CONTENT, lambda v: v.world.thread.get_absolute_url()),
    "wiki page": Step(Action.VIEW_CONTENT, lambda v: v.world.page.get_absolute_url()),
    "event": Step(Action.VIEW_CONTENT, lambda v: v.world.event.get_absolute_url()),
    "member list": Step(Action.LIST_MEMBERS, _group_url("groups:members")),
    "new thread": Step(
        Action.POST,
        _group_url("discussions:thread_create"),
        post=_group_url("discussions:thread_create"),
        typed={"title": "Coworking on Friday?", "body": "Who is in?"},
        state=lambda v: Thread.objects.filter(group=v.group).count(),
    ),
    "reply": Step(
        Action.POST,
        lambda v: v.world.thread.get_absolute_url(),
        post=_group_url("discussions:reply", lambda v: [v.world.thread.pk]),
        typed={"body": "I am in."},
        state=lambda v: Post.objects.filter(thread=v.world.thread).count(),
        shown_by=Action.VIEW_CONTENT,
    ),
    "new wiki page": Step(
        Action.POST,
        _group_url("wiki:create"),
        post=_group_url("wiki:create"),
        typed={"title": "Coworking spots", "body": "The library.", "action": "save"},
        state=lambda v: Page.objects.filter(group=v.group).count(),
    ),
    "RSVP": Step(
        Action.POST,
        lambda v: v.world.event.get_absolute_url(),
        post=_group_url("events:register", lambda v: [v.world.event.pk]),
        typed={"status": "interested"},
        state=lambda v: sorted(
            Registration.objects.filter(event=v.world.event).values_list("user_id", "status")
        ),
        shown_by=Action.VIEW_CONTENT,
    ),
    "flag an event": Step(
        Action.FLAG,
        _group_url("moderation:flag", lambda v: ["event", v.world.event.pk]),
        post=_group_url("moderation:flag", lambda v: ["event", v.world.event.pk]),
        typed={"reason": "spam", "note": "An advert."},
        state=lambda v: Flag.objects.filter(group=v.group).count(),
    ),
    "review queue": Step(Action.MODERATE, _group_url("moderation:queue")),
    "lock a thread": Step(
        Action.MODERATE,
        lambda v: v.world.thread.get_absolute_url(),
        post=_group_url("discussions:lock", lambda v: [v.world.thread.pk]),
        state=lambda v: Thread.objects.get(pk=v.world.thread.pk).is_locked,
        shown_by=Action.VIEW_CONTENT,
    ),
    "pin a thread": Step(
        Action.ADMINISTER,
        lambda v: v.world.thread.get_absolute_url(),
        post=_group_url("discussions:pin", lambda v: [v.world.thread.pk]),
        state=lambda v: Thread.objects.get(pk=v.world.thread.pk).is_pinned,
        shown_by=Action.VIEW_CONTENT,
        rule=can_pin,
    ),
    "lock a wiki page": Step(
        Action.MODERATE,
        lambda v: v.world.page.get_absolute_url(),
        post=lambda v: reverse("wiki:lock", args=[v.group.slug, v.world.page.slug]),
        state=lambda v: Page.objects.get(pk=v.world.page.pk).is_locked,
        shown_by=Action.VIEW_CONTENT,
    ),
    "new event form": Step(Action.MODERATE, _group_url("events:create"), rule=can_create_events),
    "settings": Step(
        Action.ADMINISTER,
        _group_url("groups:settings"),
        post=_group_url("groups:settings"),
        typed={"description_en": "Freelancers of Lausanne, now with a new description."},
        state=lambda v: Group.objects.get(pk=v.group.pk).description_en,
    ),
    "invitation": Step(
        Action.ADMINISTER,
        _group_url("groups:invitations"),
        post=_group_url("groups:invitations"),
        typed={"email": "newcomer@example.org"},
        state=lambda v: Invitation.objects.filter(group=v.group).count(),
    ),
    "requests to join": Step(Action.ADMINISTER, _group_url("groups:requests")),
}


def test_every_action_of_the_matrix_has_a_page_here():
    assert {step.action for step in STEPS.values()} == set(Action)


def refusal(visit):
    """What a refused visitor gets (docs/permissions.md): 404 where they may not find the
    group, the login page for an anonymous visitor, 403 otherwise."""
    if not rules.can(visit.user, Action.FIND, visit.group):
        return 404
    return 302 if visit.visitor is None else 403


def assert_answer(response, expected, what):
    assert response.status_code == expected, f"{what}: {response.status_code}, not {expected}"
    if expected == 302:
        assert response["Location"].startswith(reverse("account_login")), what


CASES = [
    (visibility, standing, name)
    for visibility in Visibility
    for standing in Standing
    for name in STEPS
]


@pytest.mark.parametrize(("visibility", "standing", "name"), CASES)
def test_each_page_of_the_matrix_answers_as_the_rules_say(visibility, standing, name):
    world = build_world()
    Group.objects.filter(pk=world.secret.pk).update(visibility=visibility)
    world.secret.refresh_from_db()
    step = STEPS[name]
    visit = Visit(world=world, group=world.secret, visitor=visitor_with(world, standing))
    client = Client(enforce_csrf_checks=True)
    if visit.visitor is not None:
        client.force_login(visit.visitor)
    what = f"{name}, {standing} in a {visibility} group"

    page_url = step.page(visit)
    shown = step.allowed(visit, step.shown_by)
    response = client.get(page_url)
    assert_answer(response, 200 if shown else refusal(visit), f"{what}, GET")
    if step.post is None:
        return

    # The form as the page shows it, or, where the page is refused or shows no such form,
    # what a visitor who kept an old copy of it would send, with a valid CSRF token.
    post_url = step.post(visit)
    html = response.content.decode() if shown else ""
    shown_form = form_fields(html, page_url, post_url) if shown else None
    data = dict(shown_form or {})
    data.setdefault("csrfmiddlewaretoken", csrf_token(client.get(reverse("home")).content.decode()))
    data.update(step.typed)
    allowed = step.allowed(visit)
    if allowed:
        assert shown_form is not None, f"{what}: the page shows no form to {post_url}"
    rows, before = database_rows(), step.state(visit)

    response = client.post(post_url, data)
    if allowed:
        assert response.status_code in (200, 302), f"{what}, POST: {response.status_code}"
        assert step.state(visit) != before, f"{what}: the POST changed nothing"
    else:
        assert_answer(response, refusal(visit), f"{what}, POST")
        assert step.state(visit) == before, what
        assert database_rows() == rows, f"{what}: a refused POST wrote to the database"
