"""What an emailed reply means as an answer: to an event's announcement, "yes" or "oui"
first registers, "no" or "non" cancels (`services.rsvp_from_reply`); to an interest
check's, "peut-être" or "maybe" also answers (`services.interest_answer_from_reply`)."""

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


# "Peut-être" is one answer in two words once the hyphen is gone; so is "peut être".
_MAYBE = {"maybe", "perhaps", "peutetre", "ptetre", "pt", "possibly"}


def interest_word(text):
    """ "yes", "maybe" or "no" when TEXT (a trimmed reply to an interest check) starts with
    yes/oui, maybe/peut-être or no/non, else None: the reply is an ordinary post."""
    word = _first_word(text)
    if word in _YES:
        return "yes"
    if word in _NO:
        return "no"
    if word in _MAYBE:
        return "maybe"
    if word == "peut":
        # "peut-être", "peut être", "Peut-Être !": the next word decides; "peut venir" does not.
        rest = unicodedata.normalize("NFKD", (text or "").strip())
        rest = "".join(c for c in rest if not unicodedata.combining(c)).casefold()
        if re.match(r"[^\w]*peut[\s\-‐‑]*etre\b", rest):
            return "maybe"
    return None
