"""Loads the demo community: `STEPS` in order, in one transaction.

Each step is a function of goingsolo/demo/steps/ that takes the `Demo` being loaded, adds
its part and reports progress. Every step may run on a database that already holds part of
the demo (`goingsolo demo --force`): it looks rows up by address, slug or title and adds
only what is missing.
"""

import random

from django.db import transaction
from django.utils import timezone

from goingsolo.accounts.models import User
from goingsolo.groups.models import Group

from .content.groups import GOING_SOLO
from .content.people import DEMO_DOMAINS, DEMO_PASSWORD, LOGINS, STEPHANIE
from .steps import barcamp, discussions, events, groups, mail, people, wiki

# The same seed gives the same demo on every run, so a bug report can name a member.
SEED = 2008


class Demo:
    """The demo being loaded: what the steps share."""

    def __init__(self, *, report=None):
        self.now = timezone.now()
        self.users = {}  # key (the address before @) → User
        self.groups = {}  # slug → Group
        self.step = ""
        self._report = report or (lambda step, done, total: None)

    def random(self, name):
        """A random generator of its own for NAME: a step's choices do not depend on
        what other steps drew, so adding a step does not change the others."""
        return random.Random(f"{SEED}:{name}")

    def progress(self, done, total):
        self._report(self.step, done, total)


# (label, function), run in this order by `goingsolo demo`; the label starts each progress
# line. A feature that brings demo content adds its step here.
STEPS = [
    ("Members", people.add_people),
    ("Groups", groups.add_groups),
    ("Memberships", groups.add_memberships),
    ("Trust", groups.trust_long_standing_members),
    ("Join requests", groups.add_join_requests),
    ("Invitations", groups.add_invitations),
    ("Wiki notes", wiki.add_wiki_notes),
    ("Events", events.add_events),
    ("Barcamps", barcamp.add_barcamps),
    ("Threads", discussions.add_discussions),
    ("Digests", mail.mark_history_mailed),  # last: after every step that posts
]


def load(*, report=None):
    """Runs every step in one transaction and returns the Demo. REPORT, when given, is
    called with (step label, done, total) as each step goes."""
    demo = Demo(report=report)
    with transaction.atomic():
        for label, step in STEPS:
            demo.step = label
            step(demo)
    return demo


def non_demo_users():
    """Members whose address is not a demo address: real ones."""
    users = User.objects.all()
    for domain in DEMO_DOMAINS:
        users = users.exclude(email__iendswith=f"@{domain}")
    return users


def is_loaded():
    return (
        Group.objects.filter(slug=GOING_SOLO).exists()
        or User.objects.filter(email=STEPHANIE.email).exists()
    )


def login_lines():
    """The demo logins, as lines to print; none when the demo is not loaded."""
    if not User.objects.filter(email=STEPHANIE.email).exists():
        return []
    width = max(len(email) for _role, email in LOGINS)
    lines = [f"Demo logins (password for all: {DEMO_PASSWORD}):"]
    lines += [f"  {email:<{width}}  {DEMO_PASSWORD}  {role}" for role, email in LOGINS]
    return lines
