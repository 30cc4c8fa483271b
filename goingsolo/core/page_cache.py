"""Whole pages kept for visitors who are not signed in (docs/decisions/0002-read-path.md).

Every visitor without an account sees the same page for the same address, language and
time zone, so the pages they read most (`@kept_for_visitors`: the home page, the group
list, a group's page, a thread) are rendered once and served again while nothing they show
may have changed:

- **Writes.** Every statement that writes to a table a page may show (anything but the
  tables in IGNORED_TABLES: sessions, jobs, read states, notifications, the mail queue…)
  counts: in this process at once (`_local_writes`), and for every process through the
  one row of `core.ContentGeneration`, increased once each writing transaction commits. A
  kept page is served only if both are what they were when it was rendered: an edit, a
  reply, a reaction or a deletion is never served stale, from whichever process it came.
  New tables count by default, so forgetting one here costs a miss, never a stale page.
- **Time.** What changes with time alone (“3 minutes ago”, an event that has ended) is at
  most MAX_AGE seconds old.

Members' pages are never kept (their read state, rights and menu differ), nor a visitor's
with a session (it may hold messages), nor htmx's partial requests. Each served copy gets
the visitor's own CSRF token.
"""

import logging
import re
import time
from dataclasses import dataclass
from functools import wraps
from itertools import count

from django.conf import settings
from django.core.signals import setting_changed
from django.db import DatabaseError, connections, transaction
from django.db.backends.signals import connection_created
from django.dispatch import receiver
from django.http import HttpResponse
from django.middleware.csrf import _unmask_cipher_token, get_token
from django.utils import timezone, translation

from .fragments import LRU

# Seconds a kept page may show what time alone changes (relative times, ended events).
MAX_AGE = 10

# 15 to 45 KB a page: 500 pages are at most about 20 MB per web process.
MAX_PAGES = 500

# Tables whose rows no kept page shows: writing them does not count (prefixes: a table's
# own search tables go with it).
IGNORED_TABLES = (
    "django_session",
    "goingsolo_cache",
    "django_tasks_database_",
    "django_admin_log",
    "account_emailconfirmation",
    "mfa_authenticator",
    "core_contentgeneration",
    "core_liveevent",
    "core_scheduledrun",
    "core_workerlease",
    "core_searchdocument",
    "accounts_notification",
    "accounts_pushsubscription",
    "discussions_readstate",
    "mail_inboundmessage",
    "mail_outboundemail",
    "mail_mailpart",
    "mail_bounceevent",
    "mail_deliverypause",
    "moderation_queuealert",
    "wiki_draft",
)

_WRITE_VERBS = ("INSERT", "UPDATE", "DELETE", "REPLAC", "TRUNCA")
_WRITTEN_TABLE = re.compile(
    r"\s*(?:INSERT\s+(?:OR\s+\w+\s+)?INTO|REPLACE\s+INTO|UPDATE|DELETE\s+FROM)\s+[\"`]?([\w.]+)",
    re.IGNORECASE,
)

# An upsert (SQLite and PostgreSQL alike): a flushed table (a test's) starts again at 1.
_BUMP = (
    "INSERT INTO core_contentgeneration (id, value) VALUES (1, 1)"
    " ON CONFLICT (id) DO UPDATE SET value = core_contentgeneration.value + 1"
)
_READ = "SELECT value FROM core_contentgeneration WHERE id = 1"

logger = logging.getLogger(__name__)

_local_writes = count()
_local_generation = 0

pages = LRU(MAX_PAGES)


# --- Counting writes ----------------------------------------------------------------------


def counts_as_content(sql):
    """Whether SQL writes to a table a kept page may show."""
    if sql.lstrip()[:6].upper() not in _WRITE_VERBS:
        return False
    written = _WRITTEN_TABLE.match(sql)
    if written is None:
        return True  # TRUNCATE, or a write this does not parse: counted, to be safe
    table = written.group(1).rsplit(".", 1)[-1].lower()
    return not table.startswith(IGNORED_TABLES)


