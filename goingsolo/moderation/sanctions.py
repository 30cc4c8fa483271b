"""What moderators do to a member of a group for a while, or for good: silence, suspend,
ban, and lift any of them (docs/moderation.md, "Sanctions").

The state lives in `groups` (`Membership.silenced_until`, `Membership.suspended_until`,
`groups.Ban`), because the group's rules (`groups/rules.py`) read it for every feature, web
and email alike, and `groups` may not import this app. A silence or a suspension ends by
itself: the rules compare its end with now. Each action here is checked against the
group's rules (nobody acts on their own role or a higher one), written in the audit log
and told to the member by email in their language.
"""

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.groups import rules
from goingsolo.groups import services as groups
from goingsolo.groups.models import Ban, Membership

from .models import LogEntry, TargetKind
from .services import _log, _require_acts_on, _tell

Action = LogEntry.Action

# The field of Membership each sanction for a while sets.
UNTIL_FIELDS = {Action.SILENCE: "silenced_until", Action.SUSPEND: "suspended_until"}


def _membership_of(group, member):
    membership = Membership.objects.filter(group=group, user=member).first()
    if membership is None:
        raise ValidationError(_("%(name)s is not a member of this group.") % {"name": member.name})
    return membership


def _required(reason):
    if not reason.strip():
        raise ValidationError({"reason": _("Say why: the member reads it.")})


def _record(*, group, member, by, action, reason, until=None, lifted=""):
    """The log entry, and the member told by email."""
    _log(
        group=group,
        by=by,
        action=action,
        kind=TargetKind.PROFILE,
        object_id=member.pk,
        label=member.name,
        member=member,
        reason=reason,
        until=until,
        lifted=lifted,
    )
    _tell(
        member,
        group=group,
        action=action,
        label=member.name,
        reason=reason,
        until=until,
        lifted=lifted,
    )


def _sanction_until(*, action, group, member, by, until, reason):
    _require_acts_on(group, by, member)
    _required(reason)
    if until <= timezone.now():
        raise ValidationError({"until": _("Choose a moment in the future.")})
    membership = _membership_of(group, member)
    setattr(membership, UNTIL_FIELDS[action], until)
    membership.save(update_fields=[UNTIL_FIELDS[action]])
    _record(group=group, member=member, by=by, action=action, reason=reason, until=until)
    return membership


@transaction.atomic
def member_silence(*, group, member, by, until, reason):
    """A moderator silences MEMBER in GROUP until UNTIL, with REASON: the member reads the
    group but takes no part in it (no thread, reply, reaction, wiki edit, event, flag, on
    the web or by email). A new silence replaces the one in force.
    Side effects: the log; the member is emailed."""
    return _sanction_until(
        action=Action.SILENCE, group=group, member=member, by=by, until=until, reason=reason
    )


@transaction.atomic
def member_suspend(*, group, member, by, until, reason):
    """A moderator suspends MEMBER in GROUP until UNTIL, with REASON: as a silence, and the
    member gets none of the group's email and sees only what an outsider does; admins
    still see them in the member list, marked suspended.
    Side effects: the log; the member is emailed."""
    return _sanction_until(
        action=Action.SUSPEND, group=group, member=member, by=by, until=until, reason=reason
    )


@transaction.atomic
def member_ban(*, group, member, by, reason):
    """An admin bans MEMBER from GROUP, with REASON: the member is removed
    (`groups.services.membership_remove`, which only admins may call: their registrations
    to the group's events are cancelled) and may not join again, by any way, until an
    admin lifts the ban. Side effects: those of the removal; the log; the member is
    emailed."""
    _require_acts_on(group, by, member)
    _required(reason)
    membership = _membership_of(group, member)
    groups.membership_remove(membership=membership, by=by)
    try:
        with transaction.atomic():
            Ban.objects.create(group=group, user=member, banned_by=by, reason=reason)
    except IntegrityError:
        pass  # banned already (a member who came back before the rule): one ban is enough
    _record(group=group, member=member, by=by, action=Action.BAN, reason=reason)


@transaction.atomic
def sanction_lift(*, group, member, by, sanction, reason=""):
    """Ends SANCTION (Action.SILENCE, SUSPEND or BAN) on MEMBER in GROUP before its time:
    a moderator lifts a silence or a suspension, an admin a ban.
    Side effects: the log; the member is emailed."""
    if sanction == Action.BAN:
        if not rules.can(by, rules.Action.ADMINISTER, group):
            raise PermissionDenied(_("Only the group’s admins can lift a ban."))
        deleted, _rows = Ban.objects.filter(group=group, user=member).delete()
        if not deleted:
            raise ValidationError(_("%(name)s is not banned.") % {"name": member.name})
    elif sanction in UNTIL_FIELDS:
        _require_acts_on(group, by, member)
        membership = _membership_of(group, member)
        field = UNTIL_FIELDS[sanction]
        end = getattr(membership, field)
        if end is None or end <= timezone.now():
            message = (
                _("%(name)s is not silenced.")
                if sanction == Action.SILENCE
                else _("%(name)s is not suspended.")
            )
            raise ValidationError(message % {"name": member.name})
        setattr(membership, field, None)
        membership.save(update_fields=[field])
    else:
        raise ValidationError(_("Unknown choice."))
    _record(group=group, member=member, by=by, action=Action.LIFT, reason=reason, lifted=sanction)
