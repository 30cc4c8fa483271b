"""Every key page passes axe-core's checks, in English and in French, on a computer (1280 px)
and on a phone (390 px): logged out, as a member and as the group's owner, with the
interactive parts open (the mention autocomplete, the reaction picker, the phone's menu).

Any violation, whatever its impact, fails; so does a check axe could not decide, except
colour contrast over backgrounds it cannot compute (left to a person). The rules, the pages
and what a person still has to check: docs/accessibility.md. One browser, pages in sequence,
one axe run each; a failure lists every problem of every page, with the rule, its impact,
the elements and axe's help page.
"""

from datetime import timedelta
from email.message import EmailMessage

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone, translation

from goingsolo.barcamp import services as barcamp
from goingsolo.core import site_pages
from goingsolo.core.uploads import check_upload
from goingsolo.discussions import services as discussions
from goingsolo.events import services as events
from goingsolo.groups import services as groups
from goingsolo.groups.models import JoinPolicy, Role, Visibility
from goingsolo.mail.models import InboundMessage
from goingsolo.wiki import services as wiki
from tests.discussions.conftest import png_file
from tests.events.conftest import event_fields, open_interest_check
from tests.factories import GroupFactory, MembershipFactory, UserFactory, member_of

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

COMPUTER = {"width": 1280, "height": 900}
PHONE = {"width": 390, "height": 844}


