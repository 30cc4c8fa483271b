"""Who an @mention names: the one rule for posts written on the web, by email or through
the API, and for the autocomplete that offers members while typing.

What follows "@" is one word ("@oliver", "@oliver.hartley", "@Olive") or a display name of
several words written out ("@Oliver Hartley"). Among the group's active members, it is:

1. the member whose handle the word is, whatever the case ("@Oliver.Hartley");
2. else the member whose display name is written out in full ("@Oliver Hartley");
3. else the one member whose handle starts with it ("@oliver" for oliver.hartley);
4. else the one member with a word of their display name that starts with it ("@Hartley",
   "@olive" for Oliver Hartley, "@marie-eve" for Marie-Ève Dupont).

Case and accents do not matter. Steps 3 and 4 leave out the author (nobody mentions
themselves by half a name). When a step finds several members, the mention is ambiguous: it
stays text, nobody is notified, and the author is told who matched. When no step finds
anyone, the author is told that the name is not a member's. The autocomplete offers
members by the same prefixes (steps 3 and 4) and inserts "@handle", which step 1 resolves.
docs/discussions.md, "Mentions".
"""

import re
import unicodedata
from dataclasses import dataclass, field

from django.db.models import Q

from goingsolo.accounts.models import User
from goingsolo.core.markdown import extract_mentions
from goingsolo.groups.models import Membership

# Members the autocomplete offers at most.
CANDIDATES_SHOWN = 8
_FIELDS = ("pk", "handle", "display_name", "email")


def fold(text):
    """Lower case, without accents: "Marie-Ève" → "marie-eve"."""
    decomposed = unicodedata.normalize("NFKD", text or "")
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


def _name_words(user):
    """The starts of words in the display name: the name itself and each part after a
    space or a hyphen ("marie-eve dupont", "eve dupont", "dupont")."""
    name = fold(user.display_name)
    if not name:
        return []
    return [name] + [name[match.end() :] for match in re.finditer(r"[\s\-]+", name)]


def handle_starts_with(user, word):
    return fold(user.handle or "").startswith(word)


def name_starts_with(user, word):
    return any(part.startswith(word) for part in _name_words(user))


def _members(group):
    return User.objects.filter(
        is_active=True, pk__in=Membership.objects.filter(group=group).values("user_id")
    )


@dataclass
class Mentions:
    """What the @names of a text name."""

    # Written name (lower case) → the member it names.
    members: dict = field(default_factory=dict)
    # Names that match no member of the group.
    unknown: list = field(default_factory=list)
    # (written name, [members it could be]) for names that match several.
    ambiguous: list = field(default_factory=list)
    # Display names of several words that make one mention ("Oliver Hartley").
    full_names: list = field(default_factory=list)

    @property
    def users(self):
        return list({user.pk: user for user in self.members.values()}.values())

    def url_of(self, name):
        user = self.members.get(name.lower())
        return user.get_absolute_url() if user is not None else None


def _by_handle(users):
    return sorted(users, key=lambda user: fold(user.handle or ""))


def _resolve(name, handles, candidates, author_id):
    """(member, []) when NAME names one; (None, [members]) when ambiguous; (None, [])."""
    word = fold(name)
    if word in handles:
        return handles[word], []
    if " " in name:
        full = [user for user in candidates if fold(user.display_name) == word]
        return (full[0], []) if len(full) == 1 else (None, _by_handle(full))
    others = [user for user in candidates if user.pk != author_id]
    for starts_with in (handle_starts_with, name_starts_with):
        found = [user for user in others if starts_with(user, word)]
        if len(found) == 1:
            return found[0], []
        if found:
            return None, _by_handle(found)
    return None, []


def resolve(*, group, text, author=None):
    """The members of GROUP that TEXT's @mentions name (see the module's docstring).

    One query when every mention is a handle (what the autocomplete inserts); else a
    second one reads the names of the group's members.
    """
    words = extract_mentions(text)
    result = Mentions()
    if not words:
        return result
    exact = Q()
    for word in words:
        exact |= Q(handle__iexact=fold(word))
    handles = {fold(user.handle): user for user in _members(group).filter(exact).only(*_FIELDS)}
    rest = [word for word in words if fold(word) not in handles]
    candidates = []
    if rest:
        # Every member's names, narrow rows: no database folds accents on every engine
        # ("ang" must find "Ångström"), and a group is a few thousand members at most.
        candidates = list(_members(group).only(*_FIELDS))
        # A display name written out in full is one mention, unless its first word is
        # a handle: "@oliver Hartley" names the member whose handle is "oliver".
        result.full_names = [
            user.display_name
            for user in candidates
            if " " in user.display_name.strip()
            and fold(user.display_name.split()[0]) not in handles
            and any(fold(user.display_name).startswith(fold(word)) for word in rest)
        ]
    author_id = author.pk if author is not None else None
    for name in extract_mentions(text, names=result.full_names):
        member, matches = _resolve(name, handles, candidates, author_id)
        if member is not None:
            result.members[name.lower()] = member
        elif matches:
            result.ambiguous.append((name, matches))
        else:
            result.unknown.append(name)
    return result


def candidates(*, group, query, exclude=None):
    """Up to CANDIDATES_SHOWN members of GROUP to offer for QUERY (without "@"): the
    member whose handle it is, then those whose handle starts with it, then those with a
    word of their display name that does; each by handle. EXCLUDE: the writer.

    The same prefixes as resolve() (steps 1, 3 and 4). Two queries at most.
    """
    query = query.strip().lstrip("@")
    word = fold(query)
    members = _members(group)
    if exclude is not None and exclude.is_authenticated:
        members = members.exclude(pk=exclude.pk)
    members = members.order_by("handle").only(*_FIELDS)
    if not word:
        return list(members[:CANDIDATES_SHOWN])
    # Handles are ASCII: the database compares them as the resolver does.
    by_handle = list(members.filter(handle__istartswith=word)[:CANDIDATES_SHOWN])
    if len(by_handle) == CANDIDATES_SHOWN:
        return by_handle
    # Names are folded here, as in resolve(): every other member, narrow rows.
    others = members.exclude(pk__in=[user.pk for user in by_handle])
    by_name = [user for user in others if name_starts_with(user, word)]
    return (by_handle + by_name)[:CANDIDATES_SHOWN]
