"""The typography of the site's French, as docs/voice.md sets it, in code: what the voice
test checks in our catalogue (`french_problems`), and what `goingsolo vendor-messages`
applies to the French of the libraries our pages show (`french_typography`).

- the typographic apostrophe ’, never ';
- « guillemets » with a non-breaking space inside;
- a non-breaking space (U+00A0) before : ; ? ! and % — none before , or .;
- "e-mail", the word our members use, never "courriel";
- names of languages in lowercase ("norvégien bokmål"), as French writes them.
"""

import re

from django.conf import global_settings
from django.utils import translation
from django.utils.translation import gettext

NBSP = "\u00a0"
# Spaces of any kind, or none, before a high sign or inside guillemets; the fix puts one
# non-breaking space there.
_SPACES = "[ \u00a0\u202f\u2009]"
_BEFORE_HIGH_SIGN = re.compile(rf"(?:{_SPACES}+|(?<=[\w)»…%]))([;!?])(?=[\s<)]|$)")
_BEFORE_COLON = re.compile(rf"(?:{_SPACES}+|(?<=[^\W\d_]))(:)(?=[\s<]|$)")
# "10 %", "%(percent)s %%": a non-breaking space before the per cent sign too.
_BEFORE_PERCENT = re.compile(rf"(?<=[\d)s]){_SPACES}(%%?)(?=[\s)]|$)")
_AFTER_OPENING = re.compile(rf"«{_SPACES}*")
_BEFORE_CLOSING = re.compile(rf"{_SPACES}*»")
# An HTML attribute's quotes are code, not typography.
_ATTRIBUTE = re.compile(r"""\w+=(["']).*?\1""")
_STRAIGHT_QUOTES = re.compile(r'"([^"<>]*)"')
_COURRIEL = [
    (r"\badresse(s?) de courriel\b", r"adresse\1 e-mail"),
    (r"\bce courriel\b", "cet e-mail"),
    (r"\bCe courriel\b", "Cet e-mail"),
    (r"\bde courriels?\b", lambda m: "d’e-mail" + ("s" if m.group(0).endswith("s") else "")),
    (r"\bdu courriel\b", "de l’e-mail"),
    (r"\ble courriel\b", "l’e-mail"),
    (r"\bcourriel(s?)\b", r"e-mail\1"),
    (r"\bCourriel(s?)\b", r"E-mail\1"),
    (r"\bcourrier électronique\b", "e-mail"),
]


def french_typography(text):
    """TEXT (French) with the site's typography; the words themselves are unchanged,
    except "courriel", which becomes "e-mail"."""
    attributes = []

    def keep(match):
        attributes.append(match.group(0))
        return f"\x00{len(attributes) - 1}\x00"

    text = _ATTRIBUTE.sub(keep, text)
    text = text.replace("'", "’")
    text = _STRAIGHT_QUOTES.sub("«\\1»", text)
    for pattern, replacement in _COURRIEL:
        text = re.sub(pattern, replacement, text)
    text = _AFTER_OPENING.sub("«" + NBSP, text)
    text = _BEFORE_CLOSING.sub(NBSP + "»", text)
    text = _BEFORE_HIGH_SIGN.sub(NBSP + r"\1", text)
    text = _BEFORE_COLON.sub(NBSP + r"\1", text)
    text = _BEFORE_PERCENT.sub(NBSP + r"\1", text)
    return re.sub("\x00(\\d+)\x00", lambda m: attributes[int(m.group(1))], text)


def french_problems(text):
    """What in TEXT (French) breaks the style sheet, in words; [] when nothing does."""
    if french_typography(text) != text:
        return ["typography (’, « », non-breaking spaces, e-mail)"]
    return []


def language_name(code):
    """The name of language CODE in the active language, as a sentence writes it:
    "Norwegian Bokmål", "norvégien bokmål".

    The names are Django's (its catalogues translate every language it knows), and
    French writes them in lowercase."""
    name = dict(global_settings.LANGUAGES).get(code)
    if name is None:
        return code
    name = gettext(name)
    if translation.get_language() == "fr":
        name = name[:1].lower() + name[1:]
    return name