def _bump_database(alias):
    connection = connections[alias]
    try:
        with connection.cursor() as cursor:
            cursor.execute(_BUMP)
    except DatabaseError:
        # Before the migration that makes the row (the migrations' own writes), there is
        # nothing to tell. Anything else: other processes serve their kept pages until
        # MAX_AGE, which the log should say.
        if "core_contentgeneration" in connection.introspection.table_names():
            logger.exception("The pages kept for visitors could not be told of a write.")


def _bump_pending(connection):
    return any(
        getattr(callback, "page_cache_bump", False)
        for _savepoints, callback, _robust in connection.run_on_commit
    )


def _watch_writes(execute, sql, params, many, context):
    result = execute(sql, params, many, context)
    if counts_as_content(sql):
        global _local_generation
        _local_generation = next(_local_writes) + 1
        connection = context["connection"]
        if not connection.in_atomic_block:
            _bump_database(connection.alias)
        elif not _bump_pending(connection):
            # Once per transaction, after it commits: a reader who sees the new value sees
            # the new rows. A rolled back transaction drops the callback with its writes.
            def bump():
                _bump_database(connection.alias)

            bump.page_cache_bump = True
            transaction.on_commit(bump, using=connection.alias)
    return result


@receiver(connection_created)
def watch_connection(sender, connection, **kwargs):
    if _watch_writes not in connection.execute_wrappers:
        connection.execute_wrappers.append(_watch_writes)


def database_generation():
    """The shared count of committed writes (0 before the first)."""
    with connections["default"].cursor() as cursor:
        cursor.execute(_READ)
        row = cursor.fetchone()
    return row[0] if row else 0


@receiver(setting_changed)
def forget_on_setting_change(**kwargs):
    pages.clear()


# --- Serving ------------------------------------------------------------------------------


@dataclass(frozen=True)
class KeptPage:
    expires_at: float
    status: int
    headers: tuple
    # The page's bytes split where its CSRF tokens were: each visitor gets their own.
    parts: tuple

    def response(self, request):
        if len(self.parts) == 1:
            content = self.parts[0]
        else:
            content = get_token(request).encode("ascii").join(self.parts)
        response = HttpResponse(content, status=self.status)
        for name, value in self.headers:
            response.headers[name] = value
        return response


def _may_keep(request):
    return (
        request.method in ("GET", "HEAD")
        and settings.SESSION_COOKIE_NAME not in request.COOKIES
        and "HX-Request" not in request.headers
        and not request.user.is_authenticated
    )


_TOKEN_SHAPED = re.compile(rb"(?<![A-Za-z0-9])[A-Za-z0-9]{64}(?![A-Za-z0-9])")


def _split_at_csrf_tokens(request, content):
    """CONTENT's parts between the CSRF tokens this request's page was given."""
    secret = request.META.get("CSRF_COOKIE")
    if not secret or not request.META.get("CSRF_COOKIE_NEEDS_UPDATE"):
        return (content,)
    parts, start = [], 0
    for match in _TOKEN_SHAPED.finditer(content):
        if _unmask_cipher_token(match.group().decode("ascii")) == secret:
            parts.append(content[start : match.start()])
            start = match.end()
    parts.append(content[start:])
    return tuple(parts)


def kept_for_visitors(view):
    """Decorates a view whose page is the same for every visitor who is not signed in."""

    @wraps(view)
    def wrapper(request, *args, **kwargs):
        if not _may_keep(request):
            return view(request, *args, **kwargs)
        generation = database_generation()
        key = (
            request.get_host(),
            request.is_secure(),
            request.get_full_path(),
            translation.get_language(),
            timezone.get_current_timezone_name(),
            generation,
            _local_generation,
        )
        kept = pages.get(key)
        if kept is not None and kept.expires_at > time.time():
            return kept.response(request)
        response = view(request, *args, **kwargs)
        if (
            response.status_code == 200
            and not response.streaming
            and not response.cookies
            and key[-1] == _local_generation  # nothing written while it rendered
        ):
            pages.put(
                key,
                KeptPage(
                    expires_at=time.time() + MAX_AGE,
                    status=response.status_code,
                    headers=tuple(response.items()),
                    parts=_split_at_csrf_tokens(request, response.content),
                ),
            )
        return response

    return wrapper
