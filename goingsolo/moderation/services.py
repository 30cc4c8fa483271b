"""Every write of moderation: flags, and what moderators do from the review queue. Each
action is checked against the group's rules (`groups.rules`: *moderate*, and nobody acts
on their own role or a higher one), written in the audit log (`LogEntry`) and, when it
concerns a member, told to them by email in their language.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.notify import email_member_on_commit
from goingsolo.discussions import services as discussions
from goingsolo.discussions.models import Post
from goingsolo.groups import rules
from goingsolo.groups import services as groups
from goingsolo.mail.inbound import services as inbound
from goingsolo.mail.inbound.authentication import sender_was_proven
from goingsolo.mail.models import InboundMessage
from goingsolo.wiki import services as wiki

from . import rules as moderation_rules
from . import targets
from .models import Flag, LogEntry, TargetKind


def _require_moderator(group, by):
    if not moderation_rules.may_moderate(by, group):
        raise PermissionDenied(_("Only moderators can do that."))


def _require_acts_on(group, by, member):
    """BY may moderate GROUP and act on MEMBER (a role below theirs)."""
    _require_moderator(group, by)
    if not moderation_rules.may_act_on(by, group, member):
        raise PermissionDenied(
            _("You cannot act on a member whose role is the same as yours or higher.")
        )


def _log(*, group, by, action, kind, object_id, label, member=None, reason="", **details):
    """DETAILS: `until` (a silence, a suspension), `lifted` (a lift)."""
    return LogEntry.objects.create(
        group=group,
        moderator=by,
        action=action,
        kind=kind,
        object_id=object_id,
        target_label=label[:200],
        member=member,
        reason=reason,
        **details,
    )


def _tell(member, *, group, action, label, reason, until=None, lifted=""):
    """Emails MEMBER, in their language and time zone, what a moderator did and why (and,
    for a sanction, until when; for a lift, which sanction)."""
    if member is None:
        return
    email_member_on_commit(
        member,
        "moderation_notice",
        {
            "group_name": group.name,
            "action": action,
            "target": label,
            "reason": reason,
            "until": until.isoformat() if until else "",
            "lifted": lifted,
        },
    )


def _close_flags(group, kind, object_id, *, by, status):
    Flag.objects.filter(
        group=group, kind=kind, object_id=object_id, status=Flag.Status.OPEN
    ).update(status=status, decided_by=by, decided_at=timezone.now())


@transaction.atomic
def flag_create(*, group, kind, object_id, by, reason, note=""):
    """BY flags the target of KIND and OBJECT_ID in GROUP for its moderators, once.
    Side effects: none beyond the flag, which the review queue lists."""
    if not rules.can(by, rules.Action.FLAG, group):
        raise PermissionDenied(_("Only members of this group can flag what it holds."))
    target = targets.find(group=group, kind=kind, object_id=object_id)
    if target is None:
        raise ValidationError(_("There is nothing here to flag any more."))
    if reason not in Flag.Reason.values:
        raise ValidationError({"reason": _("Choose a reason.")})
    try:
        with transaction.atomic():
            return Flag.objects.create(
                group=group,
                kind=kind,
                object_id=object_id,
                target_label=target.label,
                reporter=by,
                reason=reason,
                note=note.strip(),
            )
    except IntegrityError:
        raise ValidationError(
            _("You already flagged this; the moderators will look at it.")
        ) from None


@transaction.atomic
def held_post_approve(*, post, by):
    """A moderator approves a held post from the queue. Side effects: those of
    `discussions.post_approve` (the post is announced, mailed, indexed); the log."""
    _require_moderator(post.group, by)
    discussions.post_approve(post=post, by=by)
    _log(
        group=post.group,
        by=by,
        action=LogEntry.Action.APPROVE,
        kind=TargetKind.POST,
        object_id=post.pk,
        label=f"{post.thread.title} #{post.position}",
        member=post.author,
    )
    return post


@transaction.atomic
def post_hide(*, post, by, reason="", action=LogEntry.Action.HIDE):
    """A moderator hides POST (a held one is rejected: ACTION REJECT), with REASON; its
    open flags are closed. Side effects: `discussions.post_delete`'s; the log; the author
    is emailed."""
    _require_acts_on(post.group, by, post.author)
    discussions.post_delete(post=post, by=by)
    label = f"{post.thread.title} #{post.position}"
    _close_flags(post.group, TargetKind.POST, post.pk, by=by, status=Flag.Status.ACTED_ON)
    _log(
        group=post.group,
        by=by,
        action=action,
        kind=TargetKind.POST,
        object_id=post.pk,
        label=label,
        member=post.author,
        reason=reason,
    )
    _tell(post.author, group=post.group, action=action, label=label, reason=reason)
    return post


@transaction.atomic
def revision_decide(*, revision, by, approve):
    """A moderator approves or rejects a held wiki edit from the queue. Side effects: the
    wiki service's; the log."""
    if approve:
        wiki.revision_approve(revision=revision, moderator=by)
    else:
        wiki.revision_reject(revision=revision, moderator=by)
    _log(
        group=revision.group,
        by=by,
        action=LogEntry.Action.APPROVE if approve else LogEntry.Action.REJECT,
        kind=TargetKind.REVISION,
        object_id=revision.pk,
        label=f"{revision.page.title} r{revision.number}",
        member=revision.author,
    )