class Community:
    """What the pages show: a public group with threads (a poll, a photo, a mention,
    reactions), events (one with a registration form, one the member goes to, a past
    conference with its agenda), a "would you come?", a wiki page with two revisions, a
    request to join, an invitation and a thread held by email; a second, closed group."""

    def __init__(self, language):
        self.language = language
        self.group = GroupFactory(
            name="Going Solo",
            slug="going-solo",
            visibility=Visibility.PUBLIC,
            join_policy=JoinPolicy.APPROVAL,
            description_en="Independent workers helping each other, in French and English.",
            description_fr="Des indépendant·es qui s’entraident, en français et en anglais.",
            rules="1. Be kind, and assume good faith.\n2. No advertising.",
            join_questions=["What do you do?"],
        )
        group = self.group
        self.owner = member_of(
            group,
            Role.OWNER,
            display_name="Stephanie Booth",
            handle="stephanie",
            language=language,
            city="Lausanne",
            bio="I started Going Solo in 2008.",
        )
        self.marie = member_of(
            group,
            display_name="Marie Dubois",
            handle="marie",
            language=language,
            city="Genève",
            bio="Traductrice indépendante.",
        )
        self.tom = member_of(
            group,
            display_name="Tom Baker",
            handle="tom",
            city="Leeds",
            country="GB",
            time_zone="Europe/London",
        )
        member_of(group, display_name="Martin Roux", handle="martin", city="Paris", country="FR")
        self.leeds = GroupFactory(
            name="Going Solo Leeds",
            slug="going-solo-leeds",
            rules="Be on time.",
            join_questions=["Where do you work from?"],
        )
        member_of(self.leeds, Role.OWNER, display_name="Oliver Hart", city="Leeds", country="GB")
        MembershipFactory(group=self.leeds, user=self.tom)

        self.add_threads()
        self.add_events()
        self.add_barcamp()
        self.add_wiki_page()
        self.add_requests()

    def add_threads(self):
        group, marie, tom = self.group, self.marie, self.tom
        self.thread = discussions.thread_start(
            group=group,
            author=marie,
            title="Comment fixez-vous vos tarifs ?",
            body="Un client me demande une remise de 30 %. Vous acceptez ce genre de demande ?",
        ).post.thread
        first = self.thread.posts.first()
        reply = discussions.post_reply(
            thread=self.thread,
            author=tom,
            body="> Un client me demande une remise de 30 %.\n\nNever below your floor rate. "
            "@marie, want my template?",
            quoted_post=first,
        ).post
        discussions.reaction_add(post=first, user=tom, emoji="👍")
        discussions.reaction_add(post=reply, user=marie, emoji="❤️")
        self.poll_thread = discussions.thread_start(
            group=group,
            author=self.owner,
            title="Next meetup: which evening?",
            body="The library has a room for us. Vote below.",
            poll={
                "question": "Which evening suits you?",
                "options": ["Tuesday", "Wednesday", "Thursday"],
                "allows_multiple": True,
                "closes_at": timezone.now() + timedelta(days=5),
            },
        ).post.thread
        photo = png_file("desk.png", size=(600, 400), colour=(210, 180, 140))
        discussions.thread_start(
            group=group,
            author=tom,
            title="My new desk by the window",
            body="Finally a proper setup.",
            attachments=[(check_upload(photo), photo)],
        )

    def add_events(self):
        group, owner = self.group, self.owner
        self.open_event = events.event_create(
            group=group,
            by=owner,
            announce=False,
            **event_fields(
                questions_en=["What are you working on at the moment?"],
                questions_fr=["Sur quoi travaillez-vous en ce moment\u00a0?"],
                capacity=12,
            ),
        )
        self.going_event = events.event_create(
            group=group,
            by=owner,
            announce=False,
            **event_fields(
                title_en="Pricing clinic",
                title_fr="Atelier : fixer ses prix",
                starts_at=timezone.now() + timedelta(days=20),
                ends_at=timezone.now() + timedelta(days=20, hours=2),
            ),
        )
        events.registration_set(event=self.going_event, user=self.marie, status="going")
        events.registration_set(event=self.going_event, user=self.tom, status="going")
        start = (timezone.now() - timedelta(days=40)).replace(hour=7, minute=0, second=0)
        self.conference = events.event_create(
            group=group,
            by=owner,
            announce=False,
            **event_fields(
                kind="conference",
                title_en="Going Solo Lausanne",
                title_fr="Going Solo Lausanne",
                starts_at=start,
                ends_at=start + timedelta(hours=9),
            ),
        )
        speaker = events.speaker_save(event=self.conference, by=owner, name="", user=owner)
        for hour, title in ((0, "Being independent in a connected world"), (1, "Set your prices")):
            events.talk_save(
                event=self.conference,
                by=owner,
                title=title,
                abstract="What we learnt.",
                language="en",
                starts_at=start + timedelta(hours=hour),
                ends_at=start + timedelta(hours=hour, minutes=45),
                room="Main hall",
                speakers=[speaker],
            )
        self.check = open_interest_check(
            group,
            owner,
            country="CH",
            days=(90, 150),
            threshold=25,
            note="A SoloCamp in Lausanne, on a Saturday. Would you come?",
        )
        events.interest_answer(check=self.check, user=self.tom, answer="yes")

    def add_barcamp(self):
        """A barcamp Marie and Tom go to, with two sessions in a published grid."""
        start = (timezone.now() + timedelta(days=30)).replace(hour=7, minute=0, second=0)
        camp = events.event_create(
            group=self.group,
            by=self.owner,
            announce=False,
            **event_fields(
                kind="barcamp",
                title_en="SoloCamp",
                starts_at=start,
                ends_at=start + timedelta(hours=8),
            ),
        )
        for person in (self.marie, self.tom):
            events.registration_set(event=camp, user=person, status="going", notify=False)
        barcamp.room_add(event=camp, by=self.owner, name="Main hall", capacity=30)
        barcamp.room_add(event=camp, by=self.owner, name="Kitchen", capacity=8)
        for hour in (1, 2):
            barcamp.slot_add(
                event=camp,
                by=self.owner,
                starts_at=start + timedelta(hours=hour),
                ends_at=start + timedelta(hours=hour, minutes=45),
            )
        self.session = barcamp.session_propose(
            event=camp, by=self.marie, title="Pricing your work", language="fr", kind="talk"
        )
        barcamp.session_propose(
            event=camp, by=self.tom, title="Tax returns", language="en", kind="workshop"
        )
        barcamp.grid_generate(event=camp, by=self.owner, seconds=0.2)
        barcamp.grid_publish(event=camp, by=self.owner)
        self.barcamp = camp

    def add_wiki_page(self):
        created = wiki.page_create(
            group=self.group,
            author=self.owner,
            title="Tools we use",
            body="# Tools we use\n\n- Invoices: a spreadsheet\n- Calendar: the group's",
        )
        self.wiki_page = created.page
        wiki.page_edit(
            page=self.wiki_page,
            author=self.owner,
            body="# Tools we use\n\n- Invoices: an invoicing tool\n- Calendar: the group's\n"
            "- Notes: the wiki",
            summary="Invoices and notes",
            base_revision_id=created.revision.pk,
        )

    def add_requests(self):
        applicant = UserFactory(display_name="Hugo Petit", city="Lyon", country="FR")
        groups.join_request_create(
            group=self.group, user=applicant, answers=["Illustrator."], accept_rules=True
        )
        groups.invitation_create(
            group=self.group, email="lea@example.org", by=self.owner, language="fr"
        )
        message = EmailMessage()
        message["From"] = "Martin Roux <martin@example.org>"
        message["To"] = "going-solo@example.org"
        message["Subject"] = "Coworking day in Paris"
        message.set_content("Who is in for a coworking day in Paris next month?")
        InboundMessage.objects.create(
            raw=message.as_bytes(),
            mail_from="martin@example.org",
            recipients=["going-solo@example.org"],
            status=InboundMessage.Status.HELD,
            kind=InboundMessage.Kind.THREAD,
            sender="martin@example.org",
            subject="Coworking day in Paris",
            group=self.group,
            author=self.group.memberships.get(user__handle="martin").user,
        )


