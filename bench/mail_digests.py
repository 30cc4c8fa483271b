"""Digests at scale: 10,000 members of one group, 200 new posts, one daily digest run.

    python bench/mail_digests.py [--members 10000] [--posts 200] [--send 1000]
    DATABASE_URL=postgres://postgres@127.0.0.1:5432/goingsolo python bench/mail_digests.py

It works on a database of its own, made afresh on each run: data/bench-mail.sqlite3, or
with a PostgreSQL DATABASE_URL a database named after it with "_bench_mail" added (never
the instance's). It seeds the members (half in French, half in English, a few hundred who
muted a thread), 200 posts in 40 threads over the last day, then times:

1. queueing: `queue_digests("daily")`, what the schedule's `digests-daily` entry runs for
   the time zones whose morning has come (here for every member at once):
   finding what is new for each member, rendering, storing one OutboundEmail each
   (target: under 60 s for 10,000 members);
2. composing: building every message's bytes as the worker does before sending;
3. sending: the worker's loop (`send_due`) over SMTP to a local aiosmtpd server that
   accepts everything, for --send messages.
"""

import argparse
import os
import random
import socket
import sys
import time
from datetime import timedelta
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
TARGET_SECONDS = 60.0


def bench_database_url():
    url = os.environ.get("DATABASE_URL", "")
    if url.startswith(("postgres://", "postgresql://")):
        parts = urlsplit(url)
        name = (parts.path.lstrip("/") or "goingsolo") + "_bench_mail"
        import psycopg

        admin = parts._replace(path="/postgres")
        with psycopg.connect(
            urlunsplit(admin).replace("postgresql://", "postgres://"), autocommit=True
        ) as db:
            db.execute(f'DROP DATABASE IF EXISTS "{name}"')
            db.execute(f'CREATE DATABASE "{name}"')
        return urlunsplit(parts._replace(path=f"/{name}"))
    path = ROOT / "data" / "bench-mail.sqlite3"
    path.parent.mkdir(exist_ok=True)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{path}{suffix}").unlink(missing_ok=True)
    return f"sqlite:///{path}"


os.environ["DATABASE_URL"] = bench_database_url()
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
os.environ.setdefault("GOINGSOLO_TASK_BACKEND", "django_tasks.backends.dummy.DummyBackend")
os.environ.setdefault("LOG_LEVEL", "WARNING")

import django  # noqa: E402

django.setup()

from allauth.account.models import EmailAddress  # noqa: E402
from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.db import connection  # noqa: E402
from django.utils import timezone  # noqa: E402

from goingsolo.accounts.models import User  # noqa: E402
from goingsolo.core.markdown import render_markdown  # noqa: E402
from goingsolo.discussions.models import Post, Thread, ThreadSubscription  # noqa: E402
from goingsolo.groups.models import Group, Membership  # noqa: E402
from goingsolo.mail.models import MailPart, OutboundEmail  # noqa: E402
from goingsolo.mail.outbound import delivery  # noqa: E402
from goingsolo.mail.outbound.compose import build_message  # noqa: E402
from goingsolo.mail.outbound.digests import queue_digests  # noqa: E402

SENTENCES = {
    "fr": [
        "Je suis graphiste indépendante depuis six ans et je revois mes tarifs.",
        "Nos rencontres à Lausanne reprennent en automne, au café près de la gare.",
        "Quelqu'un a-t-il un modèle de facture conforme pour la TVA ?",
        "J'ai testé trois espaces de coworking à Genève, voici mes impressions.",
        "Comment fixer un tarif journalier quand on débute ?",
        "Mon réseau m'a apporté plus de clients que les plateformes.",
    ],
    "en": [
        "I have been a freelance designer for six years and I am rethinking my pricing.",
        "Our meetups in Leeds start again in autumn, at the cafe near the station.",
        "Does anyone have an invoice template that works for **VAT**?",
        "I tried three coworking spaces in York, here is what I found.",
        "How do you set a day rate when you start out?",
        "My network brought me more clients than any platform did.",
    ],
}


def say(*parts):
    print(*parts, flush=True)


def progress(label, done, total):
    print(f"\r  {label}: {done}/{total}", end="" if done < total else "\n", flush=True)


