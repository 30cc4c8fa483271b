"""Jobs survive a killed worker: real `goingsolo worker` processes, killed with SIGKILL in
the middle of a job and started again (goingsolo/core/jobs.py, docs/operating.md "When a
worker dies"). The job the worker died in runs again, to its end, and what it does
happens once: a reply by email is posted once, each member gets a post's email once, each
digest arrives once.

The mail listener and the worker run as separate processes (as `goingsolo run` starts
them), so that the worker alone can be killed. Workers renew their lease every half
second here (GOINGSOLO_WORKER_LEASE_SECONDS=2); the SMTP sink holds each message a moment
before its 250, and the one the worker is killed on until it is killed: that message has
not arrived, so none may arrive twice.
"""

import subprocess
import time
from collections import Counter

import pytest

from . import instances
from .conftest import instance_of
from .instances import DIGEST_HOUR, GOINGSOLO, ROOT, zone_where_it_is

pytestmark = pytest.mark.topology

# A job taken back from a dead worker runs within two lease periods and a poll.
RECOVERED_WITHIN = 30
# Seconds the SMTP sink holds each message before its 250, so that sending takes a while;
# the one the worker is killed on is held until then.
SHORT_HOLD = 0.3
LONG_HOLD = 60


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def killable(request, templates, tmp_path_factory):
    """An instance started process by process (mail listener, worker), so that its worker
    alone can be killed."""
    environment = {
        "GOINGSOLO_SCHEDULER_INTERVAL": "1",
        "GOINGSOLO_DIGEST_HOUR": str(DIGEST_HOUR),
    }
    with instance_of(
        request.param, templates, tmp_path_factory, environment=environment, hold=SHORT_HOLD
    ) as instance:
        instance.start("smtpd")
        instance.worker = instance.start("worker")
        instance.wait_until_idle()  # the jobs of the seeding
        yield instance


def running_jobs(instance):
    return instance.query(
        "SELECT id, task_path FROM django_tasks_database_dbtaskresult WHERE status = 'RUNNING'"
    )


def job_status(instance, job_id):
    return instance.query(
        "SELECT status FROM django_tasks_database_dbtaskresult WHERE id = %s", job_id
    )[0][0]


def kill_worker_and_start_another(instance):
    instance.kill(instance.worker)
    instance.worker = instance.start("worker")


def wait_for(condition, what, timeout=RECOVERED_WITHIN):
    instances.wait_for(condition, what, timeout)


def about(instance, subject, recipients):
    """The messages to RECIPIENTS whose subject has SUBJECT that arrived."""
    return [
        m
        for m in list(instance.sink.received)
        if subject in str(m["Subject"]) and m.to in recipients
    ]


def kill_while_the_sink_holds(instance, subject, recipients, after):
    """Once AFTER messages about SUBJECT to RECIPIENTS arrived, the sink holds the next one
    before its 250 until the worker is killed (so that one never arrived, whatever the
    machine's load), then accepts again; another worker starts. Returns the job the
    killed worker was running and how many messages had arrived."""
    wait_for(
        lambda: len(about(instance, subject, recipients)) >= after,
        f"{len(about(instance, subject, recipients))} messages about {subject!r} arrived",
    )
    instance.sink.hold = LONG_HOLD
    time.sleep(2 * SHORT_HOLD)  # a message in a short hold ends it
    wait_for(instance.sink.holding.is_set, "no message was held")
    instance.kill(instance.worker)
    instance.sink.hold = SHORT_HOLD
    # The server drops the held message with its connection: it never arrived.
    wait_for(lambda: not instance.sink.holding.is_set(), "the held message outlived its sender")
    running = running_jobs(instance)
    instance.worker = instance.start("worker")
    assert [path.rsplit(".", 1)[1] for _id, path in running] == ["deliver_outbound"]
    return running[0][0], len(about(instance, subject, recipients))


