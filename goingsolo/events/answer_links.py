"""One-click answers to an interest check from an email ("would you come? yes / maybe / no").

A link names one member and one check, is signed with the instance's secret and the
member's private links key ("k"), so "reset my private links" revokes every link already
sent (`accounts.services.private_links_reset`), and it is refused once the member has left
the group. It opens a page with one button (`views.interest_checks.answer_link`): mail
scanners that follow every link of a message answer nothing.
"""

from django.conf import settings
from django.core import signing
from django.urls import reverse

from goingsolo.accounts.models import User

from .models import InterestAnswer, InterestCheck

SALT = "goingsolo.events.interest-answer"


def answer_token(*, check_id, user_id, key):
    return signing.dumps({"c": check_id, "u": user_id, "k": key}, salt=SALT)


def answer_url(*, check_id, user, answer):
    """The whole address that answers ANSWER to check CHECK_ID as USER."""
    token = answer_token(check_id=check_id, user_id=user.pk, key=user.private_links_key)
    return settings.SITE_URL + reverse("events:answer_link", args=[token, answer])


def answer_urls(*, check_id, user):
    """{answer: address} for the three answers, as emails list them."""
    return {
        answer: answer_url(check_id=check_id, user=user, answer=answer)
        for answer in InterestAnswer.Answer.values
    }


def answer_url_for(*, check_id, user_id, answer):
    """`answer_url` for a member known by id (the mailing list fills its emails per
    recipient); "" when the member is gone."""
    user = User.objects.filter(pk=user_id, is_active=True).only("pk", "private_links_key").first()
    return answer_url(check_id=check_id, user=user, answer=answer) if user else ""


def check_and_member(token):
    """(InterestCheck, User) a link names, or None for a bad or foreign token, one the
    member revoked, and one of a group the member has left."""
    try:
        data = signing.loads(token, salt=SALT)
    except signing.BadSignature:
        return None
    user = User.objects.filter(
        pk=data.get("u"), is_active=True, private_links_key=data.get("k", "")
    ).first()
    if user is None:
        return None
    check = (
        InterestCheck.objects.filter(pk=data.get("c"), group__memberships__user=user)
        .select_related("group", "event")
        .first()
    )
    return (check, user) if check else None
