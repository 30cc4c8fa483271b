"""The demo's events: goingsolo/demo/content/events.py, through goingsolo/events/services.py."""

import zoneinfo
from datetime import datetime, time, timedelta

from goingsolo.demo.content.events import (
    GOING_SOLO_2008,
    GOING_SOLO_2008_CHECKED_IN,
    GOING_SOLO_2008_DAY,
    GOING_SOLO_2008_GUESTS,
    GOING_SOLO_2008_REGISTERED_DAYS_BEFORE,
    GOING_SOLO_2008_TALKS,
    LEEDS_CONFERENCE_CHECK,
    LEEDS_FIRST_THURSDAY,
    SOLOCAMP_2009,
    SOLOCAMP_2009_CAME,
    SOLOCAMP_2009_DAY,
    SOLOCAMP_CHECK,
)
from goingsolo.discussions.models import Post, Thread
from goingsolo.events import services as events
from goingsolo.events.models import (
    Event,
    InterestAnswer,
    InterestCheck,
    Registration,
    RegistrationStatus,
)
from goingsolo.groups.models import Membership

THURSDAY = 3  # date.weekday()


def _at(day, clock, time_zone):
    """CLOCK ("HH:MM") on DAY in TIME_ZONE."""
    return datetime.combine(day, time.fromisoformat(clock), zoneinfo.ZoneInfo(time_zone))


def _event_fields(plan, day):
    """What `events.event_create` takes for PLAN on DAY."""
    return {
        "kind": plan.kind,
        "title_en": plan.title_en,
        "title_fr": plan.title_fr,
        "description_en": plan.description_en,
        "description_fr": plan.description_fr,
        "starts_at": _at(day, plan.starts, plan.time_zone),
        "ends_at": _at(day, plan.ends, plan.time_zone),
        "time_zone": plan.time_zone,
        "venue_name": plan.venue_name,
        "address": plan.address,
        "city": plan.city,
        "country": plan.country,
        "capacity": plan.capacity,
        "questions_en": plan.questions_en,
        "questions_fr": plan.questions_fr,
    }


def _add_conference(demo):
    """Going Solo Lausanne 2008, with the members who came, its speakers and talks."""
    plan = GOING_SOLO_2008
    group, organiser = demo.groups[plan.group], demo.users[plan.organiser]
    if Event.objects.filter(group=group, kind=plan.kind).exists():
        return
    # The services register and check people in only before an event is over, as it was
    # in 2008: the conference is made upcoming, filled, then moved to its day
    # (event_update tells nobody of the new time of an event that is over).
    upcoming = demo.now.astimezone(zoneinfo.ZoneInfo(plan.time_zone)).date() + timedelta(
        days=GOING_SOLO_2008_REGISTERED_DAYS_BEFORE
    )
    conference = events.event_create(
        group=group, by=organiser, announce=False, **_event_fields(plan, upcoming)
    )
    members = set(Membership.objects.filter(group=group).values_list("user_id", flat=True))
    for key in plan.going:
        user = demo.users[key]
        if user.pk in members:
            registration = events.registration_set(
                event=conference, user=user, status=RegistrationStatus.GOING, notify=False
            )
            events.check_in(registration=registration, by=organiser)
    in_2008 = _event_fields(plan, GOING_SOLO_2008_DAY)
    conference = events.event_update(
        event=conference, by=organiser, starts_at=in_2008["starts_at"], ends_at=in_2008["ends_at"]
    )

    speakers = {
        key: events.speaker_save(event=conference, by=organiser, name=guest.name, bio=guest.bio)
        for key, guest in GOING_SOLO_2008_GUESTS.items()
    }
    for talk in GOING_SOLO_2008_TALKS:
        for key in talk.speakers:
            if key not in speakers:  # a member: name and bio come from the profile
                speakers[key] = events.speaker_save(
                    event=conference, by=organiser, name="", user=demo.users[key]
                )
        events.talk_save(
            event=conference,
            by=organiser,
            title=talk.title,
            abstract=talk.abstract,
            language=talk.language,
            starts_at=_at(GOING_SOLO_2008_DAY, talk.start, plan.time_zone),
            ends_at=_at(GOING_SOLO_2008_DAY, talk.end, plan.time_zone),
            room=talk.room,
            speakers=[speakers[key] for key in talk.speakers],
            recording_url=talk.recording,
        )

    # The services date what they make now; this happened in 2008.
    starts_at = in_2008["starts_at"]
    Event.objects.filter(pk=conference.pk).update(
        created_at=starts_at - timedelta(days=plan.announced_days_before)
    )
    Registration.objects.filter(event=conference).update(
        created_at=starts_at - timedelta(days=GOING_SOLO_2008_REGISTERED_DAYS_BEFORE),
        checked_in_at=_at(GOING_SOLO_2008_DAY, GOING_SOLO_2008_CHECKED_IN, plan.time_zone),
    )


