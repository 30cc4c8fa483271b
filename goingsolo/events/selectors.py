"""Reads about events that span relations. Each runs a fixed number of queries.

One module, longer than one sitting: each function is one read a page or a section needs
(lists, the attendee list, the agenda, what a visitor may do about registering, the
interest checks and the reach of a city), and reads on its own.
"""

from collections import Counter, defaultdict
from dataclasses import dataclass

from django.db.models import Count, Prefetch, Q
from django.utils import timezone
from django_countries import countries

from goingsolo.accounts.models import User
from goingsolo.core.prepared import PreparedQuery
from goingsolo.groups.models import Membership

from . import rules
from .models import (
    CalendarFeed,
    Event,
    InterestAnswer,
    InterestCheck,
    Registration,
    RegistrationStatus,
    Speaker,
    Talk,
)
from .reach import gazetteer
from .reach.report import reach  # noqa: F401 - the reach page's one selector


def _with_group(events):
    return events.select_related("group")


def upcoming_visible_events(*, user, limit=None):
    """Upcoming events of every group whose content USER may read (public groups for
    everyone, plus their own groups), soonest first."""
    events = _with_group(
        Event.objects.filter(rules.visible_groups_q(user, "group__"), ends_at__gt=timezone.now())
    ).order_by("starts_at", "pk")
    return list(events[:limit] if limit else events)


# What the group page's section asks on every visit, built once per process
# (core/prepared.py): one event more than it shows, to know whether more follow.
SECTION_EVENTS = 3
SECTION_CHECKS = 3
_next_events = PreparedQuery(
    lambda group_id, now: Event.objects.filter(group_id=group_id, ends_at__gt=now).order_by(
        "starts_at", "pk"
    )[: SECTION_EVENTS + 1],
    moments=["now"],
)
_section_checks = PreparedQuery(
    lambda group_id: InterestCheck.objects.filter(
        group_id=group_id, status=InterestCheck.Status.OPEN
    ).order_by("-created_at")[:SECTION_CHECKS]
)


def next_events(*, group):
    """GROUP's next SECTION_EVENTS events, and whether more follow: (events, more)."""
    events = _next_events.objects(group_id=group.pk, now=timezone.now())
    for event in events:
        event.group = group
    return events[:SECTION_EVENTS], len(events) > SECTION_EVENTS


def section_checks(*, group):
    """GROUP's SECTION_CHECKS latest open interest checks."""
    return _in_group(_section_checks.objects(group_id=group.pk), group)


def group_events(*, group, past_limit=None):
    """(upcoming, past) events of GROUP: upcoming soonest first, past latest first."""
    now = timezone.now()
    events = Event.objects.filter(group=group)
    upcoming = list(events.filter(ends_at__gt=now).order_by("starts_at", "pk"))
    past = []
    if past_limit != 0:
        past = events.filter(ends_at__lte=now).order_by("-starts_at", "-pk")
        past = list(past[:past_limit] if past_limit else past)
    for event in upcoming + past:
        event.group = group
    return upcoming, past


# The home page's next events of the member's groups, built once per process.
HOME_EVENTS = 5
_next_in_my_groups = PreparedQuery(
    lambda user_id, now: _with_group(
        Event.objects.filter(
            group_id__in=Membership.objects.filter(user_id=user_id).values("group_id"),
            ends_at__gt=now,
        )
    ).order_by("starts_at", "pk")[:HOME_EVENTS],
    moments=["now"],
)


def upcoming_in_my_groups(*, user):
    """The next HOME_EVENTS events of every group USER belongs to, soonest first."""
    return _next_in_my_groups.objects(user_id=user.pk, now=timezone.now())


def registrations_of(*, user, events):
    """USER's registrations for EVENTS, by event id."""
    if not user.is_authenticated or not events:
        return {}
    return {
        registration.event_id: registration
        for registration in Registration.objects.filter(
            user=user, event__in=[event.pk for event in events]
        )
    }


def with_registrations(*, user, events):
    """Sets `my_registration` on each of EVENTS: USER's registration or None. One query."""
    registrations = registrations_of(user=user, events=events)
    for event in events:
        event.my_registration = registrations.get(event.pk)
    return events


