"""The French catalogue keeps the site's voice (docs/voice.md), so it cannot drift back:
complete, "e-mail" and never "courriel", the typographic apostrophe, « guillemets » and
non-breaking spaces, inclusive role names, lowercase months; and the English source
strings with their own apostrophe."""

import re
from pathlib import Path

import pytest
from django.utils import translation

from goingsolo.accounts.models import SPOKEN_LANGUAGE_CODES, language_name
from goingsolo.core.voice import NBSP, french_problems, french_typography

LOCALE = Path(__file__).resolve().parents[2] / "goingsolo"
OURS = LOCALE / "locale" / "fr" / "LC_MESSAGES" / "django.po"
LIBRARIES = LOCALE / "vendor_locale" / "fr" / "LC_MESSAGES" / "django.po"


def read_po(path):
    """The entries of a .po file: dicts of msgctxt, msgid, msgid_plural, msgstr (a list of
    forms) and flags."""
    entries, entry, key = [], None, None
    for line in [*path.read_text(encoding="utf-8").splitlines(), ""]:
        if not line.strip():
            if entry and entry.get("msgid"):
                entries.append(entry)
            entry, key = None, None
            continue
        entry = entry if entry is not None else {"msgstr": [], "flags": ""}
        if line.startswith("#,"):
            entry["flags"] = line
        elif line.startswith("#"):
            continue
        elif line.startswith('"'):
            value = _unquote(line)
            if key == "msgstr":
                entry["msgstr"][-1] += value
            else:
                entry[key] += value
        else:
            name, _, rest = line.partition(" ")
            key = "msgstr" if name.startswith("msgstr") else name
            if key == "msgstr":
                entry["msgstr"].append(_unquote(rest))
            else:
                entry[key] = _unquote(rest)
    return entries


def _unquote(text):
    return (
        text.strip()[1:-1]
        .replace('\\"', '"')
        .replace("\\n", "\n")
        .replace("\\t", "\t")
        .replace("\\\\", "\\")
    )


CATALOGUE = read_po(OURS)


def french(entries=CATALOGUE):
    for entry in entries:
        for text in entry["msgstr"]:
            yield entry["msgid"], text


def test_the_catalogue_is_complete_and_nothing_is_fuzzy():
    assert len(CATALOGUE) > 1000
    untranslated = [e["msgid"] for e in CATALOGUE if not all(e["msgstr"])]
    fuzzy = [e["msgid"] for e in CATALOGUE if "fuzzy" in e["flags"]]
    assert untranslated == [] and fuzzy == []


def test_every_placeholder_of_the_english_is_in_the_french():
    placeholder = re.compile(r"%\(\w+\)[sd]|%[sd]|\{\w*\}")
    wrong = [
        (entry["msgid"], text)
        for entry in CATALOGUE
        for text in entry["msgstr"]
        if set(placeholder.findall(text))
        - set(placeholder.findall(entry["msgid"] + entry.get("msgid_plural", "")))
        or (
            "msgid_plural" not in entry
            and set(placeholder.findall(entry["msgid"])) != set(placeholder.findall(text))
        )
    ]
    assert wrong == []


@pytest.mark.parametrize("path", [OURS, LIBRARIES], ids=["ours", "libraries"])
def test_french_typography_apostrophes_guillemets_and_non_breaking_spaces(path):
    problems = [(text, french_problems(text)) for _msgid, text in french(read_po(path))]
    assert [problem for problem in problems if problem[1]] == []


def test_our_members_say_e_mail_never_courriel():
    assert [text for _msgid, text in french() if "courriel" in text.lower()] == []
    assert [text for _msgid, text in french(read_po(LIBRARIES)) if "courriel" in text.lower()] == []


# Role names and words for people in the masculine only; the site writes them with the
# middle dot ("organisateur·rice", "inscrit·es") or says "l’équipe d’organisation",
# "la personne qui organise", "Il faut être membre…" (docs/voice.md).
MASCULINE_ONLY = re.compile(
    r"\b(?:organisateurs?|administrateurs?|modérateurs?|auteurs?|expéditeurs?|utilisateurs?"
    r"|candidats?|participants?|intervenants?|invités?|abonnés?|indépendants?|votants?"
    r"|inscrits|prévenus?|avertis?|venus|comptés?|mentionné|nouveaux membres"
    r"|anciens? membres?|Seuls les|seuls les|celles et ceux|tous)\b(?!·)"
)
# Where the word is not about a person, or the masculine is the grammar's own.
NOT_ABOUT_PEOPLE = {
    "Renommer une page change son adresse et ce que disent les liens vers elle\u00a0: c’est "
    "réservé aux membres en qui le groupe a confiance et à son équipe de modération.",
}


def test_role_names_and_people_are_written_inclusively():
    offenders = [
        (match.group(0), text)
        for _msgid, text in french()
        # A placeholder's name (%(participant)s) is code, not prose.
        for match in MASCULINE_ONLY.finditer(re.sub(r"%\(\w+\)[sd]", "", text))
        if not any(text.startswith(allowed) for allowed in NOT_ABOUT_PEOPLE)
    ]
    assert offenders == []


def test_the_glossary_is_kept():
    # handle → identifiant; calendar → agenda; admin → admin (docs/voice.md, "Terms").
    words = re.compile(r"\bpseudos?\b|\bCalendrier\b(?! d’Apple)|\bcalendrier\b|\bcourriel")
    assert [text for _msgid, text in french() if words.search(text)] == []


def test_no_month_is_capitalised_inside_a_sentence():
    month = re.compile(r"(?<!^)\b(?:Janv?|Févr?|Avr|Juil|Sept|Oct|Nov|Déc)\b\.?")
    assert [text for _msgid, text in french() if month.search(text)] == []


def test_english_source_strings_use_the_typographic_apostrophe_and_say_email():
    attribute = re.compile(r"""\w+=(["']).*?\1""")
    english = [
        text
        for entry in CATALOGUE
        for text in (entry["msgid"], entry.get("msgid_plural", ""))
        if "'" in attribute.sub("", text) or "e-mail" in text.lower()
    ]
    assert english == []


def test_the_typography_rules_fix_what_they_check():
    assert french_typography("Oui ? Non ! Quoi : ça ; « là »") == (
        f"Oui{NBSP}? Non{NBSP}! Quoi{NBSP}: ça{NBSP}; «{NBSP}là{NBSP}»"
    )
    assert french_typography("l'adresse du courriel") == "l’adresse de l’e-mail"
    assert french_typography('<a href="https://x.org/?a=1">lien</a> : 18:30') == (
        f'<a href="https://x.org/?a=1">lien</a>{NBSP}: 18:30'
    )


def test_the_languages_a_profile_offers_have_french_names_in_lowercase():
    with translation.override("fr"):
        names = {code: language_name(code) for code in SPOKEN_LANGUAGE_CODES}
    with translation.override("en"):
        english = {code: language_name(code) for code in SPOKEN_LANGUAGE_CODES}
    assert names["nb"] == "norvégien bokmål"
    assert names["zh-hans"] == "chinois simplifié"
    assert all(name == name.lower() for name in names.values())
    # Only names that are the same word in both languages stay the same.
    assert {code for code in names if names[code] == english[code].lower()} <= {"ca", "hi"}