def logged_in(new_page, base, user, locale, viewport):
    """A browser logged in as USER (the session cookie of a logged-in client)."""
    client = Client()
    client.force_login(user)
    page = new_page(locale=locale)
    page.set_viewport_size(viewport)
    page.context.add_cookies(
        [{"name": "sessionid", "value": client.cookies["sessionid"].value, "url": base}]
    )
    return page


class Visitor:
    """A browser going from page to page, collecting what axe finds on each.

    On a phone it opens only the pages marked `phone=True`: those whose layout differs
    there (tables that scroll, forms, the thread, the check-in); the header's menu, the
    same on every page, is checked open once for each role (`check_menu`).
    """

    def __init__(self, page, base, axe, who, device, problems):
        self.page, self.base, self.axe, self.who = page, base, axe, who
        self.on_phone = device == "phone"
        self.problems = problems

    def open(self, name, path, status=200, phone=False):
        """Opens PATH and checks it; False when this device skips it."""
        if self.on_phone and not phone:
            return False
        response = self.page.goto(self.base + path)
        assert response.status == status, f"{self.who}: {path} answered {response.status}"
        self.check(name)
        return True

    def check(self, name):
        if not self.on_phone:
            # On a computer the header's links show from the stylesheet while its disclosure
            # stays closed, and axe skips what a closed disclosure holds: opened, as site.js
            # does for browsers that cannot style it, the header is checked with the page.
            self.page.evaluate(
                "document.querySelectorAll('details.site-menu').forEach(m => { m.open = true; })"
            )
        self.problems += self.axe(self.page, f"{self.who} · {name} ({self.page.url})")

    def check_menu(self):
        """On a phone: the menu opened from its button, then checked."""
        if self.on_phone:
            self.page.locator("header summary").click()
            self.page.locator("header .site-nav").wait_for()
            self.check("menu open")


def url(name, *args):
    return reverse(name, args=args)


