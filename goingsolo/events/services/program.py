"""An event's program: its speakers and talks (the agenda), with their recordings."""

from django.core.exceptions import ValidationError
from django.db import transaction
from django.utils.translation import gettext as _

from goingsolo.core.text import fit_names
from goingsolo.groups.models import Membership

from .. import recordings, rules, validators
from ..models import Speaker, Talk
from .shared import index_on_commit, require


def _require_organiser(by, event):
    require(rules.can_organise(by, event), _("Only the event’s organisers can change the agenda."))


@transaction.atomic
def speaker_save(*, event, by, name, bio="", website="", user=None, speaker=None):
    """BY adds a speaker to EVENT, or changes SPEAKER; a member speaker needs no name."""
    _require_organiser(by, event)
    if user is not None and not Membership.objects.filter(group=event.group, user=user).exists():
        raise ValidationError({"user": _("This person is not a member of the group.")})
    name = fit_names(Speaker, name=name or (user.name if user else ""))["name"]
    if not name:
        raise ValidationError({"name": _("Give the speaker’s name.")})
    website = fit_names(Speaker, website=website)["website"]
    if not website and user is not None:
        # A member's own website, when it fits the speaker's column (a longer one is left
        # out rather than refuse the speaker).
        limit = Speaker._meta.get_field("website").max_length
        website = user.website if len(user.website) <= limit else ""
    speaker = speaker or Speaker(event=event)
    speaker.user, speaker.name = user, name
    speaker.bio = (bio or "").strip() or (user.bio if user else "")
    speaker.website = website
    speaker.save()
    return speaker


def _talk_errors(event, *, title, starts_at, ends_at, recording_url, speakers):
    """(the errors of a talk by field, the parsed recording or None)."""
    errors = {}
    if not title:
        errors["title"] = _("Give the talk a title.")
    if starts_at and ends_at and ends_at <= starts_at:
        errors["ends_at"] = _("The talk must end after it starts.")
    if starts_at and ends_at and (starts_at < event.starts_at or ends_at > event.ends_at):
        errors["starts_at"] = _("The talk must take place during the event.")
    recording = None
    if recording_url:
        try:
            recording = recordings.parse_recording(recording_url)
        except ValidationError as error:
            errors["recording_url"] = error.messages
    if any(speaker.event_id != event.pk for speaker in speakers):
        errors["speakers"] = _("Choose speakers of this event.")
    return errors, recording


@transaction.atomic
def talk_save(
    *,
    event,
    by,
    title,
    starts_at,
    ends_at,
    language,
    abstract="",
    room="",
    speakers=(),
    recording_url="",
    slides_url="",
    slides_file=None,
    talk=None,
):
    """BY adds a talk to EVENT's agenda, or changes TALK; returns it.

    RECORDING_URL must be a YouTube, Vimeo or PeerTube address: the player address is
    derived from it. Side effects on commit: the event is indexed again (talks are part of
    its text).
    """
    _require_organiser(by, event)
    errors = {}
    fitting = fit_names(
        Talk, errors, title=title, room=room, recording_url=recording_url, slides_url=slides_url
    )
    title = fitting["title"]
    found, recording = _talk_errors(
        event,
        title=title,
        starts_at=starts_at,
        ends_at=ends_at,
        recording_url=recording_url,
        speakers=speakers,
    )
    errors = {**found, **errors}
    if slides_file is not None:
        try:
            validators.check_slides(slides_file)
        except ValidationError as error:
            errors.update(error.message_dict)
    if errors:
        raise ValidationError(errors)
    talk = talk or Talk(event=event)
    talk.title, talk.abstract, talk.language = title, (abstract or "").strip(), language
    talk.starts_at, talk.ends_at, talk.room = starts_at, ends_at, fitting["room"]
    talk.recording_url = fitting["recording_url"] if recording else ""
    talk.recording_provider = recording.provider if recording else ""
    talk.recording_embed_url = recording.embed_url if recording else ""
    talk.slides_url = fitting["slides_url"]
    if slides_file is not None:
        talk.slides_file = slides_file
    talk.save()
    talk.speakers.set(speakers)
    index_on_commit(event)
    return talk


@transaction.atomic
def talk_delete(*, talk, by):
    """BY removes TALK from its event's agenda. Side effects on commit: the event is
    indexed again."""
    _require_organiser(by, talk.event)
    talk.delete()
    index_on_commit(talk.event)