def registration_of(*, user, event):
    if not user.is_authenticated:
        return None
    return Registration.objects.filter(user=user, event=event).first()


def waitlist_position(*, registration):
    """1 for the first in line, or None when REGISTRATION is not waiting."""
    if registration is None or not registration.is_waiting:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id, status=RegistrationStatus.WAITLISTED
    ).filter(
        Q(waitlisted_at__lt=registration.waitlisted_at)
        | Q(waitlisted_at=registration.waitlisted_at, pk__lt=registration.pk)
    )
    return ahead.count() + 1


@dataclass(frozen=True)
class RegistrationChoices:
    """What a visitor may do about registering for an event: the event page's registration
    card reads it and decides nothing (`registration_choices`)."""

    registration: Registration | None
    position: int | None  # on the waiting list, 1 for the first in line
    is_member: bool  # may register at all (a member of the group)
    closed: bool  # registration is not open to them: the card says since or until when
    asks_questions: bool  # the event's questions come with "I'm going"
    may_go: bool  # "I'm going", or "Join the waiting list" when it is full
    joins_waiting_list: bool
    may_be_interested: bool
    may_withdraw: bool  # cancel a seat, leave the waiting list, or no longer be interested
    says_when_closing: bool
    kept_while_cancelled: bool  # a cancelled event keeps their registration


def registration_choices(*, user, event, registration, membership=rules.UNSET):
    """What USER, whose REGISTRATION for EVENT (or None) the caller read, may do about
    registering. One query when they are on the waiting list (their place in it), else
    none."""
    holds_place = registration is not None and registration.holds_place
    gave_an_answer = registration is not None and not registration.is_not_going
    return RegistrationChoices(
        registration=registration,
        position=waitlist_position(registration=registration),
        is_member=rules.can_register(user, event.group, membership),
        closed=not event.registration_is_open and not holds_place,
        asks_questions=bool(event.questions) and not holds_place,
        may_go=event.registration_is_open and not holds_place,
        joins_waiting_list=event.is_full,
        may_be_interested=not gave_an_answer,
        may_withdraw=gave_an_answer,
        says_when_closing=bool(event.registration_closes_at) and event.registration_is_open,
        kept_while_cancelled=gave_an_answer and not event.has_started,
    )


def checkin_counts(*, event):
    """(how many people with a seat at EVENT arrived, how many have a seat); one query."""
    counts = Registration.objects.filter(event=event, status=RegistrationStatus.GOING).aggregate(
        arrived=Count("pk", filter=Q(checked_in_at__isnull=False)), total=Count("pk")
    )
    return counts["arrived"], counts["total"]


def attendees(*, event):
    """Registrations of EVENT with their members: going, then waiting (in order), then the
    others. Each has `answer_list`: its answers in the order of the event's questions,
    whatever the language they were asked in."""
    order = {
        RegistrationStatus.GOING: 0,
        RegistrationStatus.WAITLISTED: 1,
        RegistrationStatus.INTERESTED: 2,
        RegistrationStatus.NOT_GOING: 3,
    }
    registrations = list(
        Registration.objects.filter(event=event)
        .select_related("user")
        .order_by("waitlisted_at", "created_at", "pk")
    )
    registrations.sort(
        key=lambda r: (
            (order[r.status], (r.user.display_name or r.user.email).casefold())
            if r.status != RegistrationStatus.WAITLISTED
            else (order[r.status], "")
        )
    )
    count = len(event.questions)
    for registration in registrations:
        answers = event.answers_by_position(registration.answers)
        registration.answer_list = [answers.get(index, "") for index in range(count)]
    return registrations


def going(*, event):
    return list(
        Registration.objects.filter(event=event, status=RegistrationStatus.GOING)
        .select_related("user")
        .order_by("user__display_name", "user__email")
    )


def agenda(*, event):
    """EVENT's talks with their speakers, by day: [(date, [talk, …]), …] in the event's zone."""
    talks = Talk.objects.filter(event=event).prefetch_related(
        Prefetch("speakers", queryset=Speaker.objects.select_related("user"))
    )
    days = defaultdict(list)
    for talk in talks:
        days[talk.starts_at.astimezone(event.zone).date()].append(talk)
    return sorted(days.items())


