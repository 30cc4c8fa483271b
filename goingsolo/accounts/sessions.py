"""The session engine (settings.SESSION_ENGINE): Django's database sessions, read by a
query built once per process (core/prepared.py).

Every request of a signed-in member reads their session first; Django builds and compiles
that query each time, which cost more than running it (docs/decisions/0002-read-path.md).
The table, the data and everything else are Django's own: sessions made before this engine
stay valid, and `clearsessions` works as before."""

from django.contrib.sessions.backends import db
from django.db import router
from django.utils import timezone

from goingsolo.core.prepared import PreparedQuery


def _session_data(session_key, now):
    return (
        SessionStore.get_model_class()
        .objects.filter(session_key=session_key, expire_date__gt=now)
        .values_list("session_data")[:1]
    )


_session_data_of = PreparedQuery(_session_data, text=["session_key"], moments=["now"])


class SessionStore(db.SessionStore):
    def load(self):
        # As Django's load(): an unknown or expired key loads nothing and is forgotten (a
        # new session gets a new key); a key of the wrong form never reaches the query.
        key = self.session_key
        data = None
        if key is not None:
            data = _session_data_of.value(
                using=router.db_for_read(self.model), session_key=key, now=timezone.now()
            )
        if data is None:
            self._session_key = None
            return {}
        return self.decode(data)
