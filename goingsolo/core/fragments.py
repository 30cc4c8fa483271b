"""Rendered pieces of pages kept in memory, keyed by what they show
(docs/decisions/0002-read-path.md). The template tag is `{% fragment %}`
(core/templatetags/fragments.py).

The key of a fragment is its content's inputs, not a version that writers must remember to
bump: an edit, a rename or a new reply makes a new key at once, so nothing is ever
invalidated and nothing stale can be served; old entries age out of a per-process LRU.
"""

import datetime
import decimal
import threading
from collections import OrderedDict

from django.core.signals import setting_changed
from django.dispatch import receiver
from django.utils import timezone
from django.utils.functional import Promise

# About 600 bytes a thread row, 2 KB a post: 10,000 entries, and never more than about
# 32 MB of text (a whole page of posts is 40 KB) per web process.
MAX_ENTRIES = 10_000
MAX_SIZE = 32_000_000

# A model instance compares equal to itself edited (same primary key): as a key it would
# serve the old text. Keys are made of plain values only.
KEY_TYPES = (str, int, float, bool, type(None), datetime.datetime, datetime.date, decimal.Decimal)


class LRU:
    """A mapping bounded by its number of entries and by their total size, as its users
    measure it (SIZE in put), that forgets the least recently used entry first;
    thread-safe (sync views run in threads under ASGI)."""

    def __init__(self, max_entries, max_size=None):
        self.max_entries = max_entries
        self.max_size = max_size
        self.size = 0
        self._entries = OrderedDict()  # key → (value, size)
        self._lock = threading.Lock()

    def get(self, key):
        with self._lock:
            entry = self._entries.get(key)
            if entry is None:
                return None
            self._entries.move_to_end(key)
            return entry[0]

    def put(self, key, value, size=0):
        with self._lock:
            old = self._entries.pop(key, None)
            if old is not None:
                self.size -= old[1]
            self._entries[key] = (value, size)
            self.size += size
            while len(self._entries) > self.max_entries or (
                self.max_size is not None and self.size > self.max_size and self._entries
            ):
                _key, (_value, forgotten) = self._entries.popitem(last=False)
                self.size -= forgotten

    def clear(self):
        with self._lock:
            self._entries.clear()
            self.size = 0

    def __len__(self):
        return len(self._entries)


rendered = LRU(MAX_ENTRIES, MAX_SIZE)


def size_of(key, html):
    """What an entry holds, in characters: its text and its key's (a post's key holds its
    text too)."""
    return len(html) + _key_size(key)


def _key_size(value):
    kind = type(value)
    if kind is str:
        return len(value)
    if kind is tuple:
        return sum(_key_size(part) for part in value)
    return 8


@receiver(setting_changed)
def forget_on_setting_change(**kwargs):
    """Pieces rendered under other settings (the site's name, the static files' addresses,
    the URLs) are not served after a change: tests change settings in one process."""
    rendered.clear()


# The exact types of plain values: a set lookup is the fast path of key_value, which runs
# for every value of every fragment of a page (a post's key is a tuple of tuples).
_PLAIN_TYPES = frozenset(KEY_TYPES)


def key_value(value):
    """VALUE as a part of a key: plain values as they are, a lazy translation as its text
    in the active language; anything else is refused."""
    kind = type(value)
    if kind in _PLAIN_TYPES:
        return value
    if kind is tuple and all(type(part) in _PLAIN_TYPES for part in value):
        return value
    if isinstance(value, Promise):
        return str(value)
    if isinstance(value, tuple):
        return tuple(key_value(part) for part in value)
    if not isinstance(value, KEY_TYPES):
        raise TypeError(
            f"fragment keys are plain values (text, numbers, dates), not {type(value)!r}:"
            " name the fields the fragment shows."
        )
    return value


def relative_time_key(moment, now=None):
    """What `naturaltime` of MOMENT depends on besides MOMENT itself: a number that changes
    whenever its text may ("12 seconds ago" each second, "4 minutes ago" each minute,
    then each hour: "3 hours ago", "2 days, 5 hours ago"). Far cheaper than the text."""
    if moment is None:
        return None
    age = int(((now or timezone.now()) - moment).total_seconds())
    if age < 0:
        return ("future", moment)  # rare (a clock ahead): no sharing
    if age < 60:
        return age
    if age < 3600:
        return 100_000 + age // 60
    return 200_000 + age // 3600
