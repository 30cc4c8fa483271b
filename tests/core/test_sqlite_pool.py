"""SQLite's connections are kept for the next request (core/sqlite_pool): reused in any
thread, never after a transaction left open or an error, never for a file replaced since.
Each test uses a database file of its own, whatever database the suite runs on."""

import sqlite3
import threading

import pytest
from django.db import DatabaseError
from django.db.utils import ConnectionHandler

from goingsolo.core.sqlite_pool import base as sqlite_pool


@pytest.fixture
def database(tmp_path, django_db_blocker):
    path = tmp_path / "pool.sqlite3"
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE t (value INTEGER)")
        raw.execute("INSERT INTO t VALUES (1)")
    handler = ConnectionHandler(
        {"default": {"ENGINE": "goingsolo.core.sqlite_pool", "NAME": str(path)}}
    )
    with django_db_blocker.unblock():  # the file of this test, not the suite's database
        yield path, handler
        handler.close_all()
    sqlite_pool.pool.clear()


def raw_connection(handler):
    wrapper = handler["default"]
    wrapper.ensure_connection()
    return wrapper.connection


def value(handler):
    with handler["default"].cursor() as cursor:
        cursor.execute("SELECT value FROM t")
        return cursor.fetchone()[0]


def test_a_closed_connection_serves_the_next_request_in_another_thread(database):
    _path, handler = database
    first = raw_connection(handler)
    handler["default"].close()
    taken = []

    def request():
        taken.append(raw_connection(handler))
        handler["default"].close()

    thread = threading.Thread(target=request)
    thread.start()
    thread.join()
    assert taken == [first]


def test_a_connection_closed_in_a_transaction_or_after_an_error_is_not_kept(database):
    _path, handler = database
    wrapper = handler["default"]
    first = raw_connection(handler)
    first.execute("BEGIN")
    wrapper.close()
    second = raw_connection(handler)
    assert second is not first
    with pytest.raises(DatabaseError), wrapper.cursor() as cursor:
        cursor.execute("SELECT * FROM no_such_table")
    wrapper.close()
    assert raw_connection(handler) is not second


def test_a_replaced_file_is_read_by_a_new_connection(database):
    path, handler = database
    assert value(handler) == 1
    handler["default"].close()  # kept
    path.unlink()
    with sqlite3.connect(path) as raw:
        raw.execute("CREATE TABLE t (value INTEGER)")
        raw.execute("INSERT INTO t VALUES (2)")
    assert value(handler) == 2
