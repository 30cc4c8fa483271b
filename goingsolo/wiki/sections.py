"""The wiki's section on a group's page: its latest changes and links to the wiki."""

from goingsolo.groups import sections

from .models import Revision

SECTION_CHANGES = 5


@sections.register("group")
def wiki_section(request, *, group, access):
    if not access.can_view_content:
        return None
    changes = list(
        Revision.objects.filter(group=group, status=Revision.Status.APPROVED)
        .select_related("page__group", "author")
        .order_by("-created_at", "-pk")[:SECTION_CHANGES]
    )
    return sections.Section(
        template="wiki/_group_section.html",
        context={"group": group, "changes": changes, "can_edit": access.can_post},
        order=60,
    )
