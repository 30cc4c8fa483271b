"""Whether the From address of an inbound message is proven, as DMARC would say.

The From header is whatever the sender wrote; the listener believes it only when one of
these, in this order, says that the domain of the From address sent the message:

1. the `Authentication-Results` header (RFC 8601) of the receiving mail server named by
   GOINGSOLO_MAIL_AUTHSERV_ID, and of no other: `dmarc=pass`, or a `dkim=pass` or
   `spf=pass` whose domain is aligned with the From domain;
2. a DKIM signature (dkimpy) that verifies, covers the whole body (no `l=` tag) and whose
   `d=` domain is aligned with the From domain;
3. SPF (RFC 7208, evaluated here): the SMTP client's address is allowed by the record of the
   MAIL FROM domain (of the HELO name for a null MAIL FROM), and that domain is aligned.
   Not evaluated when GOINGSOLO_MAIL_AUTHSERV_ID is set: the client is then that server.

Alignment is relaxed (same organisational domain, from the public-suffix list that the
publicsuffixlist package bundles) or strict (same domain), as the From domain's `_dmarc`
record says with `adkim`/`aspf`; relaxed when it publishes none, strict when its look-up
fails. Every DNS look-up goes through one function, named by GOINGSOLO_MAIL_DNS_RESOLVER
(tests give one that serves local records, to this process and to the ones it starts).
Whatever goes wrong — no answer, a time-out, a bad key, a missing record, a broken
signature, a malformed record — leaves the sender unproven, never raises.
"""

import functools
import ipaddress
import logging
import re
import time
from dataclasses import dataclass, field

from django.conf import settings
from django.utils.module_loading import import_string

logger = logging.getLogger(__name__)

# SPF's limits (RFC 7208 section 4.6.4): look-ups of mechanisms that query DNS, look-ups
# that find nothing, and MX names per "mx".
SPF_LOOKUP_LIMIT = 10
SPF_VOID_LOOKUP_LIMIT = 2
SPF_MX_LIMIT = 10
# At most this many DKIM signatures are tried (a message may carry its author's
# domain's and its mail service's).
DKIM_SIGNATURES_TRIED = 5
# All the look-ups of one message together stop after this long: the sender is unproven.
LOOKUP_BUDGET_SECONDS = 20


class DNSFailure(Exception):
    """A look-up that may succeed later: a time-out, a server failure."""


class PermanentError(Exception):
    """An SPF record that cannot be evaluated (RFC 7208 "permerror")."""


# --- The resolver -------------------------------------------------------------------------


def dns_lookup(name, rdtype):
    """Records of type RDTYPE (TXT, A, AAAA, MX) at NAME, through dnspython.

    TXT records come as text (their strings joined), MX as the exchanges' names by
    preference, A and AAAA as addresses. No such name or no such record: []. A time-out
    or a failing server: DNSFailure. Each look-up gives up after GOINGSOLO_MAIL_DNS_TIMEOUT.
    """
    import dns.exception  # noqa: PLC0415 -- dnspython loads only where DNS is asked
    import dns.resolver  # noqa: PLC0415 -- dnspython loads only where DNS is asked

    try:
        answer = _dnspython_resolver().resolve(name, rdtype, search=False)
    except (dns.resolver.NXDOMAIN, dns.resolver.NoAnswer):
        return []
    except dns.exception.DNSException as error:
        raise DNSFailure(f"{name} {rdtype}: {error}") from error
    if rdtype == "TXT":
        return [b"".join(record.strings).decode("utf-8", "replace") for record in answer]
    if rdtype == "MX":
        ordered = sorted(answer, key=lambda record: record.preference)
        return [record.exchange.to_text(omit_final_dot=True) for record in ordered]
    return [record.to_text() for record in answer]


@functools.cache
def _dnspython_resolver():
    import dns.resolver  # noqa: PLC0415 -- dnspython loads only where DNS is asked

    resolver = dns.resolver.Resolver()
    resolver.lifetime = settings.GOINGSOLO_MAIL_DNS_TIMEOUT
    resolver.timeout = settings.GOINGSOLO_MAIL_DNS_TIMEOUT
    return resolver


