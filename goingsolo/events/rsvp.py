"""What an emailed reply to an event's announcement means as an RSVP: "yes" or "oui"
first registers, "no" or "non" cancels (`services.rsvp_from_reply`)."""

import re
import unicodedata

from .models import RegistrationStatus

_YES = {"yes", "oui", "y", "yep", "yeah"}
_NO = {"no", "non", "nope", "n"}


def _first_word(text):
    """The first word of TEXT, lower-case, without accents or punctuation."""
    text = unicodedata.normalize("NFKD", (text or "").strip())
    text = "".join(char for char in text if not unicodedata.combining(char)).casefold()
    match = re.search(r"[^\W_]+", text)
    return match.group(0) if match else ""


def rsvp_word(text):
    """GOING or NOT_GOING when TEXT (a trimmed reply) starts with yes/oui or no/non, else
    None: the reply is an ordinary post."""
    word = _first_word(text)
    if word in _YES:
        return RegistrationStatus.GOING
    if word in _NO:
        return RegistrationStatus.NOT_GOING
    return None
