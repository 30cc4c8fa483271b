"""The demo's accounts: every person of goingsolo/demo/content/people.py."""

from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth.hashers import make_password

from goingsolo.accounts.models import User
from goingsolo.demo.content.groups import GROUPS
from goingsolo.demo.content.people import CITIES, DEMO_PASSWORD, NOT_MEMBERS, PEOPLE, STEPHANIE

# A progress line every so many accounts.
PROGRESS_EVERY = 12


def add_people(demo):
    """Every person of the demo, with a verified primary address and the demo password.

    No service makes accounts (sign-up is allauth's): each is saved as sign-up saves it,
    so `User.save` gives it its handle, and its address is marked verified.
    """
    existing = set(
        User.objects.filter(email__in=[person.email for person in PEOPLE]).values_list(
            "email", flat=True
        )
    )
    # One hash for everyone: hashing is slow on purpose, and they share the password.
    password = make_password(DEMO_PASSWORD)
    rng = demo.random("people")
    founded = demo.now - timedelta(days=GROUPS[0].created_days_ago)
    new = [person for person in PEOPLE if person.email not in existing]
    for number, person in enumerate(new, start=1):
        country, time_zone = CITIES[person.city]
        if person is STEPHANIE:
            joined = founded
        elif person in NOT_MEMBERS:
            joined = demo.now - timedelta(days=rng.randint(1, 20), minutes=rng.randint(0, 1440))
        else:
            joined = founded + timedelta(
                days=rng.randint(1, GROUPS[0].created_days_ago - 30), minutes=rng.randint(0, 1440)
            )
        User.objects.create(
            email=person.email,
            password=password,
            display_name=person.name,
            bio=person.bio,
            city=person.city,
            country=country,
            time_zone=time_zone,
            spoken_languages=list(person.languages),
            language=person.interface,
            website=person.website,
            skills=person.skills,
            open_to_work=person.open_to_work,
            date_joined=joined,
        )
        if number % PROGRESS_EVERY == 0 or number == len(new):
            demo.progress(len(existing) + number, len(PEOPLE))
    if not new:
        demo.progress(len(PEOPLE), len(PEOPLE))

    users = {user.email: user for user in User.objects.filter(email__in=[p.email for p in PEOPLE])}
    demo.users.update({person.key: users[person.email] for person in PEOPLE})
    verified = set(
        EmailAddress.objects.filter(user__in=users.values()).values_list("email", flat=True)
    )
    for email, user in users.items():
        if email not in verified:
            EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