def speakers(*, event):
    return list(Speaker.objects.filter(event=event).select_related("user"))


def speaker_talks(*, speaker):
    return list(speaker.talks.order_by("starts_at").prefetch_related("speakers"))


def events_for_personal_feed(*, user):
    """Events USER has a seat at, in groups they are still a member of (the feed carries
    the online links: someone who left a public group still reads it, but their link
    stops there)."""
    return list(
        _with_group(
            Event.objects.filter(
                rules.visible_groups_q(user, "group__"),
                group__memberships__user=user,
                registrations__user=user,
                registrations__status=RegistrationStatus.GOING,
            )
        ).order_by("starts_at", "pk")
    )


def feed_user(*, token):
    feed = CalendarFeed.objects.filter(token=token).select_related("user").first()
    if feed is None or not feed.user.is_active:
        return None
    return feed.user


# --- Interest checks and reach ------------------------------------------------------------


def _in_group(checks, group):
    for check in checks:
        check.group = group
    return checks


def group_checks(*, group):
    return _in_group(
        list(
            InterestCheck.objects.filter(group=group)
            .select_related("event", "created_by")
            .order_by("-created_at")
        ),
        group,
    )


def open_checks(*, group):
    checks = InterestCheck.objects.filter(group=group, status=InterestCheck.Status.OPEN).order_by(
        "-created_at"
    )
    return _in_group(list(checks), group)


def answer_of(*, user, check):
    if not user.is_authenticated:
        return None
    return InterestAnswer.objects.filter(interest_check=check, user=user).first()


def country_name(code):
    return countries.name(code) if code else ""


@dataclass
class Place:
    city: str
    country: str
    yes: int = 0
    maybe: int = 0
    no: int = 0

    @property
    def country_name(self):
        return country_name(self.country)

    @property
    def total(self):
        return self.yes + self.maybe + self.no


def answers_by_place(*, check):
    """Answers of CHECK by city and by country: ([Place by city], [Place by country]).

    An answer without a city counts where the member's profile says they live.
    """
    rows = InterestAnswer.objects.filter(interest_check=check).values_list(
        "answer", "from_city", "from_country", "user__city", "user__country"
    )
    by_city, by_country = {}, {}
    for answer, from_city, from_country, user_city, user_country in rows:
        written = " ".join((from_city or user_city or "").split())
        country = str(from_country or "") or (str(user_country or "") if not from_city else "")
        found = gazetteer.resolve(written, country) if written else None
        city = found.place.name if found and found.found else written
        if found and found.found:
            country = found.place.country
        for table, key in ((by_city, (city, country)), (by_country, ("", country))):
            entry = table.setdefault(key, Place(city=key[0], country=key[1]))
            setattr(entry, answer, getattr(entry, answer) + 1)
    order = lambda place: (-place.yes, -place.total, place.city, place.country)  # noqa: E731
    return sorted(by_city.values(), key=order), sorted(by_country.values(), key=order)


def check_conversion(*, check):
    """How the yes answers turned out once CHECK became an event."""
    if check.event_id is None:
        return None
    counts = Counter(
        Registration.objects.filter(
            event_id=check.event_id, source=Registration.Source.INTEREST_CHECK
        ).values_list("status", flat=True)
    )
    return {
        "pre_registered": sum(counts.values()),
        "going": counts[RegistrationStatus.GOING],
        "waitlisted": counts[RegistrationStatus.WAITLISTED],
        "cancelled": counts[RegistrationStatus.NOT_GOING] + counts[RegistrationStatus.INTERESTED],
        "total_going": check.event.going_count,
    }


def member_city_names(*, group):
    """The cities where members of GROUP live, for suggestions."""
    names = (
        User.objects.filter(memberships__group=group)
        .exclude(city="")
        .values_list("city", flat=True)
    )
    return sorted({" ".join(name.split()) for name in names})


def attendance_counts(*, events):
    """{event id: checked-in count} for EVENTS."""
    if not events:
        return {}
    return dict(
        Registration.objects.filter(event__in=events, checked_in_at__isnull=False)
        .values("event_id")
        .annotate(count=Count("pk"))
        .values_list("event_id", "count")
    )
