"""Every figure of the reach page, from one selector in a fixed number of queries.

`reach(group=…, viewer=…, city=…)` reads, whatever the number of members and events:
1. the group's members with their city, country, time zone, chosen place, joining and last
   login;
2. the group's past events that took place (not cancelled, not deleted);
3. the seats at those events, with who was checked in;
4. the members of the other groups the viewer may read (public groups and their own), for
   the sister groups' reach — counts only, never who.
Places are resolved in memory by the gazetteer (cached per name).
"""

import functools
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from datetime import timedelta

from django.db.models import BooleanField, ExpressionWrapper, Q, Value
from django.utils import timezone
from django.utils.translation import gettext as _

from goingsolo.core.time_zones import known_zone
from goingsolo.groups.models import Group, Membership
from goingsolo.groups.rules import content_visible_groups_q

from ..models import Event, Registration, RegistrationStatus
from . import forecast, gazetteer
from .places import resolve_member

# "Already came": checked in at one of the group's last RECENT_EVENTS events.
RECENT_EVENTS = 3
INACTIVE_AFTER = timedelta(days=182)
# Awake: between 8:00 and 22:00 where they live.
AWAKE_HOURS = range(8, 22)


@dataclass
class CityRow:
    name: str
    country: str
    members: int
    distance_km: float | None = None


@dataclass
class PastEvent:
    pk: int
    title: str
    starts_at: object
    city: str
    had_seat: int
    came: int

    @property
    def ratio(self):
        return self.came / self.had_seat if self.had_seat else None


@dataclass
class Exhaustion:
    could_come: int = 0  # live within the radius
    came_recently: int = 0  # of them, checked in at one of the last RECENT_EVENTS events
    joined_since_last_event: int = 0
    inactive: int = 0  # logged in before, not for six months
    recent_events: int = 0

    @property
    def fresh(self):
        """Those near who neither came lately nor are inactive."""
        return max(0, self.could_come - self.came_recently - self.inactive)

    @property
    def exhausted(self):
        """Most of those who could come came lately, and few joined since."""
        if not self.could_come or not self.recent_events:
            return False
        return self.came_recently >= self.could_come / 2 and self.joined_since_last_event < max(
            1, self.could_come / 10
        )


@dataclass
class Sister:
    name: str
    near: int


@dataclass
class Report:
    group: Group
    city: str = ""
    radius_km: int = gazetteer.DEFAULT_RADIUS_KM
    venue: gazetteer.Resolution | None = None
    members: int = 0
    living_in: int = 0
    living_near: int = 0
    in_country: int = 0
    awake: int | None = None
    awake_at: object = None
    placed: int = 0
    unplaced: int = 0  # a city the gazetteer does not know, or several of that name
    without_city: int = 0
    nearby: list = field(default_factory=list)  # [CityRow] within the radius
    cities: list = field(default_factory=list)  # [CityRow] where members live, largest first
    time_zones: list = field(default_factory=list)  # [(zone, members)]
    dots: list = field(default_factory=list)  # [(Place, members, near)]
    history: list = field(default_factory=list)  # [PastEvent] with check-ins, oldest first
    yes: int = 0
    threshold: int | None = None
    turnout: forecast.Range | None = None
    exhaustion: Exhaustion = field(default_factory=Exhaustion)
    sisters: list = field(default_factory=list)  # [Sister]
    not_answered_near: int | None = None
    not_answered: int | None = None  # in the whole group: everyone was asked

    @property
    def verdict(self):
        return verdict(self)


@functools.lru_cache(maxsize=1024)
def _zone(name):
    """The ZoneInfo of NAME, or None; cached: `known_zone` lists the system's zones."""
    return known_zone(name) if name else None


def _zone_of(time_zone, place):
    """A member's zone: their profile's, else their city's."""
    return _zone(time_zone or "") or (_zone(place.timezone) if place is not None else None)