def seed(members, posts, threads, muting):
    rng = random.Random(4)
    now = timezone.now()
    group = Group.objects.create(name="Going Solo", slug="going-solo", visibility="closed")
    batch = 2000
    for start in range(0, members, batch):
        count = min(batch, members - start)
        users = User.objects.bulk_create(
            [
                User(
                    email=f"member{start + i}@bench.example",
                    display_name=f"Member {start + i}",
                    handle=f"member{start + i}",
                    language="fr" if (start + i) % 2 else "en",
                    password="!",
                )
                for i in range(count)
            ]
        )
        EmailAddress.objects.bulk_create(
            [EmailAddress(user=u, email=u.email, verified=True, primary=True) for u in users]
        )
        Membership.objects.bulk_create(
            [Membership(group=group, user=u, joined_at=now - timedelta(days=30)) for u in users]
        )
        progress("members", start + count, members)
    Group.objects.filter(pk=group.pk).update(member_count=members)
    author_ids = list(User.objects.order_by("pk").values_list("pk", flat=True)[:50])
    made = Thread.objects.bulk_create(
        [
            Thread(
                group=group, author_id=author_ids[n % 50], title=f"Thread {n}: tarifs et clients"
            )
            for n in range(threads)
        ]
    )
    window_start = now - timedelta(hours=20)
    rows, positions = [], {}
    for n in range(posts):
        thread = made[n % threads]
        positions[thread.pk] = positions.get(thread.pk, 0) + 1
        language = rng.choice(["fr", "en"])
        body = " ".join(rng.sample(SENTENCES[language], 3))
        rows.append(
            Post(
                thread=thread,
                group=group,
                author_id=rng.choice(author_ids),
                position=positions[thread.pk],
                body=body,
                body_html=render_markdown(body),
                language=language,
                created_at=window_start + timedelta(seconds=n * 300),
            )
        )
    Post.objects.bulk_create(rows)
    for thread in made:
        Thread.objects.filter(pk=thread.pk).update(
            post_count=positions[thread.pk], last_position=positions[thread.pk]
        )
    progress("posts", posts, posts)
    muters = User.objects.order_by("-pk").values_list("pk", flat=True)[:muting]
    ThreadSubscription.objects.bulk_create(
        [ThreadSubscription(thread=made[0], user_id=uid, state="muted") for uid in muters]
    )
    return group


def compose_all():
    emails = list(OutboundEmail.objects.order_by("pk"))
    parts = {part.pk: part for part in MailPart.objects.all()}
    groups = {group.pk: group for group in Group.objects.all()}
    addresses = dict(User.objects.values_list("pk", "email"))
    size = 0
    for email in emails:
        data = build_message(
            email,
            part=parts[email.part_id],
            group=groups[email.group_id],
            to_address=addresses[email.recipient_id],
        )
        size += len(data)
    return len(emails), size


def send(count):
    from aiosmtpd.controller import Controller

    class Accept:
        async def handle_DATA(self, server, session, envelope):
            return "250 OK"

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    controller = Controller(Accept(), hostname="127.0.0.1", port=port)
    controller.start()
    try:
        settings.EMAIL_BACKEND = "django.core.mail.backends.smtp.EmailBackend"
        settings.EMAIL_HOST, settings.EMAIL_PORT = "127.0.0.1", port
        settings.EMAIL_USE_TLS = settings.EMAIL_USE_SSL = False
        settings.EMAIL_HOST_USER = settings.EMAIL_HOST_PASSWORD = ""
        return delivery.send_due(limit=count)
    finally:
        controller.stop()


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--members", type=int, default=10_000)
    parser.add_argument("--posts", type=int, default=200)
    parser.add_argument("--threads", type=int, default=40)
    parser.add_argument("--muting", type=int, default=300, help="members who muted a thread")
    parser.add_argument("--send", type=int, default=1000, help="messages sent over SMTP")
    args = parser.parse_args()

    say(f"Database: {connection.vendor} ({connection.settings_dict['NAME']})")
    call_command("migrate", verbosity=0)
    started = time.monotonic()
    seed(args.members, args.posts, args.threads, args.muting)
    say(f"Seeded in {time.monotonic() - started:.1f} s")

    started = time.monotonic()
    report = queue_digests(frequency="daily")
    queued = time.monotonic() - started
    say(f"Queue: {report}")
    say(
        f"  rendered and queued in {queued:.1f} s "
        f"({report.queued / queued:,.0f} digests/s; target {TARGET_SECONDS:.0f} s)"
    )

    started = time.monotonic()
    count, size = compose_all()
    composed = time.monotonic() - started
    say(
        f"Compose: {count} messages built in {composed:.1f} s ({count / composed:,.0f}/s), "
        f"{size / count / 1024:.1f} KiB each on average"
    )

    if args.send:
        started = time.monotonic()
        sent = send(args.send)
        seconds = time.monotonic() - started
        say(
            f"Send: {sent} over SMTP to a local server in {seconds:.1f} s ({sent.sent / seconds:,.0f}/s)"
        )

    ok = queued < TARGET_SECONDS and report.queued == args.members
    say("OK" if ok else "TARGET MISSED")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
