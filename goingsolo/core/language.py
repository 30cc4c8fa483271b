"""The language of a text, among the instance's languages.

Every post records its language (search configuration, digests, translation hints), and
most posts in a group chat are short: "Oui pour samedi.", "Ok for me", "Merci Tom, super
useful ton article". The choice of tool and its measurements are in
docs/decisions/0001-language-detection.md; in short:

1. Markup that is not the author's prose is removed: code, quoted lines ("> …"), URLs,
   email addresses, @mentions, emoji and other symbols.
2. py3langid, restricted to the configured languages, gives a probability per language.
   Its character n-grams are reliable on sentences, not on three words.
3. For English and French, a small evidence layer counts function words, French elisions
   (j', c'est, qu'…) and English contractions ('s, 'm, n't…). Its weights are log-odds,
   added to the model's log-probabilities, so it decides when the text is short or the
   model hesitates, and the model decides when it is sure of a long text.

Other configured languages (German, Spanish…) have no word lists: they are decided by
py3langid alone, and the English/French evidence can only nudge a short text of theirs
that contains English or French words.
"""

import math
import re
import unicodedata

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

from . import language_model

# Markdown code: fenced blocks, inline spans, and blocks indented by four spaces or a tab
# after a blank line. Code is English-looking whatever the author's language.
_FENCED_CODE = re.compile(r"^[ \t]*(```|~~~).*?(?:^[ \t]*\1[^\n]*$|\Z)", re.MULTILINE | re.DOTALL)
_INDENTED_CODE = re.compile(r"(?:\A|\n[ \t]*\n)(?:(?: {4}|\t)[^\n]*(?:\n|\Z))+")
_INLINE_CODE = re.compile(r"`[^`\n]+`")
# A quoted line is someone else's words, often in the other language.
_QUOTED_LINE = re.compile(r"^[ \t]*>.*$", re.MULTILINE)
_URL = re.compile(r"\b(?:[a-z][a-z0-9+.-]*://|www\.)\S+", re.IGNORECASE)
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_MENTION = re.compile(r"(?<![\w@])@[\w.-]+")
_HASHTAG = re.compile(r"(?<![\w#])#(?=\w)")

# A word is letters, with inner apostrophes (j'arrive, don't) and hyphens (week-end).
_WORD = re.compile(r"[^\W\d_]+(?:['-][^\W\d_]+)*")

# Beyond this many words, a confident model is trusted on its own: character n-grams
# are then reliable, and word counts would let a few quoted words outweigh the prose.
SHORT_TEXT_WORDS = 12
CONFIDENT = 0.95

STRONG = 2.0  # about 7 to 1 odds: a word or form that is common in one language only
WEAK = 1.0  # about 3 to 1 odds: a word also met as a loanword or name in the other

# Words frequent in one of the two languages and rare in the other. Words both use in a
# chat ("on", "a", "me", "ok", "cool", "super", "top", "client", "bravo") are absent on
# purpose. French words are listed with and without accents: many type without them.
_FRENCH_STRONG = """
    je tu il elle nous vous ils elles moi toi lui eux
    le la les un une des du au aux ce cet cette ces
    mon ma mes ton ta tes sa ses notre votre nos vos leur leurs
    et ou où mais donc ni que qui quoi quand comment pourquoi combien quel quelle quels
    quelles est sont suis es sommes êtes etes était etait étaient sera serai serons
    ai avons avez ont avais avait aurai peux peut pouvez veux veut voulez vais vas va
    allons allez faut fais fait faites sais sait savez dois doit devez viens vient venez
    pas ne plus rien jamais toujours encore déjà deja aussi très tres trop beaucoup peu
    bien mieux ici là voilà voila alors après apres avant avec sans pour dans sur sous chez
    vers entre depuis pendant jusque selon contre
    oui non ouais merci bonjour bonsoir salut coucou désolé désolée desole desolee
    demain hier aujourd'hui matin midi soir semaine journée journee
    lundi mardi mercredi jeudi vendredi samedi dimanche heure heures
    quelqu'un quelque quelques chose tout tous toute toutes autre autres même
    ça ca cela ceci celui celle y en se te
    bonne bonnes bons petit petite grande nouveau nouvelle génial genial
    dispo rdv stp svp bjr slt qqn qqch bcp pr tkt mdr
"""
_FRENCH_WEAK = """
    de bon grand par comment parfait chouette vraiment juste enfin week-end
    prochaine prochain premier première dernier dernière
    facture devis tarif prix réunion salle lien mail
"""
_ENGLISH_STRONG = """
    i you he she we they it him her us them my your his our their its mine yours
    the and but or if so because than then that this these those there here
    is are was were be been being am do does did done have has had having
    will would can could should shall might must may
    of to for from with at by about into onto over under after before until without
    what who whom whose where when why how which
    not no yes yeah yep nope thanks thank please pls plz thx ty
    hi hey morning tonight today tomorrow yesterday week weekend
    anyone anybody everyone everybody someone somebody something nothing anything everything
    just really very too also still already again soon later now
    some any many much more most every each all both either neither
    get got go going gone come coming came see saw seen know knew let make made take took
    need want like love think say said tell ask send find found give keep
    im ive youre theyre thats whats whos lets cant wont didnt doesnt isnt arent wasnt
    great good awesome cheers well
    monday tuesday wednesday thursday friday saturday sunday
"""
_ENGLISH_WEAK = """
    an go hello happy sorry nice lunch coffee free late early next last first new one two
    invoice quote price link email
"""

