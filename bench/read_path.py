"""The read path against bare Django: requests per second of the pages members read most.

    .venv/bin/python bench/read_path.py [--seconds 5] [--keep] [--only thread]

Seeds 5,000 threads and 50,000 posts in 20 groups with the seeding of
`bench/discussions.py` (each group has one thread of 200 replies; the member measured
belongs to 10 of them), on SQLite in a data folder of its own. Then, in one pass:

1. **Served**: each page is served by granian (WSGI, 2 worker processes, one request at a
   time each), and two client threads of this process ask for it in a loop, a new
   connection each time, for --seconds: requests per second. The yardstick is a bare Django project
   (`bench/bare/`: startproject's middleware, one query, a small template) served the same
   way, on the same database, at the same time, and measured right before and right after
   each page: a page's ratio is its rate over the mean of those two (a shared machine's
   speed drifts over a minute, far less over a few seconds).
2. **In process**: each page through Django's test client, CPU time of this thread per
   request (median), the Python function calls it makes (counted by cProfile: a figure
   that, unlike time, does not drift with the machine), its queries and its size.

Each page is read by three readers: a visitor without an account (served the page kept
for visitors, core/page_cache.py), a visitor's *first read* (an address never asked
before, so the page is rendered: what it costs after each write), and a member.

It prints one table. Targets (issue 16): thread page and group
thread list >= 0.5 of bare for both; anonymous home page and group list >= 0.8; a member's
home page >= 0.5.
"""

import argparse
import http.client
import importlib.util
import itertools
import os
import signal
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

# The seeding of bench/discussions.py, loaded as a module (bench/ is not a package).
_spec = importlib.util.spec_from_file_location(
    "bench_discussions", ROOT / "bench" / "discussions.py"
)
seeding = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(seeding)
seeding.KEEP_DIR = ROOT / "data" / "bench-read-path"

# Requests counted under cProfile for the "Python calls" column (see in_process).
CALL_COUNT_REQUESTS = 5

TARGETS = {
    ("thread", "anonymous"): 0.5,
    ("thread", "member"): 0.5,
    ("threads", "anonymous"): 0.5,
    ("threads", "member"): 0.5,
    ("home", "anonymous"): 0.8,
    ("home", "member"): 0.5,
    ("groups", "anonymous"): 0.8,
}


def parse_args():
    parser = argparse.ArgumentParser(
        description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter
    )
    parser.add_argument("--threads", type=int, default=5_000)
    parser.add_argument("--posts", type=int, default=50_000, help="opening posts included")
    parser.add_argument("--groups", type=int, default=20)
    parser.add_argument("--seconds", type=float, default=5.0, help="load per page and reader")
    parser.add_argument("--runs", type=int, default=40, help="in-process requests per page")
    parser.add_argument("--keep", action="store_true", help="keep and reuse the seeded data")
    parser.add_argument(
        "--only", default="", help="measure only pages whose key contains this (thread, home…)"
    )
    parser.add_argument("--no-serve", action="store_true", help="in-process figures only")
    parser.add_argument(
        "--profile",
        action="store_true",
        help="print each measured page's cProfile (top functions by own time), then stop",
    )
    args = parser.parse_args()
    # What bench/discussions.py's seeding reads.
    args.database_url = ""
    args.warmup = 3
    return args


# --- Pages --------------------------------------------------------------------------------


def pages():
    """(key, label, URL) of each page, in the order of the table."""
    from goingsolo.discussions.models import Thread
    from goingsolo.groups.models import Group

    group = Group.objects.get(slug="bench-1")
    thread = (
        Thread.objects.filter(group=group, post_count=seeding.BIG_THREAD_REPLIES + 1)
        .order_by("pk")
        .first()
    )
    return [
        ("home", "home page", "/"),
        ("groups", "group list", "/groups/"),
        ("threads", "group thread list, first page", group.get_absolute_url()),
        ("thread", "thread page, 200 replies, first page", thread.get_absolute_url()),
    ]


def member_session_cookie():
    """A session cookie for the measured member, made as a login would."""
    from django.conf import settings
    from django.contrib.auth import BACKEND_SESSION_KEY, HASH_SESSION_KEY, SESSION_KEY

    from goingsolo.accounts.models import User
    from goingsolo.accounts.sessions import SessionStore

    member = User.objects.get(email="member0@bench.example")
    session = SessionStore()
    session[SESSION_KEY] = str(member.pk)
    session[BACKEND_SESSION_KEY] = settings.AUTHENTICATION_BACKENDS[0]
    session[HASH_SESSION_KEY] = member.get_session_auth_hash()
    session.create()
    return member, f"{settings.SESSION_COOKIE_NAME}={session.session_key}"