class Lookups:
    """The resolver of one message: the configured function, within the time budget.

    Any exception of the function is a DNSFailure; answers are cached, as SPF and DMARC
    may ask the same name twice.
    """

    def __init__(self):
        self.resolve = import_string(settings.GOINGSOLO_MAIL_DNS_RESOLVER)
        self.deadline = time.monotonic() + LOOKUP_BUDGET_SECONDS
        self.answers = {}

    def __call__(self, name, rdtype):
        name = name.rstrip(".").lower()
        key = (name, rdtype)
        if key in self.answers:
            return self.answers[key]
        if time.monotonic() > self.deadline:
            raise DNSFailure("the look-ups of this message took too long")
        try:
            answer = [str(value) for value in self.resolve(name, rdtype)]
        except DNSFailure:
            raise
        except Exception as error:
            raise DNSFailure(f"{name} {rdtype}: {error!r}") from error
        self.answers[key] = answer
        return answer


# --- The verdict --------------------------------------------------------------------------


@dataclass(frozen=True)
class Envelope:
    """What the SMTP conversation said about the sender (empty when not known)."""

    client_address: str = ""
    helo: str = ""
    mail_from: str = ""


@dataclass
class Verdict:
    proven: bool = False
    by: str = ""  # "authentication-results", "dkim", "spf", or "" when not proven
    details: list[str] = field(default_factory=list)

    @property
    def summary(self):
        head = f"proven by {self.by}" if self.proven else "not proven"
        return "; ".join([head, *self.details])[:1000]


def sender_was_proven(message):
    """Whether the stored MESSAGE's From address was its sender's: proven by a check
    (its `authentication`, a Verdict's summary) or confirmed by its author. Not when
    authentication was off: that believed the From address without proof."""
    if message.confirmed_at is not None:
        return True
    summary = message.authentication
    return summary.startswith("proven by ") and not summary.startswith("proven by nothing")


def sender_verdict(*, raw, parsed, envelope):
    """The Verdict on the From address of PARSED (RAW: the message's bytes as received)."""
    verdict = Verdict()
    from_domain = _domain_of(parsed.from_address)
    if not from_domain:
        verdict.details.append("no single From address")
        return verdict
    lookups = Lookups()
    policy = AlignmentPolicy(from_domain, lookups)
    steps = [_by_authentication_results, _by_dkim]
    if not settings.GOINGSOLO_MAIL_AUTHSERV_ID:
        steps.append(_by_spf)
    else:
        verdict.details.append("spf: not evaluated, the peer is the receiving server")
    for step in steps:
        try:
            found = step(raw, parsed, envelope, policy, lookups, verdict.details)
        except Exception as error:  # a check that fails proves nothing; the next may
            logger.info("Sender check %s failed: %r", step.__name__, error)
            verdict.details.append(f"{step.__name__.removeprefix('_by_')}: error {error!r}"[:200])
            continue
        if found:
            verdict.proven, verdict.by = True, found
            break
    if policy.described:
        verdict.details.append(policy.described)
    return verdict


# --- Alignment (DMARC, RFC 7489 section 3.1) ---------------------------------------------


@functools.cache
def _public_suffixes():
    from publicsuffixlist import PublicSuffixList  # noqa: PLC0415 -- its list loads once, when needed

    return PublicSuffixList()


def organisational_domain(domain):
    """The registrable domain of DOMAIN (example.co.uk for mail.example.co.uk), from the
    bundled public-suffix list; DOMAIN itself when it is a public suffix."""
    domain = domain.rstrip(".").lower()
    return _public_suffixes().privatesuffix(domain) or domain


class AlignmentPolicy:
    """Whether a domain that authenticated is aligned with the From domain.

    The `_dmarc` record is looked up only when it matters: a domain equal to the From
    domain is aligned in both modes.
    """

    def __init__(self, from_domain, lookups):
        self.from_domain = from_domain
        self.lookups = lookups
        self._modes = None
        self.described = ""

    def aligned(self, domain, tag):
        domain = (domain or "").rstrip(".").lower()
        if not domain:
            return False
        if domain == self.from_domain:
            return True
        if organisational_domain(domain) != organisational_domain(self.from_domain):
            return False
        return self.modes().get(tag, "r") == "r"

    def modes(self):
        if self._modes is None:
            self._modes = self._read_modes()
        return self._modes

    def _read_modes(self):
        names = [self.from_domain]
        organisational = organisational_domain(self.from_domain)
        if organisational != self.from_domain:
            names.append(organisational)
        for name in names:
            try:
                records = [
                    record
                    for record in self.lookups(f"_dmarc.{name}", "TXT")
                    if re.match(r"\s*v\s*=\s*DMARC1\s*(;|$)", record, re.I)
                ]
            except DNSFailure as error:
                self.described = f"dmarc record: {error} (strict alignment)"
                return {"adkim": "s", "aspf": "s"}
            if len(records) == 1:
                tags = _tags(records[0])
                modes = {
                    tag: "s" if tags.get(tag, "r").lower() == "s" else "r"
                    for tag in ("adkim", "aspf")
                }
                self.described = (
                    f"dmarc record of {name}: p={tags.get('p', '')[:20]}, "
                    f"adkim={modes['adkim']}, aspf={modes['aspf']}"
                )
                return modes
        self.described = "no dmarc record (relaxed alignment)"
        return {"adkim": "r", "aspf": "r"}