def test_a_reply_by_email_being_processed_by_a_killed_worker_is_posted_once(killable):
    every = killable.seeded["jobs"]["every"]
    author, thread = every["author"], every["thread"]
    body = "Since you ask: a spreadsheet and a good accountant."
    raw = killable.mail_to_group(
        every["group"],
        sender=author["email"],
        subject=f"Re: {thread['title']}",
        body=body,
        in_reply_to=thread["message_id"],
    )
    # The job verifies the DKIM signature: its look-up of the key hangs, so the worker is
    # still in the job when it is killed.
    killable.dns.hang("mail._domainkey.example.org")
    killable.send_mail(raw, to=killable.group_address(every["group"]))
    wait_for(
        lambda: any(
            path.endswith("process_inbound_message") for _i, path in running_jobs(killable)
        ),
        "the worker never took the message's job",
    )
    [(job_id, _path)] = running_jobs(killable)
    kill_worker_and_start_another(killable)
    killable.publish_dkim_key("example.org")

    wait_for(lambda: job_status(killable, job_id) == "SUCCESSFUL", killable.outputs())
    [(status, post_id)] = killable.query(
        "SELECT status, post_id FROM mail_inboundmessage WHERE subject = %s",
        f"Re: {thread['title']}",
    )
    assert (status, post_id is not None) == ("processed", True)
    posts = killable.query(
        "SELECT thread_id, body FROM discussions_post WHERE body LIKE %s", f"%{body}%"
    )
    assert posts == [(thread["id"], body)]

    # And the members who get every post get it once.
    readers = {reader["email"] for reader in every["readers"]}
    wait_for(
        lambda: readers <= {m.to for m in killable.sink.received if body in m.text()},
        "the reply's email did not reach every reader",
    )
    time.sleep(2)
    assert Counter(m.to for m in killable.sink.received if body in m.text()) == {
        address: 1 for address in readers
    }


def test_a_posts_email_sent_by_a_killed_worker_reaches_each_member_once(killable):
    every = killable.seeded["jobs"]["every"]
    subject = "Invoices in January"
    killable.send_to_group(
        every["group"],
        sender=every["author"]["email"],
        subject=subject,
        body="Who else sends all their invoices on the first of the month?",
    )

    readers = {reader["email"] for reader in every["readers"]}
    job_id, arrived = kill_while_the_sink_holds(killable, subject, readers, after=2)
    assert arrived < len(readers)

    wait_for(lambda: job_status(killable, job_id) == "SUCCESSFUL", killable.outputs())
    wait_for(
        lambda: {m.to for m in about(killable, subject, readers)} == readers,
        "the post did not reach every reader",
    )
    time.sleep(2)
    assert Counter(m.to for m in about(killable, subject, readers)) == dict.fromkeys(readers, 1)


def test_a_digest_sent_by_a_killed_worker_arrives_once(killable):
    dawn = killable.seeded["jobs"]["dawn"]
    readers = {reader["email"] for reader in dawn["readers"]}
    # Their morning now: the worker's schedule queues their digests, and so does the
    # command cron would run (the two share one idempotency key per digest).
    killable.query(
        "UPDATE accounts_user SET time_zone = %s WHERE email IN (%s, %s, %s, %s)",
        zone_where_it_is(DIGEST_HOUR),
        *sorted(readers),
    )
    # Watched while it runs: the digests go out as soon as they are queued.
    command = subprocess.Popen(
        [str(GOINGSOLO), "mail", "send-digests", "--daily"],
        cwd=ROOT,
        env=killable.environment(),
        stdout=subprocess.DEVNULL,
    )
    try:
        job_id, arrived = kill_while_the_sink_holds(killable, "Daily digest", readers, after=1)
    finally:
        assert command.wait(timeout=120) == 0
    assert arrived < len(readers)

    wait_for(lambda: job_status(killable, job_id) == "SUCCESSFUL", killable.outputs())
    wait_for(
        lambda: {m.to for m in about(killable, "Daily digest", readers)} == readers,
        "a digest did not arrive",
    )
    time.sleep(2)
    digests = about(killable, "Daily digest", readers)
    assert Counter(m.to for m in digests) == dict.fromkeys(readers, 1)
