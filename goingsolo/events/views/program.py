"""An event's program: the agenda, speakers and talks, their recordings and slides."""

from django.contrib import messages
from django.http import FileResponse, Http404
from django.shortcuts import get_object_or_404, redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from goingsolo.groups.access import login_when_needed

from .. import forms, rules, selectors, services
from ..models import Speaker, Talk
from .common import (
    event_for,
    frames_for_recordings,
    organiser_event_for,
    render_event_page,
    save_posted,
)


@login_when_needed
def agenda(request, slug, event_id):
    access, event = event_for(request, slug, event_id)
    return render_event_page(
        request,
        "events/agenda.html",
        access,
        event,
        days=selectors.agenda(event=event),
        speakers=selectors.speakers(event=event),
        is_organiser=rules.can_organise(request.user, event, access.membership),
    )


@login_when_needed
def speaker_detail(request, slug, event_id, speaker_id):
    access, event = event_for(request, slug, event_id)
    speaker = get_object_or_404(Speaker.objects.select_related("user"), pk=speaker_id, event=event)
    return render_event_page(
        request,
        "events/speaker.html",
        access,
        event,
        speaker=speaker,
        talks=selectors.speaker_talks(speaker=speaker),
        is_organiser=rules.can_organise(request.user, event, access.membership),
    )


@login_when_needed
def speaker_form(request, slug, event_id, speaker_id=None):
    access, event = organiser_event_for(request, slug, event_id)
    speaker = get_object_or_404(Speaker, pk=speaker_id, event=event) if speaker_id else None
    form = forms.SpeakerForm(
        request.POST or None, group=access.group, initial=forms.SpeakerForm.initial_from(speaker)
    )
    saved = save_posted(
        request,
        form,
        lambda: services.speaker_save(
            event=event, by=request.user, speaker=speaker, **form.speaker_fields()
        ),
        _("The speaker is saved."),
    )
    if saved:
        return redirect("events:agenda", slug=slug, event_id=event.pk)
    return render_event_page(
        request, "events/speaker_form.html", access, event, form=form, speaker=speaker
    )


@login_when_needed
def talk_form(request, slug, event_id, talk_id=None):
    access, event = organiser_event_for(request, slug, event_id)
    talk = get_object_or_404(Talk, pk=talk_id, event=event) if talk_id else None
    form = forms.TalkForm(request.POST or None, request.FILES or None, event=event, talk=talk)
    saved = save_posted(
        request,
        form,
        lambda: services.talk_save(event=event, by=request.user, talk=talk, **form.talk_fields()),
        _("The talk is saved."),
    )
    if saved:
        return redirect("events:agenda", slug=slug, event_id=event.pk)
    return render_event_page(request, "events/talk_form.html", access, event, form=form, talk=talk)


@require_POST
@login_when_needed
def talk_delete(request, slug, event_id, talk_id):
    _viewer, event = organiser_event_for(request, slug, event_id)
    talk = get_object_or_404(Talk, pk=talk_id, event=event)
    services.talk_delete(talk=talk, by=request.user)
    messages.success(request, _("The talk is removed from the agenda."))
    return redirect("events:agenda", slug=slug, event_id=event.pk)


@frames_for_recordings
@login_when_needed
def talk_watch(request, slug, event_id, talk_id):
    """The recording itself, embedded: reached by a click, so the player loads only then."""
    access, event = event_for(request, slug, event_id)
    talk = get_object_or_404(Talk.objects.prefetch_related("speakers"), pk=talk_id, event=event)
    if not talk.recording_embed_url:
        raise Http404
    return render_event_page(request, "events/watch.html", access, event, talk=talk)


@login_when_needed
def talk_slides(request, slug, event_id, talk_id):
    _viewer, event = event_for(request, slug, event_id)
    talk = get_object_or_404(Talk, pk=talk_id, event=event)
    if not talk.slides_file:
        raise Http404
    return FileResponse(
        talk.slides_file.open("rb"),
        as_attachment=True,
        filename=talk.slides_file.name.rsplit("/", 1)[-1],
    )