def _tags(record):
    tags = {}
    for part in record.split(";"):
        name, equals, value = part.partition("=")
        if equals:
            tags.setdefault(name.strip().lower(), value.strip())
    return tags


def _domain_of(address):
    _local, at, domain = (address or "").rpartition("@")
    return domain.rstrip(".").lower() if at else ""


# --- 1. The receiving server's Authentication-Results ------------------------------------

RESULT = re.compile(r"(?:^|[;\s])(dmarc|dkim|spf)\s*=\s*([a-z]+)\b([^;]*)", re.I)
PROPERTY = re.compile(r"\b(header\.d|header\.i|smtp\.mailfrom|smtp\.helo)\s*=\s*([^\s;]+)", re.I)


def _by_authentication_results(raw, parsed, envelope, policy, lookups, details):
    """Trusted only from GOINGSOLO_MAIL_AUTHSERV_ID, whose server removes the headers
    bearing its id from what it receives (OpenDMARC and rspamd do): any other may be
    written by the sender."""
    authserv_id = (settings.GOINGSOLO_MAIL_AUTHSERV_ID or "").lower()
    if not authserv_id:
        return ""
    for value in parsed.header_all("Authentication-Results"):
        server, _semicolon, results = value.partition(";")
        words = server.split()
        if not words or words[0].lower() != authserv_id:
            continue
        details.append(f"authentication-results of {authserv_id}: {results.strip()[:300]}")
        for method, result, properties in RESULT.findall(results):
            method, result = method.lower(), result.lower()
            if result != "pass":
                continue
            if method == "dmarc":
                return "authentication-results"
            found = dict((name.lower(), value) for name, value in PROPERTY.findall(properties))
            if method == "dkim":
                domain = found.get("header.d") or _domain_of(found.get("header.i", ""))
                if policy.aligned(domain, "adkim"):
                    return "authentication-results"
            if method == "spf":
                domain = _domain_of(found.get("smtp.mailfrom", "")) or found.get(
                    "smtp.mailfrom", found.get("smtp.helo", "")
                )
                if policy.aligned(domain, "aspf"):
                    return "authentication-results"
        return ""
    details.append(f"no authentication-results of {authserv_id}")
    return ""


# --- 2. DKIM --------------------------------------------------------------------------------


class _QuietLog:
    """dkimpy logs a missing key or a bad signature as an error: here each is an
    unproven sender, not an error of the instance."""

    def __getattr__(self, _level):
        return lambda message, *args, **kwargs: logger.debug("dkimpy: " + str(message), *args)


def _by_dkim(raw, parsed, envelope, policy, lookups, details):
    if not parsed.header_all("DKIM-Signature"):
        details.append("dkim: no signature")
        return ""
    import dkim  # noqa: PLC0415 -- dkimpy weighs ~14 MB with dnspython: only for signed mail

    def dnsfunc(name, timeout=5):
        # dkimpy asks for the key record's text, as bytes, None when there is none.
        name = name.decode("ascii", "replace") if isinstance(name, bytes) else str(name)
        records = lookups(name, "TXT")
        chosen = next((r for r in records if "p=" in r), records[0] if records else None)
        return chosen.encode("utf-8", "replace") if chosen is not None else None

    signer = dkim.DKIM(raw, logger=_QuietLog(), minkey=1024)
    count = min(len(parsed.header_all("DKIM-Signature")), DKIM_SIGNATURES_TRIED)
    for index in range(count):
        try:
            verified = signer.verify(idx=index, dnsfunc=dnsfunc)
        except DNSFailure as error:
            details.append(f"dkim: {error}")
            continue
        except Exception as error:  # a malformed signature or key: dkim.DKIMException…
            details.append(f"dkim=fail ({type(error).__name__}: {error})"[:200])
            continue
        domain = (signer.domain or b"").decode("ascii", "replace").lower()
        signature = getattr(signer, "signature_fields", {}) or {}
        if not verified:
            details.append(f"dkim=fail (d={domain})")
            continue
        if b"l" in signature:
            # A body length lets anyone append text under the signature.
            details.append(f"dkim=pass (d={domain}) with l=, not trusted")
            continue
        if policy.aligned(domain, "adkim"):
            details.append(f"dkim=pass (d={domain}, aligned)")
            return "dkim"
        details.append(f"dkim=pass (d={domain}, not aligned with {policy.from_domain})")
    return ""


