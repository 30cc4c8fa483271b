"""Rate limits: how often one member, one address or one sender may do a thing.

One table, `GOINGSOLO_RATE_LIMITS` (config/settings.py, docs/operating.md), names each
limit and its rates in allauth's syntax: `"1/5s/user,60/m/ip"` is once every 5 seconds per
member and 60 times a minute per IP address. A rate is `COUNT/PERIOD/PER`: PERIOD a number
and a unit (`s`, `m`, `h`, `d`; `m` alone is one minute), PER one of `user` (the member),
`ip` (the client's address; IPv6 by its /64) or `key` (what the caller names, such as an
email sender). allauth's limits (login, sign-up, password reset, codes) are read from the
same table (ACCOUNT_RATE_LIMITS) and counted by allauth.

Windows are fixed and start at the first counted use: a member who posts at 12:00:03
under `1/5s/user` may post again from 12:00:08, whatever the clock's seconds. Counters
live in Django's cache (the database by default, so the web process, the worker and the
mail listener share them; Redis at scale) and count with `add` then `incr`, both atomic
(core/cache.py makes the database cache's `incr` so), so concurrent requests cannot all
pass. Every rate of a limit counts each use, including one another rate refuses.

- `hit(name, user=, ip=, key=)`: counts one use; None, or the seconds to wait. The mail
  listener calls `hit("inbound_email", key=sender)` and answers 451 when it is refused.
- `hit_request(request, name)`: the same for the member and address of a web request;
  `give_back(request, name)` uncounts it when what was sent was refused for another reason.
- `rate_limited(name)`: a view decorator answering the 429 page instead of the view.
- `wait_message(seconds)`: the sentence a form shows when its submission was refused,
  so that a page that keeps what was typed (a post, a search) says why.
- `too_many_requests(request, seconds)`: the 429 page with its Retry-After header.
"""

import hashlib
import ipaddress
import math
import re
import time
from dataclasses import dataclass
from functools import wraps

from allauth.account.adapter import get_adapter
from django.conf import settings
from django.core.cache import cache
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from goingsolo.core.site_pages import too_many_requests_page

RATE = re.compile(r"^(?P<count>\d+)/(?P<number>\d*)(?P<unit>[smhd])/(?P<per>user|ip|key)$")
UNIT_SECONDS = {"s": 1, "m": 60, "h": 3600, "d": 86400}
IPV6_PREFIX = 64


@dataclass(frozen=True)
class Rate:
    count: int
    seconds: int
    per: str  # "user", "ip" or "key"

    def __str__(self):
        return f"{self.count}/{self.seconds}s/{self.per}"


def parse_rates(text):
    """The Rates of "1/5s/user,60/m/ip" (ValueError for anything else; "" is no rate)."""
    rates = []
    for part in filter(None, (part.strip() for part in (text or "").split(","))):
        match = RATE.match(part)
        if match is None or int(match["count"]) < 1:
            raise ValueError(f"{part!r} is not a rate like 5/m/ip or 1/30s/user")
        seconds = int(match["number"] or 1) * UNIT_SECONDS[match["unit"]]
        rates.append(Rate(int(match["count"]), seconds, match["per"]))
    return rates


def rates(name):
    """The Rates of the limit NAME; none when the table leaves it out."""
    return parse_rates(settings.GOINGSOLO_RATE_LIMITS.get(name, ""))


def hit(name, *, user=None, ip=None, key=None):
    """Counts one use of NAME by USER (a member), from IP, for KEY. A rate per something
    not given does not count (a visitor has no `user`). Returns None when every rate
    allows it, else the whole seconds until all of them would (at least 1)."""
    now = time.time()
    wait = 0.0
    for rate, counter in _counters(name, user=user, ip=ip, key=key):
        count, ends = _count(counter, rate, now)
        if count > rate.count:
            wait = max(wait, ends - now)
    return max(1, math.ceil(wait)) if wait else None