def visit_as_anyone(visitor, world):
    """What anyone may open, logged out; on a phone, the menu open too."""
    group, page = world.group, visitor.page
    visitor.open("home", "/", phone=True)
    visitor.open("group list", url("groups:list"))
    visitor.open("group page", url("groups:detail", group.slug))
    visitor.open("thread", world.thread.get_absolute_url(), phone=True)
    visitor.open("events", url("events:upcoming"))
    visitor.open("event", world.open_event.get_absolute_url(), phone=True)
    visitor.open("wiki page", world.wiki_page.get_absolute_url())
    visitor.open("wiki history", url("wiki:history", group.slug, world.wiki_page.slug))
    visitor.open("member profile", url("groups:member_profile", world.owner.pk))
    visitor.open("search results", url("groups:search") + "?q=tarifs")
    visitor.open("log in", url("account_login"), phone=True)
    if visitor.open("sign up", url("account_signup")):
        # Errors shown and tied to their fields: an address already taken, passwords apart.
        page.fill("input[name=email]", world.marie.email)
        page.fill("input[name=password1]", "correct horse battery staple")
        page.fill("input[name=password2]", "another horse")
        with page.expect_navigation():
            page.locator("main form button[type=submit]").click()
        visitor.check("sign up, with errors")
    visitor.open("password reset", url("account_reset_password"))
    visitor.open("404", "/no-such-page/", status=404, phone=True)
    if not visitor.on_phone:
        # A form sent from an old page, whose security token the site no longer knows.
        page.goto(visitor.base + url("account_login"))
        page.context.clear_cookies()
        page.fill("input[name=login]", world.marie.email)
        page.fill("input[name=password]", "correct horse battery staple")
        with page.expect_navigation() as sent:
            page.locator("main form button[type=submit]").click()
        assert sent.value.status == 403
        visitor.check("403, form sent without its token")
    visitor.check_menu()
    visitor.open("offline page", url("offline", world.language))


def visit_the_500_page(visitor, world):
    """The 500 page as the real handler renders it, in the visitor's language, served at an
    address of the site (nothing on the live server can be made to fail on purpose). The
    page has no service worker, which would answer before the browser's route could."""
    with translation.override(world.language):
        body = site_pages.server_error(None).content
    visitor.page.route(
        visitor.base + "/broken/",
        lambda route: route.fulfill(status=500, body=body, content_type="text/html"),
    )
    visitor.open("500", "/broken/", status=500)


def visit_as_member(visitor, world):
    """What a member opens; the thread with its mention autocomplete and reaction picker
    open, the new thread form with its poll."""
    group, page, wiki_page = world.group, visitor.page, world.wiki_page
    visitor.open("home", "/", phone=True)
    visitor.open("group page", url("groups:detail", group.slug), phone=True)
    visitor.open("thread", world.thread.get_absolute_url(), phone=True)
    textarea = page.locator("#reply textarea[name=body]")
    textarea.click()
    textarea.press_sequentially("Merci @ma")
    page.locator(".mention-list li[role=option]").first.wait_for()
    visitor.check("thread, mention autocomplete open")
    textarea.press("Escape")
    page.locator("#post-1 .react-link").click()
    page.locator("#post-1 .react-picker").wait_for()
    visitor.check("thread, reaction picker open")
    visitor.open("thread with a poll", world.poll_thread.get_absolute_url())
    if visitor.open("new thread", url("discussions:thread_create", group.slug), phone=True):
        page.locator("details.poll-fields summary").click()
        visitor.check("new thread, poll open")
    visitor.open("events", url("events:upcoming"))
    visitor.open("group events", url("events:group_events", group.slug))
    visitor.open("event registration form", world.open_event.get_absolute_url(), phone=True)
    visitor.open("event, registered", world.going_event.get_absolute_url())
    visitor.open("event agenda", url("events:agenda", group.slug, world.conference.pk))
    visitor.open("calendar", url("events:my_calendar"), phone=True)
    visitor.open("would you come?", world.check.get_absolute_url())
    camp = (group.slug, world.barcamp.pk)
    visitor.open("barcamp sessions", url("barcamp:proposals", *camp), phone=True)
    visitor.open("barcamp proposal form", url("barcamp:propose", *camp), phone=True)
    visitor.open("barcamp session", world.session.get_absolute_url(), phone=True)
    visitor.open("barcamp schedule", url("barcamp:schedule", *camp), phone=True)
    visitor.open("barcamp board", url("barcamp:board", *camp), phone=True)
    visitor.open("wiki pages", url("wiki:pages", group.slug))
    visitor.open("wiki page", wiki_page.get_absolute_url())
    visitor.open("wiki edit", url("wiki:edit", group.slug, wiki_page.slug), phone=True)
    visitor.open("wiki history", url("wiki:history", group.slug, wiki_page.slug), phone=True)
    diff = url("wiki:diff", group.slug, wiki_page.slug) + "?from=1&to=2"
    visitor.open("wiki diff", diff, phone=True)
    visitor.open("wiki changes", url("wiki:changes", group.slug))
    visitor.open("members", url("groups:members", group.slug), phone=True)
    visitor.open("member profile", url("groups:member_profile", world.tom.pk))
    visitor.open("profile form", url("accounts:profile_edit"), phone=True)
    visitor.open("notifications", url("accounts:notifications"), phone=True)
    visitor.open("search results", url("groups:search") + "?q=tarifs", phone=True)
    visitor.open("delivery form", url("mail:group_email", group.slug), phone=True)
    visitor.check_menu()
    visitor.open("403", url("groups:settings", group.slug), status=403)
    visitor.open("closed group, as an outsider", url("groups:detail", world.leeds.slug))
    visitor.open("join form", url("groups:join", world.leeds.slug), phone=True)
    visitor.open("new group", url("groups:create"))
    visitor.open("devices", url("accounts:devices"))
    visitor.open("data and privacy", url("accounts:privacy"), phone=True)
    visitor.open("delete my account", url("accounts:account_delete"), phone=True)
    visitor.open("wiki revision", url("wiki:revision", group.slug, wiki_page.slug, 1))


