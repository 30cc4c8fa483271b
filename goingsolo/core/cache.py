"""The database cache, with an `incr` that counts.

Django's DatabaseCache inherits `incr` from BaseCache: a get, then a set. Two processes
incrementing at once both read 1 and both write 2, and the set gives the key the default
timeout, so a counter meant to last five seconds lasts five minutes. The rate limits
(core/rate_limits.py) count with `add` and `incr` in the database cache of the embedded run
(shared by the web process, the worker and the mail listener), so here `incr` is one
locked read and one UPDATE in a transaction that leaves the expiry alone. Redis's `incr`
is atomic already.
"""

import base64
import pickle

from django.core.cache.backends.db import DatabaseCache as DjangoDatabaseCache
from django.db import connections, router, transaction
from django.utils import timezone


class DatabaseCache(DjangoDatabaseCache):
    def incr(self, key, delta=1, version=None):
        key = self.make_and_validate_key(key, version=version)
        db = router.db_for_write(self.cache_model_class)
        connection = connections[db]
        quote_name = connection.ops.quote_name
        table = quote_name(self._table)
        cache_key, value_column, expires = (
            quote_name("cache_key"),
            quote_name("value"),
            quote_name("expires"),
        )
        # SQLite runs transactions IMMEDIATE (config/settings.py): the write lock is taken
        # at BEGIN, so the read below is already exclusive there.
        lock = " FOR UPDATE" if connection.features.has_select_for_update else ""
        now = connection.ops.adapt_datetimefield_value(timezone.now().replace(microsecond=0))
        with transaction.atomic(using=db), connection.cursor() as cursor:
            cursor.execute(
                f"SELECT {value_column} FROM {table} WHERE {cache_key} = %s AND {expires} >= %s"
                f"{lock}",
                [key, now],
            )
            row = cursor.fetchone()
            if row is None:
                raise ValueError(f"Key '{key}' not found")
            value = pickle.loads(base64.b64decode(row[0].encode())) + delta
            encoded = base64.b64encode(pickle.dumps(value, self.pickle_protocol)).decode("latin1")
            cursor.execute(
                f"UPDATE {table} SET {value_column} = %s WHERE {cache_key} = %s", [encoded, key]
            )
        return value