# --- Serving ------------------------------------------------------------------------------


def free_port():
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """granian serving a WSGI application with 2 workers, in its own process group."""

    def __init__(self, target, settings_module):
        self.port = free_port()
        env = {**os.environ, "DJANGO_SETTINGS_MODULE": settings_module, "PYTHONPATH": str(ROOT)}
        granian = Path(sys.executable).with_name("granian")
        self.process = subprocess.Popen(
            [
                str(granian),
                "--interface",
                "wsgi",
                "--workers",
                "2",
                "--blocking-threads",
                "1",
                "--host",
                "127.0.0.1",
                "--port",
                str(self.port),
                "--log-level",
                "warning",
                target,
            ],
            cwd=ROOT,
            env=env,
            start_new_session=True,
        )
        self.wait_ready()

    def wait_ready(self):
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise SystemExit(f"granian stopped at start (status {self.process.returncode})")
            try:
                status, _ = get(self.port, "/", None)
                if status < 500:
                    return
            except OSError:
                time.sleep(0.2)
        raise SystemExit("granian did not answer within 60 s")

    def stop(self):
        os.killpg(self.process.pid, signal.SIGTERM)
        try:
            self.process.wait(10)
        except subprocess.TimeoutExpired:
            os.killpg(self.process.pid, signal.SIGKILL)


def get(port, url, cookie, connection=None):
    own = connection is None
    connection = connection or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    headers = {"Host": "localhost", "Accept-Language": "en"}
    if cookie:
        headers["Cookie"] = cookie
    connection.request("GET", url, headers=headers)
    response = connection.getresponse()
    body = response.read()
    if own:
        connection.close()
    return response.status, body


def addresses(url, first_read):
    """The address of each request: URL, or, for a first read, URL with a query that was
    never asked before, so that no page kept for visitors answers it (core/page_cache.py)."""
    if not first_read:
        return lambda: url
    numbers = itertools.count()
    return lambda: f"{url}?first={next(numbers)}"


def rate(port, url, cookie, seconds, clients=2, first_read=False):
    """Requests per second from `clients` threads, each one request at a time."""
    address = addresses(url, first_read)
    counts = [0] * clients
    errors = []
    stop_at = time.monotonic() + seconds

    def client(index):
        # A connection per request: a kept-alive connection stays with the worker that
        # accepted it, and two of them on the same worker left the other one idle (the
        # yardstick itself then swung between 370 and 730 requests/s). A new connection
        # is accepted by whichever worker is free.
        while time.monotonic() < stop_at:
            status, _ = get(port, address(), cookie)
            if status != 200:
                errors.append(status)
                return
            counts[index] += 1

    for _ in range(6):  # warm both workers' caches
        get(port, address(), cookie)
    began = time.monotonic()
    workers = [threading.Thread(target=client, args=(index,)) for index in range(clients)]
    for worker in workers:
        worker.start()
    for worker in workers:
        worker.join()
    if errors:
        raise SystemExit(f"{url} answered {errors[0]}")
    return sum(counts) / (time.monotonic() - began)


# --- In process ---------------------------------------------------------------------------


def in_process(url, member, runs, first_read=False):
    """(CPU ms median, queries, bytes, Python calls) of one page through the test client.

    The calls are counted by cProfile over a few requests: unlike time, the count does not
    drift with the virtual machine's speed, so two versions of the code compare on it from
    runs an hour apart."""
    import cProfile
    import pstats

    from django.test import Client

    address = addresses(url, first_read)
    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="localhost")
    if member:
        client.force_login(member)
    for _ in range(3):
        response = client.get(address())
    assert response.status_code == 200, (url, response.status_code)
    queries = seeding.logged_get(client, address())
    cpus = []
    for _ in range(runs):
        address_now = address()
        began = time.thread_time()
        client.get(address_now)
        cpus.append(time.thread_time() - began)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(CALL_COUNT_REQUESTS):
        client.get(address())
    profiler.disable()
    calls = pstats.Stats(profiler).total_calls / CALL_COUNT_REQUESTS
    return statistics.median(cpus) * 1000, len(queries), len(response.content), calls


def profile(label, reader, url, user, runs):
    """cProfile of `runs` requests of one page: the functions that take the time."""
    import cProfile
    import pstats

    from django.test import Client

    client = Client(HTTP_ACCEPT_LANGUAGE="en", HTTP_HOST="localhost")
    if user:
        client.force_login(user)
    for _ in range(3):
        client.get(url)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(runs):
        client.get(url)
    profiler.disable()
    print(f"\n== {label}, {reader}: {runs} requests")
    stats = pstats.Stats(profiler)
    stats.sort_stats("tottime").print_stats(18)
    stats.sort_stats("cumulative").print_stats(int(os.environ.get("PROFILE_LINES", "30")))


