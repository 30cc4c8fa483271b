"""Events in the shared search index (goingsolo.core.search), kind "event", and how
results show them. The index filters by group, as every list does, so a secret group's
event is found by its members only. A deleted event leaves the index: `Event.objects`
no longer finds it, so indexing it again removes its document."""

from django.utils import translation
from django.utils.translation import pgettext

from goingsolo.core import search
from goingsolo.core.markdown import render_plain
from goingsolo.groups import search_kinds

from .models import Event

KIND = "event"


def _text(event):
    talks = " ".join(f"{talk.title} {talk.abstract}" for talk in event.talks.all())
    descriptions = (render_plain(event.description_en), render_plain(event.description_fr))
    return "\n\n".join(part for part in (*descriptions, event.place_line, talks) if part.strip())


def index_event(event):
    search.index_document(
        kind=KIND,
        object_id=event.pk,
        group_id=event.group_id,
        author_id=event.created_by_id,
        language="fr" if event.title_fr and not event.title_en else "en",
        title=" / ".join(title for title in (event.title_en, event.title_fr) if title),
        body=_text(event),
        url=event.get_absolute_url(),
        created_at=event.created_at,
    )


def index_event_by_id(event_id):
    event = Event.objects.filter(pk=event_id).select_related("group").first()
    if event is None:
        search.remove_document(kind=KIND, object_id=event_id)
        return
    index_event(event)


@search_kinds.register(KIND)
def present_events(hits):
    """Search results for events: the title in the reader's language, the group; one query."""
    events = {
        event.pk: event
        for event in Event.objects.filter(pk__in=[hit.object_id for hit in hits]).select_related(
            "group"
        )
    }
    found = {}
    for hit in hits:
        event = events.get(hit.object_id)
        if event is None:
            continue
        found[hit.object_id] = search_kinds.Presented(
            title=event.title,
            url=event.get_absolute_url(),
            group=event.group,
            snippet=hit.snippet,
            created_at=event.starts_at,
            language=translation.get_language() or "",
            label=pgettext("events", "Cancelled")
            if event.is_cancelled
            else event.get_kind_display(),
        )
    return found
