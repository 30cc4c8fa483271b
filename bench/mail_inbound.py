"""Inbound mail throughput: messages stored and processed per second, on SQLite and PostgreSQL.

    .venv/bin/python bench/mail_inbound.py [--messages 1000] [--postgres URL | --no-postgres]

For each database, in a fresh database (a temporary SQLite file; a `goingsolo_bench_inbound`
database created next to URL's and dropped afterwards), with the database job backend and
the database cache of a real instance:

1. a group of 200 members, each with a verified address, and 50 threads;
2. N messages of a realistic mix, made beforehand: replies by token (Gmail and Outlook
   shapes, 50 %), new threads (15 %), out-of-office replies (15 %), strangers (10 %),
   delivery reports on the return path (10 %);
3. each message is stored as the listener stores it (the row and its job) and processed
   as the worker would (`inbound_process`), one after the other, by one process, then by
   P processes sharing the messages (what P listener-and-worker pairs sustain, as in
   production where listeners and workers run side by side).

Prints, for each run, messages per second, the median and 99th-percentile time per
message, the CPU time per message in the benchmark's processes (the database server's is
not counted), and the outcomes. The target is 50 messages per second on each database (its
best run); the exit status is 1 when one misses it. The rate limit is raised
for the run, as 200 members share 1000 posts.
"""

import argparse
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import urlparse, urlunparse

ROOT = Path(__file__).resolve().parent.parent
TARGET_PER_SECOND = 50
DEFAULT_POSTGRES = "postgres://postgres@127.0.0.1:5432/goingsolo"
BENCH_DATABASE = "goingsolo_bench_inbound"


def say(*parts):
    print(*parts, flush=True)


# --- Parent: one child process per database ----------------------------------------------


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--postgres", default=os.environ.get("BENCH_POSTGRES", DEFAULT_POSTGRES))
    parser.add_argument("--no-postgres", action="store_true")
    parser.add_argument("--no-sqlite", action="store_true")
    parser.add_argument(
        "--processes", default="1,4", help="comma-separated process counts (default 1,4)"
    )
    parser.add_argument("--child", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        return child(args.child, args.messages, [int(p) for p in args.processes.split(",")])

    runs = []
    with tempfile.TemporaryDirectory() as folder:
        if not args.no_sqlite:
            runs.append(("SQLite", f"sqlite:///{folder}/bench.sqlite3", folder))
        if not args.no_postgres:
            url = urlparse(args.postgres)
            runs.append(("PostgreSQL", urlunparse(url._replace(path=f"/{BENCH_DATABASE}")), folder))
        results = []
        for name, database_url, data_dir in runs:
            if name == "PostgreSQL" and not _create_postgres(args.postgres):
                say(f"{name}: skipped, no server at {args.postgres}")
                continue
            try:
                env = {
                    **os.environ,
                    "DATABASE_URL": database_url,
                    "GOINGSOLO_DATA_DIR": data_dir,
                    "GOINGSOLO_TASK_BACKEND": "django_tasks_db.DatabaseBackend",
                    "DJANGO_SETTINGS_MODULE": "config.settings",
                    "LOG_LEVEL": "WARNING",
                }
                env.pop("REDIS_URL", None)
                command = [sys.executable, __file__, "--child", name]
                command += ["--messages", str(args.messages), "--processes", args.processes]
                output = subprocess.run(
                    command,
                    env=env,
                    cwd=ROOT,
                    check=True,
                    capture_output=True,
                    text=True,
                ).stdout
                for line in output.strip().splitlines():
                    result = json.loads(line)
                    results.append(result)
                    report(result)
            except subprocess.CalledProcessError as error:
                say(f"{name}: the run failed\n{error.stderr[-3000:]}")
                return 2
            finally:
                if name == "PostgreSQL":
                    _drop_postgres(args.postgres)
    best = {}
    for result in results:
        if result["per_second"] > best.get(result["database"], {"per_second": 0})["per_second"]:
            best[result["database"]] = result
    missed = [r for r in best.values() if r["per_second"] < TARGET_PER_SECOND]
    say(
        f"\nTarget: {TARGET_PER_SECOND} messages/s on each database — "
        + ("met." if not missed else "MISSED on " + ", ".join(r["database"] for r in missed))
    )
    return 1 if missed else 0


def report(result):
    processes = result["processes"]
    say(
        f"\n== {result['database']}: {result['messages']} messages, "
        f"{processes} process{'es' if processes > 1 else ''}"
    )
    say(f"  throughput       {result['per_second']:8.1f} messages/s (store + process)")
    say(f"  per message      median {result['median_ms']:.1f} ms, p99 {result['p99_ms']:.1f} ms")
    say(f"  store only       median {result['store_median_ms']:.1f} ms")
    say(f"  CPU per message  {result['cpu_ms']:.1f} ms (benchmark processes)")
    outcomes = ", ".join(f"{k} {v}" for k, v in sorted(result["outcomes"].items()))
    say(f"  outcomes         {outcomes}")


def _admin_connection(url):
    import psycopg

    parsed = urlparse(url)
    return psycopg.connect(
        host=parsed.hostname or "127.0.0.1",
        port=parsed.port or 5432,
        user=parsed.username or "postgres",
        password=parsed.password or None,
        dbname="postgres",
        autocommit=True,
        connect_timeout=5,
    )


def _create_postgres(url):
    try:
        with _admin_connection(url) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE}")
            connection.execute(f"CREATE DATABASE {BENCH_DATABASE}")
        return True
    except Exception as error:
        say(f"PostgreSQL: {error}")
        return False