def visit_as_owner(visitor, world):
    """The group's management and moderation pages."""
    group, event = world.group, world.going_event
    visitor.open("members, managed", url("groups:members", group.slug))
    visitor.open("requests", url("groups:requests", group.slug))
    visitor.open("invitations", url("groups:invitations", group.slug))
    visitor.open("email settings", url("mail:settings", group.slug))
    visitor.open("review queue, held email", url("moderation:queue", group.slug) + "?kind=emails")
    visitor.open("settings", url("groups:settings", group.slug), phone=True)
    visitor.open("review queue", url("moderation:queue", group.slug))
    visitor.open("moderation log", url("moderation:log", group.slug))
    visitor.open("reach", url("events:reach", group.slug))
    reach_of_a_city = url("events:reach", group.slug) + "?city=Lausanne"
    visitor.open("reach of a city", reach_of_a_city, phone=True)
    visitor.check_menu()
    visitor.open(
        "reach, with an error", url("events:reach", group.slug) + "?city=Lausanne&radius=7"
    )
    visitor.open("would-you-come checks", url("events:checks", group.slug))
    visitor.open("new event", url("events:create", group.slug))
    visitor.open("attendees", url("events:attendees", group.slug, event.pk), phone=True)
    visitor.open("check-in", url("events:checkin", group.slug, event.pk), phone=True)
    camp = (group.slug, world.barcamp.pk)
    visitor.open("barcamp grid", url("barcamp:grid", *camp), phone=True)
    visitor.open("barcamp wall", url("barcamp:wall", *camp), phone=True)
    visitor.open("thread, moderated", world.thread.get_absolute_url())
    first_post = world.thread.posts.first()
    visitor.open("post history", url("discussions:post_history", group.slug, first_post.pk))


@pytest.mark.parametrize("language", ["en", "fr"])
@pytest.mark.parametrize("device", ["computer", "phone"])
def test_key_pages_pass_axe(asgi_server, new_page, axe, device, language):
    world = Community(language)
    base = asgi_server.url
    locale = "fr-FR" if language == "fr" else "en-GB"
    viewport = COMPUTER if device == "computer" else PHONE
    problems = []

    anyone = new_page(locale=locale)
    anyone.set_viewport_size(viewport)
    visit_as_anyone(Visitor(anyone, base, axe, "visitor", device, problems), world)
    if device == "computer":
        broken = new_page(locale=locale, service_workers="block")
        visit_the_500_page(Visitor(broken, base, axe, "visitor", device, problems), world)
    member = logged_in(new_page, base, world.marie, locale, viewport)
    visit_as_member(Visitor(member, base, axe, "member", device, problems), world)
    owner = logged_in(new_page, base, world.owner, locale, viewport)
    visit_as_owner(Visitor(owner, base, axe, "owner", device, problems), world)

    assert not problems, f"{len(problems)} accessibility problems ({device}, {language}):\n" + (
        "\n".join(problems)
    )
