"""Rate limits (goingsolo/core/rate_limits.py): each limit of the instance's table trips at
its count + 1, per member or per address; over it, a translated 429 page with Retry-After,
and a form refused for speed comes back with what was typed. Counted in the real caches:
the database cache of the embedded run (every test here) and Redis."""

import os
import subprocess
import sys
import threading
import time
import uuid
from concurrent.futures import ThreadPoolExecutor

import pytest
import redis
from django.core.cache import cache
from django.core.management import call_command
from django.db import connections
from django.test import RequestFactory
from django.urls import reverse
from django.utils import translation

from config import settings as instance_settings
from goingsolo.core import rate_limits
from goingsolo.core.rate_limits import Rate, hit, parse_rates
from goingsolo.discussions import services
from goingsolo.discussions.models import Post, Thread
from goingsolo.groups.models import Membership
from tests.factories import GroupFactory, UserFactory, member_of
from tests.support import IN_CI, database_url_for_processes

pytestmark = pytest.mark.django_db

DATABASE_CACHE = {
    "default": {"BACKEND": "goingsolo.core.cache.DatabaseCache", "LOCATION": "goingsolo_cache"}
}
REDIS_URL = "redis://127.0.0.1:6379/0"
PASSWORD = "a long and unusual passphrase"


@pytest.fixture(autouse=True)
def limits(settings, django_db_blocker):
    """The instance's table (the suite otherwise turns limits off), counted in the
    database cache, empty before and after each test."""
    settings.CACHES = DATABASE_CACHE
    settings.GOINGSOLO_RATE_LIMITS = dict(instance_settings.GOINGSOLO_RATE_LIMITS)
    settings.ACCOUNT_RATE_LIMITS = dict(instance_settings.ACCOUNT_RATE_LIMITS)
    with django_db_blocker.unblock():
        call_command("createcachetable", verbosity=0)
        cache.clear()
    yield settings.GOINGSOLO_RATE_LIMITS
    with django_db_blocker.unblock():
        cache.clear()


def subject_of(per, n=0):
    """What a rate per PER counts, the Nth of its kind."""
    return {
        "user": {"user": UserFactory.build(pk=10_000 + n)},
        "ip": {"ip": f"192.0.2.{n + 1}"},
        "key": {"key": f"sender{n}@example.org"},
    }[per]


# --- The table ------------------------------------------------------------------------------


def test_the_defaults_are_discourse_like():
    table = instance_settings.GOINGSOLO_RATE_LIMITS
    assert parse_rates(table["signup"]) == [Rate(3, 3600, "ip")]
    assert parse_rates(table["post"]) == [Rate(1, 5, "user")]
    assert parse_rates(table["post_new_member"]) == [Rate(1, 30, "user")]
    assert {"login", "reset_password", "search", "flag", "inbound_email", "api"} <= set(table)
    # allauth reads its limits from the same table.
    assert instance_settings.ACCOUNT_RATE_LIMITS["signup"] == table["signup"]
    assert instance_settings.ACCOUNT_RATE_LIMITS["login"] == table["login"]


@pytest.mark.parametrize(
    ("text", "rates"),
    [
        ("1/5s/user,60/m/ip", [Rate(1, 5, "user"), Rate(60, 60, "ip")]),
        ("5/5m/key", [Rate(5, 300, "key")]),
        ("20/d/user", [Rate(20, 86400, "user")]),
        ("", []),
    ],
)
def test_rates_are_read_in_allauths_syntax(text, rates):
    assert parse_rates(text) == rates


@pytest.mark.parametrize("text", ["5/m", "0/m/ip", "5/x/ip", "5/m/group", "five/m/ip"])
def test_a_mistyped_rate_is_refused(text):
    with pytest.raises(ValueError, match="is not a rate"):
        parse_rates(text)


def instance_process(tmp_path, script, **variables):
    """Runs SCRIPT in a process of the instance's own settings (config.settings: the
    database cache) on the test database; its CompletedProcess."""
    environment = {
        name: value
        for name, value in os.environ.items()
        if not name.startswith(("DATABASE_URL", "GOINGSOLO_", "PYTEST", "DJANGO_"))
    }
    environment.update(
        DJANGO_SETTINGS_MODULE="config.settings",
        DATABASE_URL=database_url_for_processes(),
        GOINGSOLO_DATA_DIR=str(tmp_path),
        **variables,
    )
    return subprocess.run(
        [sys.executable, "-c", "import django; django.setup()\n" + script],
        env=environment,
        capture_output=True,
        text=True,
        timeout=120,
    )


def test_the_environment_replaces_entries_and_a_bad_value_stops_the_process(tmp_path):
    script = (
        "from django.conf import settings\n"
        "print(settings.GOINGSOLO_RATE_LIMITS['search'], settings.GOINGSOLO_RATE_LIMITS['post'])"
    )
    done = instance_process(tmp_path, script, GOINGSOLO_RATE_LIMITS='{"search": "5/m/ip"}')
    assert done.stdout.split() == ["5/m/ip", "1/5s/user"], done.stderr
    done = instance_process(tmp_path, script, GOINGSOLO_RATE_LIMITS='{"search": "5 a minute"}')
    assert done.returncode != 0
    assert "GOINGSOLO_RATE_LIMITS['search']" in done.stderr