def _drop_postgres(url):
    try:
        with _admin_connection(url) as connection:
            connection.execute(f"DROP DATABASE IF EXISTS {BENCH_DATABASE} WITH (FORCE)")
    except Exception as error:
        say(f"PostgreSQL: could not drop {BENCH_DATABASE}: {error}")


# --- Child: one database ------------------------------------------------------------------


def child(database, count, process_counts):
    sys.path.insert(0, str(ROOT))
    import multiprocessing

    import django

    django.setup()
    from django.conf import settings
    from django.core.management import call_command
    from django.db import connections

    call_command("migrate", verbosity=0)
    call_command("createcachetable", verbosity=0)
    settings.GOINGSOLO_MAIL_POSTS_PER_HOUR = 1_000_000

    for processes in process_counts:
        made = _world_and_messages(count, prefix=f"p{processes}")
        connections.close_all()  # each process opens its own
        slices = [made[n::processes] for n in range(processes)]
        started = time.perf_counter()
        if processes == 1:
            parts = [_run(slices[0])]
        else:
            with multiprocessing.get_context("fork").Pool(processes) as pool:
                parts = pool.map(_run, slices)
        elapsed = time.perf_counter() - started
        durations = sorted(d for part in parts for d in part["durations"])
        store = [d for part in parts for d in part["store"]]
        outcomes = {}
        for part in parts:
            for key, value in part["outcomes"].items():
                outcomes[key] = outcomes.get(key, 0) + value
        print(
            json.dumps(
                {
                    "database": database,
                    "processes": processes,
                    "messages": count,
                    "per_second": count / elapsed,
                    "median_ms": statistics.median(durations) * 1000,
                    "p99_ms": durations[max(int(len(durations) * 0.99) - 1, 0)] * 1000,
                    "store_median_ms": statistics.median(store) * 1000,
                    "cpu_ms": sum(part["cpu"] for part in parts) / count * 1000,
                    "outcomes": outcomes,
                }
            ),
            flush=True,
        )
    return 0


def _run(messages):
    """Stores and processes MESSAGES one after the other, as a listener and a worker."""
    from goingsolo.mail.inbound.routing import inbound_process
    from goingsolo.mail.inbound.services import inbound_store

    durations, store, outcomes = [], [], {}
    cpu = time.process_time()
    for recipient, raw in messages:
        begin = time.perf_counter()
        stored = inbound_store(raw=raw, mail_from="sender@example.org", recipients=[recipient])
        stored_at = time.perf_counter()
        processed = inbound_process(stored.pk)
        durations.append(time.perf_counter() - begin)
        store.append(stored_at - begin)
        key = f"{processed.kind or '-'}:{processed.status}"
        outcomes[key] = outcomes.get(key, 0) + 1
    return {
        "durations": durations,
        "store": store,
        "outcomes": outcomes,
        "cpu": time.process_time() - cpu,
    }


def _world_and_messages(count, prefix):
    """A group, its members and threads (new ones for each run), and COUNT messages."""
    import random

    from allauth.account.models import EmailAddress
    from django.conf import settings

    from goingsolo.accounts.models import User
    from goingsolo.discussions.services import thread_start
    from goingsolo.groups.models import Group, Membership, Role
    from goingsolo.mail.reply_tokens import bounce_address, reply_address
    from tests.mail.inbound_support import (
        delivery_report,
        gmail_french_reply,
        outlook_english_reply,
        plain_message,
    )

    random.seed(7)
    group = Group.objects.create(name=f"Going Solo {prefix}", slug=f"going-solo-{prefix}")
    members = User.objects.bulk_create(
        User(
            email=f"{prefix}.member{n}@example.org",
            display_name=f"Member {n}",
            handle=f"{prefix}.member{n}",
        )
        for n in range(200)
    )
    EmailAddress.objects.bulk_create(
        EmailAddress(user=user, email=user.email, verified=True, primary=True) for user in members
    )
    Membership.objects.bulk_create(
        Membership(group=group, user=user, role=Role.MEMBER) for user in members
    )
    threads = [
        thread_start(
            group=group, author=members[n], title=f"Sujet {n}", body=f"Premier message {n}"
        ).post.thread
        for n in range(50)
    ]
    group_address = f"{group.slug}@{settings.GOINGSOLO_MAIL_DOMAIN}"
    made = []
    for n in range(count):
        member = random.choice(members)
        roll = random.random()
        if roll < 0.25:
            thread = random.choice(threads)
            message = gmail_french_reply(
                sender=member.email,
                to=reply_address(thread, member),
                subject=thread.title,
                new_text=f"Réponse numéro {n}, avec un peu de texte.",
            )
            made.append((reply_address(thread, member), message.as_bytes()))
        elif roll < 0.50:
            thread = random.choice(threads)
            message = outlook_english_reply(
                sender=member.email,
                to=reply_address(thread, member),
                subject=thread.title,
                new_text=f"Reply number {n}, with a little text.",
            )
            made.append((reply_address(thread, member), message.as_bytes()))
        elif roll < 0.65:
            message = plain_message(
                sender=member.email, to=group_address, subject=f"New thread {n}", body="Hello!"
            )
            made.append((group_address, message.as_bytes()))
        elif roll < 0.80:
            message = plain_message(
                sender=member.email,
                to=group_address,
                subject="Réponse automatique : absent",
                headers={"Auto-Submitted": "auto-replied"},
            )
            made.append((group_address, message.as_bytes()))
        elif roll < 0.90:
            message = plain_message(sender=f"{prefix}.stranger{n}@example.net", to=group_address)
            made.append((group_address, message.as_bytes()))
        else:
            made.append(
                (
                    bounce_address(member),
                    delivery_report(to=bounce_address(member), recipient=member.email),
                )
            )
    return made


if __name__ == "__main__":
    sys.exit(main())