def reach(
    *,
    group,
    viewer=None,
    city="",
    country="",
    radius_km=gazetteer.DEFAULT_RADIUS_KM,
    check=None,
    threshold=None,
    awake_at=None,
    now=None,
    limit=30,
):
    """The Report of GROUP for a venue in CITY (COUNTRY) within RADIUS_KM; with CHECK, its
    yes count, threshold and who has not answered; AWAKE_AT (an aware datetime): how many
    members are awake then. VIEWER: the organiser, whose readable groups are the sisters."""
    now = now or timezone.now()
    report = Report(group=group, city=city, radius_km=radius_km, awake_at=awake_at)
    if check is not None:
        report.yes, threshold = check.yes_count, check.threshold
        city, country = city or check.city, country or str(check.country or "")
        report.city = city
    report.threshold = threshold
    venue = gazetteer.resolve(city, str(country or "")) if city.strip() else None
    report.venue = venue
    venue_place = venue.place if venue is not None and venue.found else None
    venue_country = venue_place.country if venue_place else str(country or "")

    events = list(
        Event.objects.filter(group=group, ends_at__lte=now, cancelled_at__isnull=True)
        .order_by("starts_at")
        .values_list("pk", "title_en", "title_fr", "starts_at", "city")
    )
    last_start = events[-1][3] if events else None
    # Booleans computed by the database: ten thousand datetimes cost more to convert than
    # everything else on the page.
    joined_late = (
        ExpressionWrapper(Q(joined_at__gt=last_start), output_field=BooleanField())
        if last_start is not None
        else Value(False)
    )
    inactive = ExpressionWrapper(
        Q(user__last_login__lt=now - INACTIVE_AFTER), output_field=BooleanField()
    )
    rows = list(
        Membership.objects.filter(group=group, user__is_active=True)
        .annotate(joined_late=joined_late, inactive=inactive)
        .values_list(
            "user_id",
            "user__city",
            "user__country",
            "user__time_zone",
            "user__member_place__city",
            "user__member_place__geonameid",
            "joined_late",
            "inactive",
        )
    )
    report.members = len(rows)
    near_ids, joined_late_of, inactive_of = set(), {}, {}

    @functools.cache
    def is_near(place):  # once per place, not per member
        return gazetteer.distance_km(place, venue_place) <= radius_km

    by_place = Counter()
    unknown_names = Counter()
    zones = Counter()
    for user_id, user_city, user_country, zone, chosen_city, chosen_id, late, idle in rows:
        joined_late_of[user_id], inactive_of[user_id] = late, idle
        if not (user_city or "").strip():
            report.without_city += 1
            place = None
        else:
            resolution = resolve_member(user_city, user_country, chosen_city, chosen_id)
            place = resolution.place if resolution.found else None
            if place is None:
                report.unplaced += 1
                unknown_names[gazetteer.normalise(user_city)] += 1
        if place is not None:
            report.placed += 1
            by_place[place] += 1
            if venue_place is not None:
                if place.geonameid == venue_place.geonameid:
                    report.living_in += 1
                    near_ids.add(user_id)
                elif is_near(place):
                    near_ids.add(user_id)
        elif (
            venue is not None
            and user_city
            and (gazetteer.normalise(user_city) == gazetteer.normalise(city))
        ):
            # An unplaced member who writes the venue's city lives in it, near nothing else.
            report.living_in += 1
            near_ids.add(user_id)
        if venue_country and str(user_country or (place.country if place else "")) == venue_country:
            report.in_country += 1
        member_zone = _zone_of(zone, place)
        if member_zone is not None:
            zones[str(member_zone)] += 1
            if awake_at is not None and awake_at.astimezone(member_zone).hour in AWAKE_HOURS:
                report.awake = (report.awake or 0) + 1
    if awake_at is not None and report.awake is None:
        report.awake = 0
    report.living_near = len(near_ids)
    report.time_zones = zones.most_common(12)
    for place, count in by_place.items():
        near = venue_place is not None and (
            place.geonameid == venue_place.geonameid or is_near(place)
        )
        report.dots.append((place, count, near))
        row = CityRow(place.name, place.country, count)
        if venue_place is not None:
            row.distance_km = round(gazetteer.distance_km(place, venue_place))
            if near and place.geonameid != venue_place.geonameid:
                report.nearby.append(row)
        report.cities.append(row)
    report.cities.sort(key=lambda row: (-row.members, row.name))
    report.cities = report.cities[:limit]
    report.nearby.sort(key=lambda row: (row.distance_km, row.name))

    _history(report, group, events, near_ids, joined_late_of, inactive_of, now)
    if check is not None:
        answered = set(check.answers.values_list("user_id", flat=True))
        report.not_answered_near = len(near_ids - answered)
        report.not_answered = len(set(joined_late_of) - answered)
    if venue_place is not None and viewer is not None:
        report.sisters = _sisters(group, viewer, venue_place, radius_km)
    return report


