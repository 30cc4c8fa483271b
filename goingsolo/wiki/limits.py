"""The limits on what members still new to a group add to its wiki (`groups.trust.ALLOWED`):
external links per edit, edits an hour. A robot that joined a group to spam it wants many
links, fast; a person rarely meets these limits, and is told how to go on when they do.
"""

from collections import Counter
from datetime import timedelta

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import ngettext

from goingsolo.core.markdown import external_links
from goingsolo.groups.trust import allowed

from .models import Revision


def check_new_member_limits(*, membership, group, user, old_body, new_body):
    """Raises a ValidationError when USER's edit of a page of GROUP, from OLD_BODY to
    NEW_BODY, goes over the limits of their MEMBERSHIP's trust level. Links already in
    OLD_BODY do not count."""
    limits = allowed(membership)
    if limits.links_per_post is not None:
        added = Counter(external_links(new_body)) - Counter(external_links(old_body))
        count = sum(added.values())
        if count > limits.links_per_post:
            raise ValidationError(
                {
                    "body": ngettext(
                        "New members can add at most %(limit)d external link per edit; this "
                        "edit adds %(count)d. Remove some, or save them in several edits.",
                        "New members can add at most %(limit)d external links per edit; this "
                        "edit adds %(count)d. Remove some, or save them in several edits.",
                        limits.links_per_post,
                    )
                    % {"limit": limits.links_per_post, "count": count}
                }
            )
    if limits.wiki_edits_per_hour is not None:
        since = timezone.now() - timedelta(hours=1)
        recent = Revision.objects.filter(group=group, author=user, created_at__gte=since).count()
        if recent >= limits.wiki_edits_per_hour:
            raise ValidationError(
                ngettext(
                    "New members can save at most %(limit)d edit an hour. Your text is kept "
                    "below: save it again a little later.",
                    "New members can save at most %(limit)d edits an hour. Your text is kept "
                    "below: save it again a little later.",
                    limits.wiki_edits_per_hour,
                )
                % {"limit": limits.wiki_edits_per_hour}
            )