# --- 3. SPF ---------------------------------------------------------------------------------


def _by_spf(raw, parsed, envelope, policy, lookups, details):
    address = _client_ip(envelope.client_address)
    if address is None:
        details.append("spf: client address unknown")
        return ""
    sender, domain = _spf_identity(envelope)
    if not domain:
        details.append("spf: no MAIL FROM or HELO domain")
        return ""
    result = spf_check(address, domain, sender=sender, helo=envelope.helo, lookups=lookups)
    details.append(f"spf={result} (domain {domain}, client {address})")
    if result == "pass" and policy.aligned(domain, "aspf"):
        return "spf"
    return ""


def _client_ip(text):
    try:
        address = ipaddress.ip_address((text or "").strip().strip("[]"))
    except ValueError:
        return None
    if address.version == 6 and address.ipv4_mapped:
        return address.ipv4_mapped
    return address


def _spf_identity(envelope):
    """(sender, domain) SPF checks: the MAIL FROM, else postmaster@ the HELO name."""
    mail_from = (envelope.mail_from or "").strip().strip("<>")
    helo = (envelope.helo or "").strip().rstrip(".").lower()
    if "@" in mail_from:
        return mail_from, _domain_of(mail_from)
    if mail_from:
        return f"postmaster@{mail_from}", mail_from.lower()
    return (f"postmaster@{helo}", helo) if helo else ("", "")


DOMAIN_NAME = re.compile(r"^(?=.{1,253}$)(?:[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9])?\.)+[a-z0-9-]+$")


def spf_check(address, domain, *, sender, helo, lookups):
    """The SPF result (pass, fail, softfail, neutral, none, temperror, permerror) for
    ADDRESS (an ipaddress) sending for DOMAIN (RFC 7208 check_host). `ptr` matches
    nothing (the RFC asks not to use it); `exp` is not read."""
    state = {"lookups": 0, "void": 0}
    try:
        return _check_host(address, domain.lower(), sender, helo, lookups, state)
    except DNSFailure:
        return "temperror"
    except PermanentError:
        return "permerror"


QUALIFIERS = {"+": "pass", "-": "fail", "~": "softfail", "?": "neutral"}
MODIFIER = re.compile(r"^([a-z][a-z0-9_.-]*)=(.*)$", re.I)
MECHANISM = re.compile(r"^([+\-~?]?)([a-z0-9]+)(?::([^/]*))?((?:/\d+)?(?://\d+)?)$", re.I)


def _check_host(address, domain, sender, helo, lookups, state):
    if not DOMAIN_NAME.match(domain):
        return "none"
    records = [
        record
        for record in _counted(lookups, domain, "TXT", state, count=False)
        if re.match(r"^v=spf1(?:\s|$)", record, re.I)
    ]
    if not records:
        return "none"
    if len(records) > 1:
        raise PermanentError(f"{domain} has several SPF records")
    terms = records[0].split()[1:]
    redirect = None
    directives = []
    for term in terms:
        modifier = MODIFIER.match(term)
        if modifier and not MECHANISM.match(term):
            name = modifier.group(1).lower()
            if name == "redirect":
                if redirect is not None:
                    raise PermanentError("two redirect modifiers")
                redirect = modifier.group(2)
            continue
        mechanism = MECHANISM.match(term)
        if mechanism is None:
            raise PermanentError(f"unreadable term {term[:60]!r}")
        directives.append(mechanism.groups())
    context = {"sender": sender, "domain": domain, "address": address, "helo": helo}
    for qualifier, name, argument, cidr in directives:
        if _matches(name.lower(), argument, cidr, context, lookups, state):
            return QUALIFIERS[qualifier or "+"]
    if redirect is not None and not any(name.lower() == "all" for _q, name, _a, _c in directives):
        _count_lookup(state)
        target = _expand(redirect, context)
        result = _check_host(address, target, sender, helo, lookups, state)
        if result == "none":
            raise PermanentError(f"redirect to {target}, which has no SPF record")
        return result
    return "neutral"