@transaction.atomic
def flag_dismiss(*, flag, by):
    """A moderator finds nothing wrong: every open flag on the same target is dismissed.
    Side effects: the log."""
    _require_moderator(flag.group, by)
    _close_flags(flag.group, flag.kind, flag.object_id, by=by, status=Flag.Status.DISMISSED)
    _log(
        group=flag.group,
        by=by,
        action=LogEntry.Action.DISMISS,
        kind=flag.kind,
        object_id=flag.object_id,
        label=flag.target_label,
    )


@transaction.atomic
def flag_hide_target(*, flag, by, reason=""):
    """A moderator hides what FLAG points at (posts; other kinds are handled on their own
    pages) and closes its flags."""
    if flag.kind != TargetKind.POST:
        raise ValidationError(_("Only posts can be hidden from the queue."))
    post = Post.objects.filter(pk=flag.object_id, group=flag.group).first()
    if post is None:
        raise ValidationError(_("There is nothing here to hide any more."))
    return post_hide(post=post, by=by, reason=reason or flag.get_reason_display())


@transaction.atomic
def member_warn(*, group, member, by, reason):
    """A moderator warns MEMBER, with REASON. Side effects: the log; the member is emailed."""
    _require_acts_on(group, by, member)
    if not reason.strip():
        raise ValidationError({"reason": _("Say why: the member reads it.")})
    _log(
        group=group,
        by=by,
        action=LogEntry.Action.WARN,
        kind=TargetKind.PROFILE,
        object_id=member.pk,
        label=member.name,
        member=member,
        reason=reason,
    )
    _tell(member, group=group, action=LogEntry.Action.WARN, label=member.name, reason=reason)


@transaction.atomic
def held_email_decide(*, message, by, approve, reason=""):
    """A moderator approves a held email (a new thread by email: it is posted as the
    inbound handler would have, as its author) or rejects it (nothing is posted; the
    message stays in the mail's records). Raises ValidationError when the author may no
    longer post. Side effects: those of `mail.inbound.services.held_message_approve` or
    `held_message_reject`; the log; on rejection, the author is emailed, with REASON, only
    when their address was proven (else the email might reach someone whose address was
    borrowed)."""
    _require_moderator(message.group, by)
    message = InboundMessage.objects.select_for_update(of=("self",)).get(pk=message.pk)
    if message.status != InboundMessage.Status.HELD:
        raise ValidationError(_("This message was already decided."))
    label = message.subject or message.sender
    if approve:
        message = inbound.held_message_approve(message=message, by=by)
    else:
        message = inbound.held_message_reject(message=message, by=by)
    action = LogEntry.Action.APPROVE if approve else LogEntry.Action.REJECT
    _log(
        group=message.group,
        by=by,
        action=action,
        kind=TargetKind.EMAIL,
        object_id=message.pk,
        label=label,
        member=message.author,
        reason=reason,
    )
    if not approve and sender_was_proven(message):
        _tell(message.author, group=message.group, action=action, label=label, reason=reason)
    return message


@transaction.atomic
def join_request_decide(*, join_request, by, approve, reason=""):
    """An admin (or an instance admin) answers a request to join from the queue. Side
    effects: those of `groups.services.join_request_approve` / `join_request_refuse` (the
    applicant is emailed, with REASON when refused; the answer is logged through
    `join_request_log`)."""
    if approve:
        groups.join_request_approve(join_request=join_request, by=by)
    else:
        groups.join_request_refuse(join_request=join_request, by=by, reason=reason)


def join_request_log(*, join_request, by):
    """Writes an answer to a request to join in the group's log, wherever it was given (the
    queue, the group's requests page): `groups.signals.join_request_decided` calls it, in
    the transaction of the answer."""
    approved = join_request.status == join_request.Status.APPROVED
    _log(
        group=join_request.group,
        by=by,
        action=LogEntry.Action.APPROVE if approved else LogEntry.Action.REJECT,
        kind=TargetKind.JOIN_REQUEST,
        object_id=join_request.pk,
        label=join_request.user.name,
        member=join_request.user,
        reason="" if approved else join_request.refusal_reason,
    )