def _history(report, group, events, near_ids, joined_late, inactive, now):
    """The group's past EVENTS with check-ins (the forecast), and the exhaustion signals
    of the members near the venue (JOINED_LATE, INACTIVE: {user id: bool})."""
    seats = defaultdict(set)
    came = defaultdict(set)
    if events:
        for event_id, user_id, checked_in in (
            Registration.objects.filter(
                event__group=group,
                event__ends_at__lte=now,
                event__cancelled_at__isnull=True,
                event__deleted_at__isnull=True,
                status=RegistrationStatus.GOING,
            )
            .annotate(
                came=ExpressionWrapper(Q(checked_in_at__isnull=False), output_field=BooleanField())
            )
            .values_list("event_id", "user_id", "came")
        ):
            seats[event_id].add(user_id)
            if checked_in:
                came[event_id].add(user_id)
    for pk, title_en, title_fr, starts_at, city in events:
        if not came[pk]:
            continue  # no check-in was done: the event says nothing of turnout
        title = Event(title_en=title_en, title_fr=title_fr).title
        report.history.append(PastEvent(pk, title, starts_at, city, len(seats[pk]), len(came[pk])))
    if report.yes or report.threshold is not None:
        report.turnout = forecast.turnout([event.ratio for event in report.history], report.yes)

    signals = report.exhaustion
    signals.could_come = len(near_ids)
    recent = events[-RECENT_EVENTS:]
    signals.recent_events = len(recent)
    recent_came = set().union(*(came[pk] for pk, *_rest in recent)) if recent else set()
    signals.came_recently = len(near_ids & recent_came)
    if events:
        signals.joined_since_last_event = sum(1 for user_id in near_ids if joined_late[user_id])
    # Never logged in says nothing: members by email only are members in full.
    signals.inactive = sum(1 for user_id in near_ids if inactive[user_id])


def _sisters(group, viewer, venue_place, radius_km):
    """Other groups VIEWER may read whose members live near the venue: (name, count).
    A member of several is counted in each; nobody is named."""
    rows = Membership.objects.filter(
        content_visible_groups_q(viewer, prefix="group__"), user__is_active=True
    ).exclude(group=group)
    counts = Counter()
    names = {}
    for group_id, name, user_city, user_country, chosen_city, chosen_id in rows.values_list(
        "group_id",
        "group__name",
        "user__city",
        "user__country",
        "user__member_place__city",
        "user__member_place__geonameid",
    ):
        names[group_id] = name
        if not user_city:
            continue
        resolution = resolve_member(user_city, user_country, chosen_city, chosen_id)
        if resolution.found and (
            resolution.place.geonameid == venue_place.geonameid
            or gazetteer.distance_km(resolution.place, venue_place) <= radius_km
        ):
            counts[group_id] += 1
    return sorted(
        (Sister(names[group_id], count) for group_id, count in counts.items()),
        key=lambda sister: (-sister.near, sister.name),
    )


def verdict(report):
    """In words: whether the threshold looks reachable (None without a threshold)."""
    if report.threshold is None or report.venue is None:
        return None
    threshold, yes, turnout = report.threshold, report.yes, report.turnout
    signals = report.exhaustion
    if yes >= threshold:
        if turnout is not None and turnout.low < threshold:
            return _(
                "The yes answers reach the threshold, but past events say only %(low)d to "
                "%(high)d of them may come: ask a few more."
            ) % {"low": turnout.low, "high": turnout.high}
        return _("The threshold is reached.")
    missing = threshold - yes
    if report.not_answered is not None:
        # A check asked every member: anyone who has not answered may still say yes.
        open_count, open_near = report.not_answered, report.not_answered_near
    else:
        open_count = open_near = signals.could_come
    if open_count < missing:
        return _(
            "Out of reach: %(missing)d more yes are needed, and only %(open)d members have "
            "not answered (%(near)d of them near the venue)."
        ) % {"missing": missing, "open": open_count, "near": open_near}
    if signals.exhausted:
        return _(
            "Unlikely: %(missing)d more yes are needed, but %(came)d of the %(near)d members "
            "near the venue came to one of the last events and %(joined)d joined since: the "
            "network looks exhausted here."
        ) % {
            "missing": missing,
            "came": signals.came_recently,
            "near": signals.could_come,
            "joined": signals.joined_since_last_event,
        }
    return _(
        "Within reach: %(missing)d more yes are needed, and %(open)d members have not "
        "answered yet (%(near)d of them near the venue)."
    ) % {"missing": missing, "open": open_count, "near": open_near}
