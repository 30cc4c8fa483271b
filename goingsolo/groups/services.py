"""Every change to groups and memberships. One function per use case, each atomic.

Side effects (emails) are queued on commit and listed in each docstring.
"""

from django.conf import settings
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.notify import email_address_on_commit, email_member_on_commit
from goingsolo.core.text import fit_names

from . import rules, signals
from .models import Group, Invitation, JoinPolicy, JoinRequest, Membership, NotificationLevel, Role
from .trust import allowed


def _add_member(*, group, user, role=Role.MEMBER, rules_accepted=True):
    membership = Membership.objects.create(
        group=group,
        user=user,
        role=role,
        rules_accepted_at=timezone.now() if rules_accepted else None,
    )
    Group.objects.filter(pk=group.pk).update(member_count=F("member_count") + 1)
    group.member_count += 1
    return membership


@transaction.atomic
def group_create(
    *,
    owner,
    name,
    slug,
    visibility,
    join_policy,
    description_en="",
    description_fr="",
    rules="",
    join_questions=(),
    holds_new_members_posts=False,
):
    """Creates a group with OWNER as its owner. NAME and SLUG within their columns."""
    names = fit_names(Group, name=name, slug=slug)
    group = Group.objects.create(
        name=names["name"],
        slug=names["slug"],
        visibility=visibility,
        join_policy=join_policy,
        description_en=description_en,
        description_fr=description_fr,
        rules=rules,
        join_questions=list(join_questions),
        holds_new_members_posts=holds_new_members_posts,
    )
    _add_member(group=group, user=owner, role=Role.OWNER)
    return group


@transaction.atomic
def group_join(*, group, user, accept_rules):
    """USER joins an open group at once. The rules must be accepted when there are any."""
    if group.join_policy != JoinPolicy.OPEN or not rules.can(user, rules.Action.FIND, group):
        raise PermissionDenied(_("This group cannot be joined directly."))
    _refuse_banned(group, user)
    if group.rules and not accept_rules:
        raise ValidationError(_("Accept the group’s rules to join."))
    if Membership.objects.filter(group=group, user=user).exists():
        raise ValidationError(_("You are already a member of this group."))
    return _add_member(group=group, user=user)


@transaction.atomic
def join_request_create(*, group, user, answers, accept_rules):
    """USER asks to join a group that approves members.

    Side effects on commit: `signals.join_request_created` (the request waits in the
    group's review queue, whose alerts tell the admins and owners).
    """
    if group.join_policy != JoinPolicy.APPROVAL or not rules.can(user, rules.Action.FIND, group):
        raise PermissionDenied(_("This group does not take requests to join."))
    _refuse_banned(group, user)
    if group.rules and not accept_rules:
        raise ValidationError(_("Accept the group’s rules to join."))
    if Membership.objects.filter(group=group, user=user).exists():
        raise ValidationError(_("You are already a member of this group."))
    questions = group.join_questions or []
    if len(answers) != len(questions) or any(not answer.strip() for answer in answers):
        raise ValidationError(_("Answer every question."))
    try:
        with transaction.atomic():
            request = JoinRequest.objects.create(
                group=group,
                user=user,
                answers=[
                    {"question": question, "answer": answer.strip()}
                    for question, answer in zip(questions, answers, strict=True)
                ],
            )
    except IntegrityError:
        raise ValidationError(_("Your request to join is already waiting for an answer.")) from None
    # The admins hear of it from the moderation app (the review queue's alerts, batched).
    transaction.on_commit(
        lambda: signals.join_request_created.send(sender=JoinRequest, join_request=request)
    )
    return request


def _refuse_banned(group, user):
    """Someone the group banned joins it by no way: not at once, by request or invitation."""
    if rules.is_banned(user, group):
        raise ValidationError(rules.ban_refusal())


def _url(name, *args):
    return settings.SITE_URL + reverse(name, args=args)


def _require(user, action, group):
    membership = Membership.objects.filter(group=group, user=user).first()
    if not rules.can(user, action, group, membership):
        raise PermissionDenied(_("You are not allowed to do that in this group."))
    return membership


