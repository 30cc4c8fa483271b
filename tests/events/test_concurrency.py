"""Never overbooked: many members registering at the same moment, each on their own
database connection, never get more seats than there are.

Real concurrent connections need committed data, hence transaction=True. On SQLite the
test database is a file (see DATABASES["default"]["TEST"] in the settings), so every
thread opens its own connection to it; writers queue on BEGIN IMMEDIATE. On PostgreSQL
the event's row is locked with SELECT … FOR UPDATE.
"""

import threading
from datetime import timedelta

import pytest
from django.db import close_old_connections, connection, connections
from django.utils import timezone

from goingsolo.accounts.models import User
from goingsolo.events import services
from goingsolo.events.models import Event, Registration
from goingsolo.groups.models import Membership, Role
from tests.factories import GroupFactory, UserFactory, member_of

SEATS = 10
PEOPLE = 50


@pytest.fixture
def on_a_database_file():
    if connection.vendor == "sqlite":
        name = connection.settings_dict["NAME"]
        assert name and ":memory:" not in name and "mode=memory" not in name, (
            "The SQLite test database must be a file for threads to share it."
        )


@pytest.mark.django_db(transaction=True)
def test_fifty_concurrent_registrations_for_ten_seats_give_ten_seats_and_forty_waiting(
    on_a_database_file,
):
    group = GroupFactory(visibility="closed")
    organiser = member_of(group, Role.ADMIN)
    start = (timezone.now() + timedelta(days=7)).replace(second=0, microsecond=0)
    event = services.event_create(
        group=group,
        by=organiser,
        announce=False,
        kind="meetup",
        title_en="Ten seats",
        starts_at=start,
        ends_at=start + timedelta(hours=2),
        time_zone="Europe/Zurich",
        capacity=SEATS,
    )
    people = UserFactory.create_batch(PEOPLE, verified=False)
    Membership.objects.bulk_create(Membership(group=group, user=user) for user in people)

    start_together = threading.Barrier(PEOPLE)
    errors, connection_ids = [], set()

    def register(user_id):
        try:
            user = User.objects.get(pk=user_id)
            the_event = Event.objects.get(pk=event.pk)
            connection_ids.add(id(connections["default"].connection))
            start_together.wait(timeout=30)
            services.registration_set(event=the_event, user=user, status="going", notify=False)
        except Exception as error:  # reported below, with the thread's traceback lost
            errors.append(repr(error))
        finally:
            close_old_connections()
            connections.close_all()

    threads = [threading.Thread(target=register, args=(user.pk,)) for user in people]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=60)

    assert errors == []
    assert len(connection_ids) == PEOPLE  # one connection per thread, truly concurrent
    statuses = list(Registration.objects.filter(event=event).values_list("status", flat=True))
    assert statuses.count("going") == SEATS
    assert statuses.count("waitlisted") == PEOPLE - SEATS
    event.refresh_from_db()
    assert (event.going_count, event.waitlist_count) == (SEATS, PEOPLE - SEATS)
