"""Jobs survive a killed worker: real `goingsolo worker` processes, killed with SIGKILL in
the middle of a job and started again (goingsolo/core/jobs.py, docs/operating.md "When a
worker dies"). The job the worker died in runs again, to its end, and what it does
happens once: a reply by email is posted once, each member gets a post's email once, each
digest arrives once.

The mail listener and the worker run as separate processes (as `goingsolo run` starts
them), so that the worker alone can be killed. Workers renew their lease every half
second here (GOINGSOLO_WORKER_LEASE_SECONDS=2); the SMTP sink holds each message a moment
before its 250, so that a kill lands while a message is on its way.
"""

import subprocess
import time
from collections import Counter

import pytest

from .conftest import instance_of
from .instance import GOINGSOLO, ROOT, message, signed, zone_where_it_is

pytestmark = pytest.mark.topology

DIGEST_HOUR = 7
# A job taken back from a dead worker runs within two lease periods and a poll.
RECOVERED_WITHIN = 30


@pytest.fixture(scope="module", params=["sqlite", "postgres"])
def instance(request, templates, tmp_path_factory):
    environment = {
        "GOINGSOLO_SCHEDULER_INTERVAL": "1",
        "GOINGSOLO_DIGEST_HOUR": str(DIGEST_HOUR),
    }
    with instance_of(
        request.param, templates, tmp_path_factory, environment=environment, hold=0.3
    ) as instance:
        instance.start("smtpd")
        instance.worker = instance.start("worker")
        # Digest readers live where their morning is hours away, until a test moves them.
        instance.seeded = instance.seed("jobs", **{})
        instance.seed(
            "time_zone",
            emails=[r["email"] for r in instance.seeded["dawn"]["readers"]],
            zone=zone_where_it_is((DIGEST_HOUR - 4) % 24),
        )
        instance.wait_until_idle()
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
    deadline = time.monotonic() + timeout
    while not condition():
        assert time.monotonic() < deadline, what
        time.sleep(0.1)


def kill_while_the_sink_holds(instance, subject, after):
    """Kills the worker once AFTER messages whose subject has SUBJECT arrived and the sink
    holds the next one before its 250 (that one has not arrived); returns the job the
    worker was running."""

    def arrived():
        return [m for m in instance.sink.received if subject in str(m["Subject"])]

    wait_for(
        lambda: len(arrived()) >= after and instance.sink.holding.is_set(),
        f"{len(arrived())} messages about {subject!r} arrived",
    )
    running = running_jobs(instance)
    kill_worker_and_start_another(instance)
    assert [path.rsplit(".", 1)[1] for _id, path in running] == ["deliver_outbound"]
    return running[0][0], len(arrived())


def test_a_reply_by_email_being_processed_by_a_killed_worker_is_posted_once(instance):
    every = instance.seeded["every"]
    author, thread = every["author"], every["thread"]
    body = "Since you ask: a spreadsheet and a good accountant."
    raw = signed(
        message(
            sender=author["email"],
            to=instance.group_address(every["group"]),
            subject=f"Re: {thread['title']}",
            body=body,
            in_reply_to=thread["message_id"],
        ),
        domain="example.org",
        instance=instance,
    )
    # The job verifies the DKIM signature: its look-up of the key hangs, so the worker is
    # still in the job when it is killed.
    instance.dns.hang("mail._domainkey.example.org")
    instance.send_mail(raw, to=instance.group_address(every["group"]))
    wait_for(
        lambda: any(
            path.endswith("process_inbound_message") for _i, path in running_jobs(instance)
        ),
        "the worker never took the message's job",
    )
    [(job_id, _path)] = running_jobs(instance)
    kill_worker_and_start_another(instance)
    instance.publish_dkim_key("example.org")

    wait_for(lambda: job_status(instance, job_id) == "SUCCESSFUL", instance.outputs())
    [(status, post_id)] = instance.query(
        "SELECT status, post_id FROM mail_inboundmessage WHERE subject = %s",
        f"Re: {thread['title']}",
    )
    assert (status, post_id is not None) == ("processed", True)
    posts = instance.query(
        "SELECT thread_id, body FROM discussions_post WHERE body LIKE %s", f"%{body}%"
    )
    assert posts == [(thread["id"], body)]

    # And the members who get every post get it once.
    readers = {reader["email"] for reader in every["readers"]}
    wait_for(
        lambda: readers <= {m.to for m in instance.sink.received if body in m.text()},
        "the reply's email did not reach every reader",
    )
    time.sleep(2)
    assert Counter(m.to for m in instance.sink.received if body in m.text()) == {
        address: 1 for address in readers
    }


def test_a_posts_email_sent_by_a_killed_worker_reaches_each_member_once(instance):
    every = instance.seeded["every"]
    subject = "Invoices in January"
    raw = signed(
        message(
            sender=every["author"]["email"],
            to=instance.group_address(every["group"]),
            subject=subject,
            body="Who else sends all their invoices on the first of the month?",
        ),
        domain="example.org",
        instance=instance,
    )
    instance.send_mail(raw, to=instance.group_address(every["group"]))

    job_id, arrived = kill_while_the_sink_holds(instance, subject, after=2)
    readers = {reader["email"] for reader in every["readers"]}
    assert arrived < len(readers)

    wait_for(lambda: job_status(instance, job_id) == "SUCCESSFUL", instance.outputs())
    wait_for(
        lambda: {m.to for m in instance.sink.received if subject in str(m["Subject"])} == readers,
        "the post did not reach every reader",
    )
    time.sleep(2)
    about = [m for m in instance.sink.received if subject in str(m["Subject"])]
    assert Counter(m.to for m in about) == {address: 1 for address in readers}


def test_a_digest_sent_by_a_killed_worker_arrives_once(instance):
    dawn = instance.seeded["dawn"]
    readers = {reader["email"] for reader in dawn["readers"]}
    # Their morning now: the worker's schedule queues their digests, and so does the
    # command cron would run (the two share one idempotency key per digest).
    instance.seed("time_zone", emails=sorted(readers), zone=zone_where_it_is(DIGEST_HOUR))
    subprocess.run(
        [str(GOINGSOLO), "mail", "send-digests", "--daily"],
        cwd=ROOT,
        env=instance.environment(),
        check=True,
        capture_output=True,
        timeout=120,
    )

    job_id, arrived = kill_while_the_sink_holds(instance, "Daily digest", after=1)
    assert arrived < len(readers)

    wait_for(lambda: job_status(instance, job_id) == "SUCCESSFUL", instance.outputs())
    wait_for(
        lambda: (
            {m.to for m in instance.sink.received if "Daily digest" in str(m["Subject"])} >= readers
        ),
        "a digest did not arrive",
    )
    time.sleep(2)
    digests = [m for m in instance.sink.received if "Daily digest" in str(m["Subject"])]
    assert Counter(m.to for m in digests) == {address: 1 for address in readers}
