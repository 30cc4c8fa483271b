"""The demo's barcamps: goingsolo/demo/content/barcamp.py, through the events', barcamp's
and wiki's services."""

import zoneinfo
from datetime import datetime, time, timedelta

from goingsolo.barcamp import services as barcamp
from goingsolo.demo.content.barcamp import BARCAMPS
from goingsolo.events import services as events
from goingsolo.events.models import Event, EventKind, RegistrationStatus
from goingsolo.groups import services as groups
from goingsolo.groups.models import Membership
from goingsolo.wiki import services as wiki

SATURDAY = 5  # date.weekday()


def _at(day, clock, zone):
    return datetime.combine(day, time.fromisoformat(clock), zone)


def _add_barcamp(demo, plan):
    group, organiser = demo.groups[plan.group], demo.users[plan.organiser]
    if Event.objects.filter(group=group, kind=EventKind.BARCAMP, title_en=plan.title_en).exists():
        return
    zone = zoneinfo.ZoneInfo(plan.time_zone)
    day = demo.now.astimezone(zone).date() + timedelta(days=plan.in_days)
    while day.weekday() != SATURDAY:
        day += timedelta(days=1)
    event = events.event_create(
        group=group,
        by=organiser,
        announce=False,
        kind=EventKind.BARCAMP,
        title_en=plan.title_en,
        title_fr=plan.title_fr,
        description_en=plan.description_en,
        description_fr=plan.description_fr,
        starts_at=_at(day, plan.starts, zone),
        ends_at=_at(day, plan.ends, zone),
        time_zone=plan.time_zone,
        venue_name=plan.venue_name,
        address=plan.address,
        city=plan.city,
        country=plan.country,
        capacity=None,
    )
    members = set(Membership.objects.filter(group=group).values_list("user_id", flat=True))
    for key in plan.participants:
        user = demo.users[key]
        if user.pk not in members:  # come for the day: they join the (open) group
            groups.group_join(group=group, user=user, accept_rules=True)
        events.registration_set(
            event=event, user=user, status=RegistrationStatus.GOING, notify=False
        )
    for name, capacity in plan.rooms:
        barcamp.room_add(event=event, by=organiser, name=name, capacity=capacity)
    for start, end in plan.slots:
        barcamp.slot_add(
            event=event, by=organiser, starts_at=_at(day, start, zone), ends_at=_at(day, end, zone)
        )
    sessions = []
    for session_plan in plan.sessions:
        facilitators = [demo.users[key] for key in session_plan.facilitators]
        session = barcamp.session_propose(
            event=event,
            by=facilitators[0],
            facilitators=facilitators,
            title=session_plan.title,
            language=session_plan.language,
            kind=session_plan.kind,
            description=session_plan.description,
        )
        for key in session_plan.wanted_by:
            barcamp.wish_toggle(session=session, user=demo.users[key])
        sessions.append((session, session_plan))
    if not plan.published:
        return
    barcamp.grid_generate(event=event, by=organiser, seconds=0.5, seed=2008)
    barcamp.grid_publish(event=event, by=organiser)
    for session, session_plan in sessions:
        if not session_plan.notes:
            continue
        session.refresh_from_db()
        page = session.notes_page
        wiki.page_edit(
            page=page,
            author=demo.users[session_plan.facilitators[0]],
            body=page.current_revision.body + "\n\n" + session_plan.notes,
            summary="First notes",
            base_revision_id=page.current_revision_id,
        )


def add_barcamps(demo):
    """SoloCamp Leeds (agreed topics, a published grid, notes pages) and the
    French-speaking SoloCamp in Lausanne (proposals and votes open)."""
    for number, plan in enumerate(BARCAMPS, start=1):
        _add_barcamp(demo, plan)
        demo.progress(number, len(BARCAMPS))