def _add_meetup(demo):
    """The next First Thursday of Going Solo Leeds, announced in the group, with who comes."""
    plan = LEEDS_FIRST_THURSDAY
    group, organiser = demo.groups[plan.group], demo.users[plan.organiser]
    if Event.objects.filter(group=group, kind=plan.kind, ends_at__gt=demo.now).exists():
        return
    # The first Thursday at least a week away.
    day = demo.now.astimezone(zoneinfo.ZoneInfo(plan.time_zone)).date() + timedelta(days=7)
    while day.weekday() != THURSDAY:
        day += timedelta(days=1)
    meetup = events.event_create(group=group, by=organiser, **_event_fields(plan, day))
    # event_create dates the event and its announcement now; it was announced weeks ago,
    # as a monthly meetup is (and so stays out of the members' first digests).
    announced = meetup.starts_at - timedelta(days=plan.announced_days_before)
    Event.objects.filter(pk=meetup.pk).update(created_at=announced)
    Thread.objects.filter(pk=meetup.announcement_thread_id).update(
        created_at=announced, last_activity_at=announced
    )
    Post.objects.filter(thread_id=meetup.announcement_thread_id).update(created_at=announced)
    for status, keys in (
        (RegistrationStatus.GOING, plan.going),
        (RegistrationStatus.INTERESTED, plan.interested),
    ):
        for key in keys:
            events.registration_set(event=meetup, user=demo.users[key], status=status, notify=False)


def _add_solocamp(demo):
    """SoloCamp Leeds 2009, with who had a seat and who was checked in."""
    plan = SOLOCAMP_2009
    group, organiser = demo.groups[plan.group], demo.users[plan.organiser]
    if Event.objects.filter(group=group, kind=plan.kind).exists():
        return
    # As for the conference: made upcoming, filled and checked in, then moved to 2009.
    upcoming = demo.now.astimezone(zoneinfo.ZoneInfo(plan.time_zone)).date() + timedelta(days=30)
    camp = events.event_create(
        group=group, by=organiser, announce=False, **_event_fields(plan, upcoming)
    )
    members = set(Membership.objects.filter(group=group).values_list("user_id", flat=True))
    for key in plan.going:
        user = demo.users[key]
        if user.pk in members:
            registration = events.registration_set(
                event=camp, user=user, status=RegistrationStatus.GOING, notify=False
            )
            if key in SOLOCAMP_2009_CAME:
                events.check_in(registration=registration, by=organiser)
    in_2009 = _event_fields(plan, SOLOCAMP_2009_DAY)
    # The group grew out of SoloCamp: those who had a seat were in the network by then.
    Membership.objects.filter(group=group, user__in=[demo.users[key] for key in plan.going]).update(
        joined_at=in_2009["starts_at"] - timedelta(days=60)
    )
    events.event_update(
        event=camp, by=organiser, starts_at=in_2009["starts_at"], ends_at=in_2009["ends_at"]
    )
    Event.objects.filter(pk=camp.pk).update(created_at=in_2009["starts_at"] - timedelta(days=45))
    Registration.objects.filter(event=camp).update(
        created_at=in_2009["starts_at"] - timedelta(days=30)
    )
    Registration.objects.filter(event=camp, checked_in_at__isnull=False).update(
        checked_in_at=_at(SOLOCAMP_2009_DAY, "09:15", plan.time_zone)
    )


def _open_interest_checks(demo):
    for plan in (SOLOCAMP_CHECK, LEEDS_CONFERENCE_CHECK):
        _open_interest_check(demo, plan)


def _open_interest_check(demo, plan):
    """A "would you come?" (PLAN), with the answers so far; told to nobody (the demo emails
    nobody)."""
    group = demo.groups[plan.group]
    check = InterestCheck.objects.filter(group=group, city=plan.city, kind=plan.kind).first()
    if check is None:
        today = demo.now.astimezone(zoneinfo.ZoneInfo(plan.time_zone)).date()
        check = events.interest_check_open(
            group=group,
            by=demo.users[plan.organiser],
            kind=plan.kind,
            city=plan.city,
            country=plan.country,
            window_start=today + timedelta(days=plan.window_starts_in_days),
            window_end=today + timedelta(days=plan.window_ends_in_days),
            threshold=plan.threshold,
            note=plan.note,
            announce=False,
        )
        # interest_check_open dates the question now; it was asked a few days ago.
        InterestCheck.objects.filter(pk=check.pk).update(
            created_at=demo.now - timedelta(days=plan.asked_days_ago)
        )
    answered = set(
        InterestAnswer.objects.filter(interest_check=check).values_list("user_id", flat=True)
    )
    members = set(Membership.objects.filter(group=group).values_list("user_id", flat=True))
    for answer, keys in plan.answers.items():
        for key in keys:
            user = demo.users[key]
            if user.pk not in answered and user.pk in members:
                events.interest_answer(
                    check=check, user=user, answer=answer, from_city=plan.from_cities.get(key, "")
                )


def add_events(demo):
    """The 2008 conference in Lausanne (past, with talks and recordings), SoloCamp Leeds
    2009 (past, with check-ins), the next Leeds meetup, and two open "would you come?": a
    French-speaking SoloCamp in Lausanne close to its threshold, a second Leeds conference
    whose reach says the network is exhausted."""
    steps = (_add_conference, _add_solocamp, _add_meetup, _open_interest_checks)
    for number, add in enumerate(steps, start=1):
        add(demo)
        demo.progress(number, len(steps))