def _join_request_decide(join_request, *, by, status, **fields):
    """BY, an admin of the group, answers a pending JOIN_REQUEST with STATUS (and FIELDS)."""
    _require(by, rules.Action.ADMINISTER, join_request.group)
    join_request = JoinRequest.objects.select_for_update().get(pk=join_request.pk)
    if join_request.status != JoinRequest.Status.PENDING:
        raise ValidationError(_("This request has already been answered."))
    changes = {"status": status, "decided_at": timezone.now(), "decided_by": by, **fields}
    for name, value in changes.items():
        setattr(join_request, name, value)
    join_request.save(update_fields=list(changes))
    # In this transaction, as membership_ended: the moderation log records the answer with it.
    signals.join_request_decided.send(sender=JoinRequest, join_request=join_request, by=by)
    return join_request


@transaction.atomic
def join_request_approve(*, join_request, by):
    """An admin approves a request; the applicant becomes a member.

    Side effects: `signals.join_request_decided` (the moderation log); the applicant is
    emailed, in their language.
    """
    join_request = _join_request_decide(join_request, by=by, status=JoinRequest.Status.APPROVED)
    group = join_request.group
    _refuse_banned(group, join_request.user)
    membership = Membership.objects.filter(group=group, user=join_request.user).first()
    if membership is None:
        membership = _add_member(group=group, user=join_request.user)
    email_member_on_commit(
        join_request.user,
        "join_request_approved",
        {"group_name": group.name, "group_url": _url("groups:detail", group.slug)},
    )
    return membership


@transaction.atomic
def join_request_refuse(*, join_request, by, reason=""):
    """An admin refuses a request. Side effects: `signals.join_request_decided` (the
    moderation log); the applicant is emailed, with REASON."""
    join_request = _join_request_decide(
        join_request, by=by, status=JoinRequest.Status.REFUSED, refusal_reason=reason
    )
    email_member_on_commit(
        join_request.user,
        "join_request_refused",
        {"group_name": join_request.group.name, "reason": reason},
    )
    return join_request


@transaction.atomic
def invitation_create(*, group, email, by, language, only_invited_address=False):
    """An admin invites EMAIL to GROUP; with ONLY_INVITED_ADDRESS, only the owner of EMAIL
    may use the link. Side effects: the invitation link is emailed."""
    membership = _require(by, rules.Action.ADMINISTER, group)
    if not allowed(membership).invitations:
        raise PermissionDenied(_("You are not allowed to do that in this group."))
    email = email.strip().lower()
    if Membership.objects.filter(group=group, user__email__iexact=email).exists():
        raise ValidationError(_("%(email)s is already a member.") % {"email": email})
    invitation = Invitation.objects.create(
        group=group, email=email, invited_by=by, only_invited_address=only_invited_address
    )
    email_address_on_commit(
        email,
        language,
        "invitation",
        {
            "group_name": group.name,
            "inviter_name": by.name,
            "invitation_url": _url("groups:invitation", invitation.token),
            "expires_at": invitation.expires_at.isoformat(),
        },
    )
    return invitation


def another_address_refusal():
    """Why an invitation only for the invited address refuses someone signed in with
    another one (the invitation page says it before they try)."""
    return _(
        "This invitation is for another email address. Sign in with the address it was "
        "sent to, or ask the group’s admins for a new invitation."
    )


@transaction.atomic
def invitation_accept(*, token, user, accept_rules):
    """USER joins through an invitation link; the link works once, before it expires, and
    only for the invited address when the invitation says so."""
    invitation = (
        Invitation.objects.select_for_update().filter(token=token).select_related("group").first()
    )
    if invitation is None:
        raise ValidationError(_("This invitation link is not valid."))
    if invitation.used_at is not None:
        raise ValidationError(_("This invitation has already been used."))
    if invitation.is_expired:
        raise ValidationError(
            _("This invitation has expired. Ask the group’s admins for a new one.")
        )
    if not invitation.admits(user):
        raise ValidationError(another_address_refusal())
    group = invitation.group
    _refuse_banned(group, user)
    if group.rules and not accept_rules:
        raise ValidationError(_("Accept the group’s rules to join."))
    if Membership.objects.filter(group=group, user=user).exists():
        raise ValidationError(_("You are already a member of this group."))
    invitation.used_at = timezone.now()
    invitation.used_by = user
    invitation.save(update_fields=["used_at", "used_by"])
    JoinRequest.objects.filter(group=group, user=user, status=JoinRequest.Status.PENDING).update(
        status=JoinRequest.Status.APPROVED, decided_at=timezone.now()
    )
    return _add_member(group=group, user=user)