def _counters(name, *, user, ip, key):
    """(Rate, cache key of its counter) for each rate of NAME that counts what is given."""
    subjects = {
        "user": str(user.pk) if user is not None else None,
        "ip": _network(ip) if ip else None,
        "key": hashlib.sha256(key.encode()).hexdigest() if key else None,
    }
    for rate in rates(name):
        if subjects[rate.per] is not None:
            yield rate, f"rate:{name}:{rate}:{subjects[rate.per]}"


def _count(counter, rate, now):
    """(uses of COUNTER in its window, counting this one; when the window ends)."""
    ends = now + rate.seconds
    if cache.add(counter, 1, timeout=rate.seconds):
        cache.set(f"{counter}:ends", ends, timeout=rate.seconds)
        return 1, ends
    try:
        count = cache.incr(counter)
    except ValueError:
        # The window ended between add and incr: this use starts the next one.
        cache.set(counter, 1, timeout=rate.seconds)
        cache.set(f"{counter}:ends", ends, timeout=rate.seconds)
        return 1, ends
    if count <= rate.count:
        return count, ends
    return count, cache.get(f"{counter}:ends", ends)


def _network(ip):
    """IP, or for IPv6 its /64: one machine usually has a whole /64 to choose from."""
    try:
        address = ipaddress.ip_address(ip)
    except ValueError:
        return ip
    if address.version == 6:
        return str(ipaddress.IPv6Network(f"{address}/{IPV6_PREFIX}", strict=False).network_address)
    return str(address)


def client_ip(request):
    """The visitor's address as allauth sees it: REMOTE_ADDR, or behind a front server the
    address it put in X-Forwarded-For (ALLAUTH_TRUSTED_PROXY_COUNT, config/settings.py)."""
    return get_adapter().get_client_ip(request)


def hit_request(request, name):
    """hit() for the member (when logged in) and the address of REQUEST."""
    user = request.user if request.user.is_authenticated else None
    return hit(name, user=user, ip=client_ip(request))


def give_back(request, name):
    """Uncounts the use of NAME that hit_request() counted for REQUEST, when it came to
    nothing: a post the service refused (an attachment too large) leaves the member free
    to send it again, corrected, at once."""
    user = request.user if request.user.is_authenticated else None
    for _rate, counter in _counters(name, user=user, ip=client_ip(request), key=None):
        try:
            cache.decr(counter)
        except ValueError:
            pass  # the window has ended: nothing left to give back


def duration_text(seconds):
    """'25 seconds', '4 minutes', '2 hours': rounded up, in the active language."""
    if seconds < 60:
        return ngettext("%(count)d second", "%(count)d seconds", seconds) % {"count": seconds}
    if seconds < 3600:
        minutes = math.ceil(seconds / 60)
        return ngettext("%(count)d minute", "%(count)d minutes", minutes) % {"count": minutes}
    hours = math.ceil(seconds / 3600)
    return ngettext("%(count)d hour", "%(count)d hours", hours) % {"count": hours}


def wait_message(seconds):
    """What a form refused for speed says, above what the member typed."""
    return _(
        "You are going a little fast: nothing was sent. Wait %(duration)s, then send it again."
    ) % {"duration": duration_text(seconds)}


def too_many_requests(request, seconds):
    """The 429 page, saying how long to wait, with Retry-After."""
    return with_retry_after(too_many_requests_page(request, wait=duration_text(seconds)), seconds)


def with_retry_after(response, seconds):
    """RESPONSE as a refusal for speed: status 429, Retry-After SECONDS."""
    response.status_code = 429
    response["Retry-After"] = str(seconds)
    return response


def rate_limited(name):
    """A view decorator: a request over the limit NAME gets the 429 page, not the view.

    GET requests count as much as POSTs (a search is a GET). Where the request carries
    something the visitor typed (a form to keep), call hit_request() in the view instead
    and show the form again with wait_message(), through with_retry_after()."""

    def decorator(view):
        @wraps(view)
        def limited(request, *args, **kwargs):
            seconds = hit_request(request, name)
            if seconds:
                return too_many_requests(request, seconds)
            return view(request, *args, **kwargs)

        return limited

    return decorator
