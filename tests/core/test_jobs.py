"""Jobs of dead workers go back to the queue (goingsolo/core/jobs.py). The clock is
passed in; tests/topology/test_killed_worker.py kills real workers."""

from datetime import timedelta

import pytest
from django.utils import timezone
from django_tasks import TaskResultStatus
from django_tasks_db.models import DBTaskResult, get_date_max

from goingsolo.core import jobs
from goingsolo.core.models import WorkerLease

pytestmark = pytest.mark.django_db

LEASE = timedelta(seconds=60)


@pytest.fixture(autouse=True)
def _lease(settings):
    settings.GOINGSOLO_WORKER_LEASE_SECONDS = 60


def job(*workers, started_at, status=TaskResultStatus.RUNNING):
    return DBTaskResult.objects.create(
        status=status,
        args_kwargs={"args": [], "kwargs": {}},
        task_path="goingsolo.mail.outbound.delivery.deliver_outbound",
        backend_name="default",
        run_after=get_date_max(),
        worker_ids=list(workers),
        started_at=started_at,
    )


def status_of(result):
    result.refresh_from_db()
    return result.status


def test_the_job_of_a_worker_whose_lease_expired_goes_back_to_the_queue():
    now = timezone.now()
    jobs.renew("dead", now=now - 2 * LEASE)
    jobs.renew("alive", now=now - LEASE / 4)
    dead = job("dead", started_at=now - 3 * LEASE)
    alive = job("alive", started_at=now - 3 * LEASE)

    assert jobs.recover(now=now) == (1, 0)

    assert status_of(dead) == TaskResultStatus.READY
    assert dead.started_at is None
    assert dead.worker_ids == ["dead"]  # who tried is kept
    assert status_of(alive) == TaskResultStatus.RUNNING


def test_a_job_of_a_worker_that_never_held_a_lease_is_taken_back_after_a_period():
    now = timezone.now()
    old = job("gone-before-upgrade", started_at=now - 2 * LEASE)
    just_claimed = job("not-renewed-yet", started_at=now - LEASE / 2)

    assert jobs.recover(now=now) == (1, 0)

    assert status_of(old) == TaskResultStatus.READY
    assert status_of(just_claimed) == TaskResultStatus.RUNNING


def test_finished_and_waiting_jobs_are_left_alone():
    now = timezone.now()
    done = job("dead", started_at=now - 3 * LEASE, status=TaskResultStatus.SUCCESSFUL)
    failed = job("dead", started_at=now - 3 * LEASE, status=TaskResultStatus.FAILED)
    waiting = job(started_at=None, status=TaskResultStatus.READY)

    assert jobs.recover(now=now) == (0, 0)

    assert [status_of(j) for j in (done, failed, waiting)] == [
        TaskResultStatus.SUCCESSFUL,
        TaskResultStatus.FAILED,
        TaskResultStatus.READY,
    ]


def test_a_job_that_killed_its_workers_again_and_again_fails_for_good():
    now = timezone.now()
    workers = [f"w{n}" for n in range(jobs.MAX_CLAIMS)]
    poison = job(*workers, started_at=now - 2 * LEASE)

    assert jobs.recover(now=now) == (0, 1)

    assert status_of(poison) == TaskResultStatus.FAILED
    assert poison.exception_class_path == "goingsolo.core.jobs.WorkerDied"
    assert f"died {jobs.MAX_CLAIMS} times" in poison.traceback
    assert poison.task_result.errors[0].exception_class is jobs.WorkerDied


def test_a_worker_that_stops_cleanly_gives_its_lease_back_and_old_leases_are_forgotten():
    now = timezone.now()
    jobs.renew("stopping", now=now)
    jobs.renew("long-gone", now=now - jobs.FORGOTTEN_AFTER - LEASE)

    jobs.release("stopping")
    jobs.recover(now=now)

    assert not WorkerLease.objects.exists()


def test_renewing_moves_the_lease_on():
    now = timezone.now()
    jobs.renew("w", now=now - 2 * LEASE)
    jobs.renew("w", now=now)

    lease = WorkerLease.objects.get()
    assert (lease.worker_id, lease.renewed_at) == ("w", now)
    assert lease.pid > 0 and lease.host