@transaction.atomic
def membership_change_role(*, membership, role, by):
    """An admin or owner gives a member another role."""
    actor = _require(by, rules.Action.ADMINISTER, membership.group)
    if not rules.can_manage_member(actor, membership) or role not in rules.assignable_roles(actor):
        raise PermissionDenied(_("You cannot give this role to this member."))
    membership.role = role
    membership.save(update_fields=["role"])
    return membership


@transaction.atomic
def membership_remove(*, membership, by):
    """An admin removes a member from the group. Side effects: those of leaving
    (`_delete_membership`): their registrations to the group's events are cancelled."""
    actor = _require(by, rules.Action.ADMINISTER, membership.group)
    if not rules.can_manage_member(actor, membership):
        raise PermissionDenied(_("You cannot remove this member."))
    _delete_membership(membership)


@transaction.atomic
def membership_leave(*, membership):
    """A member leaves. The last owner must hand the group over first.
    Side effects: their registrations to the group's events are cancelled
    (`_delete_membership`)."""
    if (
        membership.role == Role.OWNER
        and not Membership.objects.filter(group=membership.group, role=Role.OWNER)
        .exclude(pk=membership.pk)
        .exists()
    ):
        raise ValidationError(
            _("You are the only owner: make another member owner before you leave.")
        )
    _delete_membership(membership)


def groups_only_owned_by(user):
    """Names of the groups USER is the only owner of."""
    return list(
        Membership.objects.filter(user=user, role=Role.OWNER)
        .annotate(owners=Count("group__memberships", filter=Q(group__memberships__role=Role.OWNER)))
        .filter(owners=1)
        .order_by("group__name")
        .values_list("group__name", flat=True)
    )


@transaction.atomic
def account_memberships_end(*, user):
    """USER, deleting their account, leaves every group; their requests to join are
    forgotten, and so is their address on the invitations they were sent. Refused
    (ValidationError) while they are the only owner of a group.
    Side effects: those of leaving, for each group (`_delete_membership`)."""
    sole = groups_only_owned_by(user)
    if sole:
        raise ValidationError(
            _(
                "You are the only owner of %(groups)s: make another member owner before you "
                "delete your account."
            )
            % {"groups": ", ".join(sole)}
        )
    for membership in Membership.objects.filter(user=user).select_related("group", "user"):
        _delete_membership(membership)
    JoinRequest.objects.filter(user=user).delete()
    addresses = {
        user.email.lower(),
        *(a.lower() for a in user.emailaddress_set.values_list("email", flat=True)),
    }
    Invitation.objects.filter(Q(used_by=user) | Q(email__in=addresses)).update(email="")


def _delete_membership(membership):
    """Side effects: `signals.membership_ended`, in this transaction (events cancels the
    member's registrations to the group's events, giving their seats to the waiting list)."""
    group, user = membership.group, membership.user
    membership.delete()
    Group.objects.filter(pk=membership.group_id).update(member_count=F("member_count") - 1)
    signals.membership_ended.send(sender=Membership, group=group, user=user)


@transaction.atomic
def group_update(*, group, by, **fields):
    """An admin changes the group's settings."""
    _require(by, rules.Action.ADMINISTER, group)
    fields.update(fit_names(Group, **{k: fields[k] for k in ("name", "slug") if k in fields}))
    for name, value in fields.items():
        setattr(group, name, value)
    group.full_clean()
    group.save()
    return group


def notification_level_set(*, membership, level):
    """How much a member hears about a group: everything, their threads and mentions, nothing."""
    if level not in NotificationLevel.values:
        raise ValidationError(_("Unknown choice."))
    Membership.objects.filter(pk=membership.pk).update(notification_level=level)
    membership.notification_level = level
    return membership
