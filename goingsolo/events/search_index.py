"""Events in the search index (kind "event"), readable by whoever may see the group's
content: the index filters by group, as every list does."""

from .models import Event

KIND = "event"


def _text(event):
    talks = " ".join(f"{talk.title} {talk.abstract}" for talk in event.talks.all())
    place = " ".join(part for part in (event.venue_name, event.address, event.city) if part)
    return "\n\n".join(
        part for part in (event.description_en, event.description_fr, place, talks) if part.strip()
    )


def index_event(event):
    from goingsolo.core import search

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
        from goingsolo.core import search

        search.remove_document(kind=KIND, object_id=event_id)
        return
    index_event(event)
