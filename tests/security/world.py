"""A secret group with one of everything, and an outsider: the world the attack suite
attacks. Built through the services, as members would build it, so every counter and
side effect is the real one.

`build_world(payload)` writes PAYLOAD into every text a member can type (names, titles,
bodies, places, bios, answers): the same world serves the access tests (a plain payload)
and the rendering tests (hostile markup).
"""

import io
from dataclasses import dataclass
from datetime import timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone
from PIL import Image

from goingsolo.barcamp import services as barcamp
from goingsolo.core.uploads import check_upload
from goingsolo.discussions import services as discussions
from goingsolo.discussions.notifications import notify_post
from goingsolo.events import services as events
from goingsolo.events.models import Event, Registration, Speaker, Talk
from goingsolo.groups import services as groups
from goingsolo.groups.models import Group, JoinPolicy, JoinRequest, Visibility
from goingsolo.mail.models import InboundMessage
from goingsolo.moderation import services as moderation
from goingsolo.moderation.models import Flag
from goingsolo.wiki import services as wiki
from tests.factories import UserFactory


def png(name="photo.png"):
    buffer = io.BytesIO()
    Image.new("RGB", (8, 8), (200, 40, 40)).save(buffer, format="PNG")
    return SimpleUploadedFile(name, buffer.getvalue(), content_type="image/png")


@dataclass
class World:
    secret: Group  # the group attacked
    owner: object
    member: object
    applicant: object  # asked to join the secret group, still pending
    thread: object
    post: object  # a reply
    attachment: object
    event: Event
    registration: Registration
    speaker: Speaker
    talk: Talk
    check: object
    camp: Event  # a barcamp, with a room, a slot and a session
    room: object
    slot: object
    session: object
    join_request: JoinRequest
    page: object
    wiki_image: object
    held_message: InboundMessage
    flag: Flag
    other: Group  # a closed group the outsider belongs to
    outsider: object


def build_world(payload="Text"):
    now = timezone.now()
    # Names and titles hold 80 to 200 characters, which the forms enforce; the world is
    # written through services and a factory, so their payload is cut to fit.
    name = payload[:60]
    owner = UserFactory(display_name=f"{name} owner", language="en")
    member = UserFactory(display_name=f"{name} member", language="fr")
    applicant = UserFactory(display_name=f"{name} applicant")
    outsider = UserFactory(display_name="Outsider")

    secret = groups.group_create(
        owner=owner,
        name=f"{name} secret",
        slug="the-secret",
        visibility=Visibility.SECRET,
        join_policy=JoinPolicy.INVITATION,
        description_en=payload,
        description_fr=payload,
        rules=payload,
    )
    invitation = groups.invitation_create(group=secret, email=member.email, by=owner, language="fr")
    groups.invitation_accept(token=invitation.token, user=member, accept_rules=True)
    other = groups.group_create(
        owner=outsider,
        name="Other",
        slug="other",
        visibility=Visibility.CLOSED,
        join_policy=JoinPolicy.APPROVAL,
        join_questions=[payload],
    )
    # A pending request to the outsider's own group shows the applicant's answers.
    groups.join_request_create(group=other, user=applicant, answers=[payload], accept_rules=True)
    # Nobody can ask to join a secret group: a request left from before the group became
    # secret is the one way its moderators have one to decide.
    join_request = JoinRequest.objects.create(group=secret, user=applicant)

    opening = discussions.thread_start(
        group=secret,
        author=owner,
        title=f"{name} thread",
        body=f"{payload} opening",
        poll={
            "question": payload,
            "options": [f"{name} yes", f"{name} no"],
            "allows_multiple": False,
            "closes_at": None,
        },
    ).post
    thread = opening.thread
    image = png()
    reply = discussions.post_reply(
        thread=thread,
        author=member,
        body=f"{payload} reply",
        attachments=[(check_upload(image), image)],
    ).post
    attachment = reply.attachments.get()
    # The owner hears of the reply: the job that does it runs on commit, which a test's
    # transaction never reaches.
    notify_post(reply)

    start = now + timedelta(days=10)
    event = events.event_create(
        group=secret,
        by=owner,
        announce=False,
        kind="conference",
        title_en=f"{name} event",
        title_fr=f"{name} évènement",
        description_en=payload,
        description_fr=payload,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        time_zone="Europe/Zurich",
        venue_name=name,
        address=payload,
        city="Lausanne",
        country="CH",
        capacity=10,
    )
    registration = events.registration_set(event=event, user=member, status="going")
    speaker = events.speaker_save(event=event, by=owner, name=f"{name} speaker", bio=payload)
    talk = events.talk_save(
        event=event,
        by=owner,
        title=f"{name} talk",
        abstract=payload,
        starts_at=start + timedelta(hours=1),
        ends_at=start + timedelta(hours=2),
        language="en",
        room=name,
        speakers=[speaker],
    )
    check = events.interest_check_open(
        group=secret,
        by=owner,
        kind="meetup",
        city="Geneva",
        window_start=(now + timedelta(days=30)).date(),
        window_end=(now + timedelta(days=60)).date(),
        threshold=5,
        note=payload,
    )

    camp = events.event_create(
        group=secret,
        by=owner,
        announce=False,
        kind="barcamp",
        title_en=f"{name} camp",
        description_en=payload,
        starts_at=start,
        ends_at=start + timedelta(hours=6),
        time_zone="Europe/Zurich",
        city="Lausanne",
        country="CH",
        capacity=None,
    )
    events.registration_set(event=camp, user=member, status="going", notify=False)
    room = barcamp.room_add(event=camp, by=owner, name=f"{name} room", capacity=10)
    slot = barcamp.slot_add(
        event=camp,
        by=owner,
        starts_at=start + timedelta(hours=1),
        ends_at=start + timedelta(hours=2),
    )
    session = barcamp.session_propose(
        event=camp,
        by=member,
        title=f"{name} session",
        description=payload[:600],
        language="en",
        kind="talk",
    )

    page = wiki.page_create(
        group=secret,
        author=owner,
        # [, ] and | make wiki links: a title may not hold them (the body does).
        title=f"{name.translate(str.maketrans('', '', '[]|'))} page",
        body=f"{payload} wiki",
    ).page
    wiki_image = wiki.attachment_add(group=secret, uploader=owner, uploaded_file=png())

    held_message = InboundMessage.objects.create(
        raw=b"Subject: held\r\n\r\nheld",
        group=secret,
        author=member,
        subject=f"{name} held",
        status=InboundMessage.Status.HELD,
        kind=InboundMessage.Kind.THREAD,
    )
    # The member flags the owner's opening post for the moderators.
    flag = moderation.flag_create(
        group=secret, kind="post", object_id=opening.pk, by=member, reason="other", note=payload
    )
    return World(
        secret=secret,
        owner=owner,
        member=member,
        applicant=applicant,
        thread=thread,
        post=reply,
        attachment=attachment,
        event=event,
        registration=registration,
        speaker=speaker,
        talk=talk,
        check=check,
        camp=camp,
        room=room,
        slot=slot,
        session=session,
        join_request=join_request,
        page=page,
        wiki_image=wiki_image,
        held_message=held_message,
        flag=flag,
        other=other,
        outsider=outsider,
    )