# A French elision: j'arrive, c'est, qu'il, l'info, jusqu'à, aujourd'hui aside.
_FRENCH_ELISION = re.compile(r"^(?:j|l|d|c|n|s|m|t|qu|jusqu|lorsqu|puisqu|quoiqu)'[^\W\d_]")
# An English contraction: it's, I'm, you're, I've, we'll, I'd, don't.
_ENGLISH_CONTRACTION = re.compile(r"(?:'s|'m|'re|'ve|'ll|'d|n't)$")
_FRENCH_DIACRITICS = frozenset("àâæçéèêëîïôœùûüÿ")
# French words that English uses as they are: their accents are no evidence.
_LOANWORDS = frozenset(
    """café cafés apéro apéros déjà vu crêpe crêpes crêperie fiancé fiancée résumé cliché
    touché soirée entrée appétit naïve décor métro rosé protégé""".split()
)


def _words(block):
    return frozenset(block.split())


_EVIDENCE_WORDS = {
    "fr": {
        **dict.fromkeys(_words(_FRENCH_WEAK), WEAK),
        **dict.fromkeys(_words(_FRENCH_STRONG), STRONG),
    },
    "en": {
        **dict.fromkeys(_words(_ENGLISH_WEAK), WEAK),
        **dict.fromkeys(_words(_ENGLISH_STRONG), STRONG),
    },
}


def detect_language(text, languages=None):
    """Returns the code of the main language of TEXT, one of LANGUAGES.

    LANGUAGES defaults to settings.GOINGSOLO_LANGUAGES. Text with nothing to decide on
    (empty, only emoji, links or mentions) gets the first of them, the instance's default.
    """
    languages = list(dict.fromkeys(languages or settings.GOINGSOLO_LANGUAGES))
    if not languages:
        raise ImproperlyConfigured("GOINGSOLO_LANGUAGES is empty.")
    prose = strip_non_prose(text or "")
    if len(languages) == 1 or not any(char.isalpha() for char in prose):
        return languages[0]

    probabilities = _probabilities(prose, languages)
    best = max(languages, key=probabilities.__getitem__)
    words = _WORD.findall(prose.replace("’", "'"))
    if len(words) > SHORT_TEXT_WORDS and probabilities[best] >= CONFIDENT:
        return best

    evidence = _evidence(words, languages)
    scores = {
        # A probability of 0.0 would be minus infinity: floor it so words can still count.
        language: math.log(max(probabilities[language], 1e-9)) + evidence.get(language, 0.0)
        for language in languages
    }
    return max(languages, key=scores.__getitem__)


def strip_non_prose(text):
    """TEXT without code, quoted lines, URLs, addresses, mentions, emoji and symbols."""
    text = unicodedata.normalize("NFC", text)
    for pattern in (_FENCED_CODE, _INDENTED_CODE, _INLINE_CODE, _QUOTED_LINE):
        text = pattern.sub("\n", text)
    for pattern in (_URL, _EMAIL, _MENTION, _HASHTAG):
        text = pattern.sub(" ", text)
    # Emoji, currency and math signs (categories S*), and what glues emoji together:
    # joiners (Cf) and variation selectors (Mn; after NFC, accents are part of letters).
    kept = (
        " "
        if unicodedata.category(char)[0] == "S" or unicodedata.category(char) in ("Cf", "Mn")
        else char
        for char in text
    )
    return " ".join("".join(kept).split())


def _evidence(words, languages):
    """Log-odds per language, from the words of the text; only English and French have any."""
    scores = {language: 0.0 for language in _EVIDENCE_WORDS if language in languages}
    if not scores:
        return scores
    for position, word in enumerate(words):
        lowered = word.lower()
        for language, weight in _word_evidence(lowered, is_name=position > 0 and word[0].isupper()):
            if language in scores:
                scores[language] += weight
    return scores


def _word_evidence(word, is_name):
    """(language, weight) pairs for one lowercased word."""
    for language, table in _EVIDENCE_WORDS.items():
        if word in table:
            return [(language, table[word])]
    found = []
    if _FRENCH_ELISION.match(word):
        # The elided article or pronoun is evidence, and so is the word it is glued to.
        found.append(("fr", STRONG))
        return found + _word_evidence(word.split("'", 1)[1], is_name=False)
    if _ENGLISH_CONTRACTION.search(word):
        found.append(("en", STRONG))
        stem = word[:-3] if word.endswith("n't") else word.rsplit("'", 1)[0]
        return found + _word_evidence(stem, is_name=False)
    if "-" in word:
        # week-end, peut-être, envoie-moi: the parts speak (the pronoun of an imperative).
        for part in word.split("-"):
            found += _word_evidence(part, is_name)
        return found
    # An accent is weak evidence: English borrows French words, and a capitalised word
    # in the middle of a sentence is probably a name (Amélie, Genève).
    if not is_name and word not in _LOANWORDS and _FRENCH_DIACRITICS.intersection(word):
        found.append(("fr", WEAK))
    return found


def _probabilities(text, languages):
    """{language: probability} over LANGUAGES, summing to 1, from py3langid's model
    restricted to them (goingsolo/core/language_model.py: mapped, shared by processes)."""
    ranked = language_model.model_for(language_model.codes_of(languages)).rank(text)
    # py3langid knows base codes ("pt"); the instance may configure regional ones.
    scores = {language: ranked[language_model.base_code(language)] for language in languages}
    total = sum(scores.values()) or 1.0
    return {language: score / total for language, score in scores.items()}