# --- Counting -------------------------------------------------------------------------------


OWN_LIMITS = ["post", "post_new_member", "search", "flag", "inbound_email", "api"]


@pytest.mark.parametrize("name", OWN_LIMITS)
def test_each_limit_trips_at_its_count_plus_one(limits, name):
    for rate in parse_rates(limits[name]):
        subject = subject_of(rate.per)
        assert [hit(name, **subject) for _ in range(rate.count)] == [None] * rate.count
        wait = hit(name, **subject)
        assert wait is not None and 0 < wait <= rate.seconds
        # Someone else is not held back.
        assert hit(name, **subject_of(rate.per, n=1)) is None


def test_per_member_and_per_address_count_apart(limits):
    limits["search"] = "2/m/user,3/m/ip"
    marie, tom, lea = (UserFactory.build(pk=pk) for pk in (1, 2, 3))
    # Each member has their own two searches, wherever they search from…
    assert hit("search", user=marie, ip="192.0.2.7") is None
    assert hit("search", user=marie, ip="192.0.2.7") is None
    assert hit("search", user=marie, ip="192.0.2.8") is not None
    assert hit("search", user=tom, ip="192.0.2.8") is None
    # …and an address its three, whoever uses it.
    assert hit("search", user=tom, ip="192.0.2.7") is None
    assert hit("search", user=lea, ip="192.0.2.7") is not None
    assert hit("search", ip="192.0.2.9") is None


def test_an_ipv6_address_counts_with_its_64(limits):
    limits["signup"] = "1/m/ip"
    assert hit("signup", ip="2001:db8::1") is None
    assert hit("signup", ip="2001:db8::ffff:2") is not None
    assert hit("signup", ip="2001:db8:0:1::1") is None


def test_the_window_ends_after_its_period_in_the_database_cache(limits):
    # Django's own incr on the database cache would give the counter a 5-minute life.
    limits["flag"] = "1/1s/user"
    marie = UserFactory.build(pk=3)
    assert hit("flag", user=marie) is None
    assert hit("flag", user=marie) == 1
    # The database cache keeps expiry times to the second.
    time.sleep(2.1)
    assert hit("flag", user=marie) is None


