"""`goingsolo worker` is django-tasks' db_worker with the log levels of the settings."""

import logging

import pytest

from goingsolo.core.management.commands.worker import Command


@pytest.fixture
def task_loggers():
    loggers = [logging.getLogger(name) for name in ("django_tasks", "django_tasks_db")]
    levels = [logger.level for logger in loggers]
    yield loggers
    for logger, level in zip(loggers, levels, strict=True):
        logger.setLevel(level)


def test_by_default_the_worker_logs_warnings_not_every_task(task_loggers):
    Command().configure_logging(1)
    assert [logger.getEffectiveLevel() for logger in task_loggers] == [logging.WARNING] * 2


def test_asked_for_more_the_worker_logs_every_task(task_loggers):
    Command().configure_logging(2)
    assert [logger.getEffectiveLevel() for logger in task_loggers] == [logging.DEBUG] * 2