# --- The pass -----------------------------------------------------------------------------


def main():
    args = parse_args()
    cleanup = seeding.configure(args)
    try:
        import django

        django.setup()
        from django.core.management import call_command

        call_command("migrate", interactive=False, verbosity=0)
        call_command("createcachetable", verbosity=0)
        call_command("collectstatic", interactive=False, verbosity=0)
        if args.keep and seeding.seeded(args):
            print("reusing the seeded database (--keep)")
        else:
            if args.keep:
                call_command("flush", interactive=False, verbosity=0)
            print(
                f"seeding {args.threads:,} threads and {args.posts:,} posts in {args.groups} groups"
            )
            seeding.seed(args)
        # Anonymous readers read public groups.
        from goingsolo.groups.models import Group, Visibility

        Group.objects.filter(slug__startswith="bench-").update(visibility=Visibility.PUBLIC)
        seeding.describe()
        member, cookie = member_session_cookie()
        measured = [page for page in pages() if args.only in page[0]]
        # (reader, user, session cookie, first read): a visitor's first read is what a page
        # costs when it is not kept (after a write, or at an address nobody asked yet).
        readers = [
            ("anonymous", None, None, False),
            ("anonymous, first read", None, None, True),
            ("member", member, cookie, False),
        ]

        if args.profile:
            for _key, label, url in measured:
                for reader, user, _cookie, first_read in readers:
                    if not first_read:
                        profile(label, reader, url, user, args.runs)
            return
        print("in process (Django test client, CPU of this thread):", flush=True)
        figures = {}
        for key, label, url in measured:
            for reader, user, _cookie, first_read in readers:
                figures[key, reader] = {"in_process": in_process(url, user, args.runs, first_read)}
                cpu, queries, size, calls = figures[key, reader]["in_process"]
                print(
                    f"  {label:<38} {reader:<21} {cpu:6.1f} ms  {calls / 1000:5.1f}k calls"
                    f"  {queries:2} queries  {size / 1024:5.1f} KiB",
                    flush=True,
                )

        bare_rates = []
        if not args.no_serve:
            from django.db import connections

            connections.close_all()
            # Both served at once, the yardstick measured right before and after each page:
            # a shared machine's speed drifts over a minute, not over a few seconds.
            bare = Server("bench.bare.wsgi:application", "bench.bare.settings")
            site = Server("config.wsgi:application", "config.settings")
            try:
                before = rate(bare.port, "/", None, args.seconds)
                bare_rates.append(before)
                for key, label, url in measured:
                    for reader, _user, reader_cookie, first_read in readers:
                        served = rate(
                            site.port, url, reader_cookie, args.seconds, first_read=first_read
                        )
                        after = rate(bare.port, "/", None, args.seconds)
                        bare_rates.append(after)
                        figures[key, reader]["rate"] = served
                        figures[key, reader]["bare"] = (before + after) / 2
                        print(
                            f"  {label:<38} {reader:<21} {served:7.0f} requests/s"
                            f" (bare Django around it: {before:.0f}, {after:.0f})",
                            flush=True,
                        )
                        before = after
            finally:
                site.stop()
                bare.stop()
        print_table(measured, readers, figures, bare_rates)
    finally:
        cleanup()


def print_table(measured, readers, figures, bare_rates):
    bare = statistics.mean(bare_rates) if bare_rates else None
    print()
    print(
        "granian WSGI, 2 workers each, 2 clients; bare Django: "
        + (
            f"{bare:.0f} requests/s on average ({min(bare_rates):.0f} to {max(bare_rates):.0f});"
            " each ratio is to the mean of the bare measurements just before and after"
            if bare
            else "not served"
        )
        + f"; load average {os.getloadavg()[0]:.1f}"
    )
    print(
        "| page | reader | requests/s | ratio to bare | target | CPU ms in process"
        " | Python calls | queries | KiB |"
    )
    print("| --- | --- | --- | --- | --- | --- | --- | --- | --- |")
    for key, label, _url in measured:
        for reader, *_ in readers:
            figure = figures[key, reader]
            cpu, queries, size, calls = figure["in_process"]
            served = figure.get("rate")
            ratio = served / figure["bare"] if served else None
            target = TARGETS.get((key, reader))
            verdict = ""
            if target is not None and ratio is not None:
                verdict = f"≥ {target} {'ok' if ratio >= target else 'MISSED'}"
            print(
                f"| {label} | {reader} | {served or 0:.0f} | {ratio or 0:.3f} | {verdict} | "
                f"{cpu:.1f} | {calls / 1000:.1f}k | {queries} | {size / 1024:.1f} |"
            )


if __name__ == "__main__":
    main()