@pytest.mark.django_db(transaction=True)
def test_concurrent_requests_cannot_all_pass(limits):
    """Threads with connections of their own, as web processes sharing the database."""

    limits["api"] = "3/m/ip"
    starting = threading.Barrier(8)
    answers = []

    def request():
        starting.wait()
        try:
            answers.append(hit("api", ip="198.51.100.4"))
        finally:
            connections.close_all()

    threads = [threading.Thread(target=request) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(answers) == 8
    assert answers.count(None) == 3


@pytest.mark.django_db(transaction=True)
def test_two_processes_share_the_counters(tmp_path):
    """Two processes of the instance (web processes, the worker, the listener) count in
    the same database cache, starting together."""
    start = time.time() + 4
    script = (
        "import time\n"
        "from goingsolo.core.rate_limits import hit\n"
        f"time.sleep(max(0, {start} - time.time()))\n"
        "print(*(hit('api', ip='203.0.113.9') is None for _ in range(5)))"
    )
    with ThreadPoolExecutor(2) as pool:
        runs = list(
            pool.map(
                lambda _: instance_process(
                    tmp_path, script, GOINGSOLO_RATE_LIMITS='{"api": "5/m/ip"}'
                ),
                range(2),
            )
        )
    answers = [word for run in runs for word in run.stdout.split()]
    assert len(answers) == 10, [run.stderr for run in runs]
    assert answers.count("True") == 5


def redis_answers():
    try:
        return redis.Redis.from_url(REDIS_URL, socket_connect_timeout=0.5).ping()
    except redis.RedisError:
        return False


@pytest.mark.skipif(not IN_CI and not redis_answers(), reason=f"no Redis at {REDIS_URL}")
def test_limits_count_in_redis(settings, limits):
    # A prefix of its own: other users of this Redis keep their keys (no clear()).
    settings.CACHES = {
        "default": {
            "BACKEND": "django.core.cache.backends.redis.RedisCache",
            "LOCATION": REDIS_URL,
            "KEY_PREFIX": f"test-rate-limits-{uuid.uuid4().hex}",
        }
    }
    limits["api"] = "2/2s/user"
    marie = UserFactory.build(pk=4)
    assert hit("api", user=marie) is None
    assert hit("api", user=marie) is None
    assert 0 < hit("api", user=marie) <= 2
    time.sleep(2.1)
    assert hit("api", user=marie) is None


# --- Over the limit on the web --------------------------------------------------------------


@pytest.fixture
def group(db):
    return GroupFactory(name="Going Solo", slug="going-solo")


def basic(member, group):
    """A member the group no longer counts as new (a moderator approved a contribution)."""
    Membership.objects.filter(user=member, group=group).update(approvals=1)
    return member


def new_thread(client, group, title="Pricing a translation", body="How do you set rates?"):
    return client.post(
        reverse("discussions:thread_create", args=[group.slug]), {"title": title, "body": body}
    )


def reply(client, thread, body, **headers):
    return client.post(
        reverse("discussions:reply", args=[thread.group.slug, thread.pk]), {"body": body}, **headers
    )


def test_a_member_posts_at_most_every_five_seconds_and_keeps_the_text(client, group):
    marie = basic(member_of(group), group)
    client.force_login(marie)
    assert new_thread(client, group).status_code == 302
    thread = Thread.objects.get()
    response = reply(client, thread, "My carefully written answer about day rates.")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 5
    page = response.content.decode()
    assert "You are going a little fast: nothing was sent." in page
    assert "My carefully written answer about day rates." in page
    assert Post.objects.count() == 1


def test_a_new_member_waits_thirty_seconds(client, group):
    newcomer = member_of(group)
    client.force_login(newcomer)
    assert new_thread(client, group).status_code == 302
    response = new_thread(client, group, title="Second thought", body="Another question")
    assert response.status_code == 429
    assert 5 < int(response["Retry-After"]) <= 30
    page = response.content.decode()
    assert "Second thought" in page and "Another question" in page
    assert Thread.objects.count() == 1


def test_a_reply_refused_for_speed_in_french_with_htmx(client, group):
    marie = basic(member_of(group, language="fr"), group)
    thread = services.thread_start(group=group, author=marie, title="Tarifs", body="Vos tarifs ?")
    client.force_login(marie)
    assert reply(client, thread.post.thread, "Premier.", HTTP_HX_REQUEST="true").status_code == 200
    response = reply(client, thread.post.thread, "Ma réponse soignée.", HTTP_HX_REQUEST="true")
    assert response.status_code == 429
    assert response["HX-Retarget"] == "#reply"
    page = response.content.decode()
    assert "Vous allez un peu vite\u00a0: rien n’a été envoyé." in page
    assert "Ma réponse soignée." in page


def test_a_post_the_service_refused_does_not_count(client, group):
    marie = basic(member_of(group), group)
    client.force_login(marie)
    assert new_thread(client, group, title=" ").status_code == 200
    assert new_thread(client, group).status_code == 302


def test_searches_over_the_limit_keep_the_query(client, limits):
    limits["search"] = "2/m/ip"
    url = reverse("groups:search")
    for _ in range(2):
        assert client.get(url, {"q": "tarifs"}, HTTP_ACCEPT_LANGUAGE="fr").status_code == 200
    response = client.get(url, {"q": "tarifs journaliers"}, HTTP_ACCEPT_LANGUAGE="fr")
    assert response.status_code == 429
    assert 0 < int(response["Retry-After"]) <= 60
    page = response.content.decode()
    assert 'value="tarifs journaliers"' in page
    assert "Vous allez un peu vite" in page
    # Another address searches on.
    assert client.get(url, {"q": "tarifs"}, REMOTE_ADDR="192.0.2.50").status_code == 200


def test_the_429_page_is_translated_and_says_how_long(limits):
    limits["flag"] = "1/h/user"
    flag = rate_limits.rate_limited("flag")(lambda request: "flagged")
    request = RequestFactory().post("/flag/")
    request.user = UserFactory()
    translation.activate("fr")
    assert flag(request) == "flagged"
    response = flag(request)
    assert response.status_code == 429
    assert 3500 < int(response["Retry-After"]) <= 3600
    page = response.content.decode()
    assert "Trop de tentatives en peu de temps" in page
    assert "Patientez 1 heure, puis réessayez." in page


# --- allauth's limits, from the same table --------------------------------------------------


def signup(client, email):
    return client.post(
        reverse("account_signup"),
        {"email": email, "password1": PASSWORD, "password2": PASSWORD, "display_name": "Sam"},
        HTTP_ACCEPT_LANGUAGE="fr",
    )


def test_three_sign_ups_an_hour_from_one_address(client):
    assert [signup(client, f"sam{n}@example.org").status_code for n in range(3)] == [302] * 3
    response = signup(client, "sam3@example.org")
    assert response.status_code == 429
    assert "Trop de tentatives en peu de temps" in response.content.decode()
    assert signup(client, "sam4@example.org").status_code == 429
    client.defaults["REMOTE_ADDR"] = "192.0.2.60"
    assert signup(client, "sam5@example.org").status_code == 302


def test_password_resets_for_one_address_are_limited(client):
    member = UserFactory()
    url = reverse("account_reset_password")
    answers = [client.post(url, {"email": member.email}).status_code for _ in range(4)]
    assert answers == [302, 302, 302, 429]


def test_logins_from_one_address_are_limited_the_admins_too(client):
    UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    login = f"{reverse('account_login')}?next={reverse('admin:index')}"
    answers = [
        client.post(login, {"login": f"guess{n}@example.org", "password": "guess"}).status_code
        for n in range(31)
    ]
    assert answers == [200] * 30 + [429]
    # The right password (the factory's) too.
    right = {"login": "admin@example.org", "password": "correct horse battery staple"}
    assert client.post(login, right).status_code == 429
