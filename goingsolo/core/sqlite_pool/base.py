"""SQLite, with its connections kept for the next request (docs/decisions/0002-read-path.md).

Opening a SQLite connection costs about 3 ms of a request here, more than rendering a
page: the file is opened, the schema read again on the first query, Django's SQL functions
registered and the PRAGMAs run. Django keeps a connection only per thread
(CONN_MAX_AGE), and under ASGI each request runs its synchronous code in a thread of its
own, so it opened one for every request. This backend keeps the connections Django closes
in a small per-process pool, and the next request, in whichever thread, takes one back.

A connection goes back to the pool only in a clean state: no transaction open, no error
seen, foreign keys on. One taken from the pool is checked to still point at the same file
(a test, a restore or `goingsolo reset` may have replaced it) and to belong to this
process (never across a fork).
"""

import os
import threading

from django.db.backends.sqlite3 import base, creation

# More connections than a process has threads at once would only hold file handles.
POOL_SIZE = 8


class _Pool:
    def __init__(self):
        self._lock = threading.Lock()
        self._idle = {}  # key -> [(connection, file identity, pid)]

    def take(self, key, identity):
        with self._lock:
            idle = self._idle.get(key) or []
            while idle:
                connection, its_identity, pid = idle.pop()
                if pid == os.getpid() and its_identity == identity:
                    return connection
                if pid == os.getpid():
                    connection.close()  # the file was replaced: this one reads the old one
        return None

    def give(self, key, connection, identity):
        with self._lock:
            idle = self._idle.setdefault(key, [])
            if len(idle) >= POOL_SIZE:
                return False
            idle.append((connection, identity, os.getpid()))
            return True

    def clear(self):
        with self._lock:
            pools, self._idle = self._idle, {}
        for idle in pools.values():
            for connection, _identity, pid in idle:
                if pid == os.getpid():
                    connection.close()


pool = _Pool()


def _file_identity(path):
    """Which file is at PATH. A file deleted and made again may get the same inode number;
    its change time differs (a checkpoint also changes it: the pool then starts afresh)."""
    try:
        status = os.stat(path)
    except OSError:
        return None
    return (status.st_dev, status.st_ino, status.st_ctime_ns)


class DatabaseCreation(creation.DatabaseCreation):
    """Test databases are deleted and made again: no kept connection outlives them."""

    def _create_test_db(self, *args, **kwargs):
        pool.clear()
        return super()._create_test_db(*args, **kwargs)

    def _destroy_test_db(self, *args, **kwargs):
        pool.clear()
        return super()._destroy_test_db(*args, **kwargs)


class DatabaseWrapper(base.DatabaseWrapper):
    creation_class = DatabaseCreation

    def _pool_key(self):
        return (self.settings_dict["NAME"], repr(sorted(self.settings_dict["OPTIONS"].items())))

    def _pooled(self):
        return not self.is_in_memory_db()

    def get_new_connection(self, conn_params):
        if self._pooled():
            identity = _file_identity(self.settings_dict["NAME"])
            connection = pool.take(self._pool_key(), identity) if identity else None
            if connection is not None:
                return connection
        return super().get_new_connection(conn_params)

    def _close(self):
        connection = self.connection
        if (
            connection is not None
            and self._pooled()
            and not self.errors_occurred
            and not self.in_atomic_block
            and not connection.in_transaction
        ):
            identity = _file_identity(self.settings_dict["NAME"])
            if identity and self._foreign_keys_on(connection):
                if pool.give(self._pool_key(), connection, identity):
                    return
        super()._close()

    @staticmethod
    def _foreign_keys_on(connection):
        try:
            return connection.execute("PRAGMA foreign_keys").fetchone() == (1,)
        except base.Database.Error:  # an unusable connection is simply not kept
            return False