def _matches(name, argument, cidr, context, lookups, state):
    address = context["address"]
    if name == "all":
        return True
    if name in ("ip4", "ip6"):
        if argument is None:
            raise PermanentError(f"{name} without an address")
        try:
            network = ipaddress.ip_network(argument + (cidr or ""), strict=False)
        except ValueError as error:
            raise PermanentError(f"bad {name}: {argument}") from error
        if network.version != (4 if name == "ip4" else 6):
            raise PermanentError(f"bad {name}: {argument}")
        return address.version == network.version and address in network
    if name == "include":
        if not argument:
            raise PermanentError("include without a domain")
        _count_lookup(state)
        target = _expand(argument, context)
        result = _check_host(address, target, context["sender"], context["helo"], lookups, state)
        if result == "temperror":
            raise DNSFailure(f"include:{target}")
        if result in ("permerror", "none"):
            raise PermanentError(f"include:{target} gave {result}")
        return result == "pass"
    if name in ("a", "mx"):
        _count_lookup(state)
        target = _expand(argument, context) if argument else context["domain"]
        length4, length6 = _cidr_lengths(cidr)
        if name == "a":
            hosts = [target]
        else:
            hosts = _counted(lookups, target, "MX", state)
            if len(hosts) > SPF_MX_LIMIT:
                raise PermanentError(f"{target} has more than {SPF_MX_LIMIT} MX")
        rdtype = "A" if address.version == 4 else "AAAA"
        length = length4 if address.version == 4 else length6
        for host in hosts:
            for found in _counted(lookups, host, rdtype, state, count=name == "a"):
                try:
                    network = ipaddress.ip_network(f"{found}/{length}", strict=False)
                except ValueError:
                    continue
                if address in network:
                    return True
        return False
    if name == "exists":
        if not argument:
            raise PermanentError("exists without a domain")
        _count_lookup(state)
        return bool(_counted(lookups, _expand(argument, context), "A", state))
    if name == "ptr":
        _count_lookup(state)
        return False
    raise PermanentError(f"unknown mechanism {name}")


def _cidr_lengths(cidr):
    match = re.match(r"^(?:/(\d+))?(?://(\d+))?$", cidr or "")
    length4 = int(match.group(1)) if match and match.group(1) else 32
    length6 = int(match.group(2)) if match and match.group(2) else 128
    if length4 > 32 or length6 > 128:
        raise PermanentError(f"bad prefix length {cidr}")
    return length4, length6


def _count_lookup(state):
    state["lookups"] += 1
    if state["lookups"] > SPF_LOOKUP_LIMIT:
        raise PermanentError(f"more than {SPF_LOOKUP_LIMIT} DNS look-ups")


def _counted(lookups, name, rdtype, state, count=True):
    """Records at NAME; an empty answer is a void look-up, of which few are allowed."""
    answer = lookups(name, rdtype)
    if not answer and count:
        state["void"] += 1
        if state["void"] > SPF_VOID_LOOKUP_LIMIT:
            raise PermanentError(f"more than {SPF_VOID_LOOKUP_LIMIT} void look-ups")
    return answer


MACRO = re.compile(r"%(?:\{([a-z])(\d*)(r?)([.\-+,/_=]*)\}|(.))", re.I)


def _expand(spec, context):
    """A domain-spec with its macros (RFC 7208 section 7) expanded."""

    def replace(match):
        letter, digits, reverse, delimiters, other = match.groups()
        if other is not None:
            if other in "%_-":
                return {"%": "%", "_": " ", "-": "%20"}[other]
            raise PermanentError(f"bad macro %{other}")
        value = _macro_value(letter.lower(), context)
        parts = re.split("[" + re.escape(delimiters or ".") + "]", value)
        if reverse:
            parts.reverse()
        if digits:
            if int(digits) == 0:
                raise PermanentError("macro keeping no part")
            parts = parts[-int(digits) :]
        return ".".join(parts)

    expanded = MACRO.sub(replace, spec).rstrip(".").lower()
    while len(expanded) > 253 and "." in expanded:
        expanded = expanded.split(".", 1)[1]
    return expanded


def _macro_value(letter, context):
    sender = context["sender"]
    local, _at, sender_domain = sender.rpartition("@")
    address = context["address"]
    if letter == "s":
        return sender
    if letter == "l":
        return local or "postmaster"
    if letter == "o":
        return sender_domain
    if letter == "d":
        return context["domain"]
    if letter == "i":
        if address.version == 4:
            return str(address)
        return ".".join(address.exploded.replace(":", ""))
    if letter == "v":
        return "in-addr" if address.version == 4 else "ip6"
    if letter == "h":
        return context["helo"] or "unknown"
    if letter == "p":
        return "unknown"
    raise PermanentError(f"macro %{{{letter}}} outside exp")
