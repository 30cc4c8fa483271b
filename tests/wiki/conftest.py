from goingsolo.groups.models import Membership, Role
from goingsolo.wiki import selectors, services
from goingsolo.wiki.models import Page
from tests.factories import member_of


def trusted_member(group, **fields):
    """A member the group trusts: three of their edits were approved before."""
    user = member_of(group, **fields)
    Membership.objects.filter(group=group, user=user).update(approvals=3)
    return user


def new_member(group, **fields):
    return member_of(group, **fields)


def moderator_of(group, **fields):
    return member_of(group, Role.MODERATOR, **fields)


def make_page(group, author, title="Session notes", body="# Notes\n\nFirst line.", **kwargs):
    result = services.page_create(group=group, author=author, title=title, body=body, **kwargs)
    return Page.objects.select_related("group", "current_revision").get(pk=result.page.pk)


def edit(page, author, body, **kwargs):
    """AUTHOR saves BODY from what they see now (no conflict)."""
    page = Page.objects.select_related("group").get(pk=page.pk)
    head = selectors.head_for(page=page, user=author)
    kwargs.setdefault("base_revision_id", head.pk)
    return services.page_edit(page=page, author=author, body=body, **kwargs)


def held_edit(group, body, held_body):
    """A trusted author's page with BODY, and a new member's edit to HELD_BODY waiting for
    review. Returns (page, the held revision, the author, a moderator)."""
    author, newcomer, moderator = trusted_member(group), new_member(group), moderator_of(group)
    page = make_page(group, author, body=body)
    return page, edit(page, newcomer, held_body).revision, author, moderator


def saved_meanwhile(group, body, theirs, **bob_fields):
    """Alice writes a page with BODY, Bob opens it to edit, and Alice saves THEIRS
    meanwhile. Returns (page, the revision Bob started from, alice, bob)."""
    alice, bob = trusted_member(group), trusted_member(group, **bob_fields)
    page = make_page(group, alice, body=body)
    base = page.current_revision
    edit(page, alice, theirs)
    return page, base, alice, bob


def reload(page):
    return Page.objects.select_related("group", "current_revision").get(pk=page.pk)
