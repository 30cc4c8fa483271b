import csv
import io
import os
import re
import subprocess
import sys
import threading
from pathlib import Path

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import call_command
from hypothesis import given
from hypothesis import settings as hypothesis_settings
from hypothesis import strategies as st
from py3langid.langid import MODEL_DIR, MODEL_FILE, LanguageIdentifier

from goingsolo.core import language_model
from goingsolo.core.language import detect_language

SAMPLES_PATH = Path(__file__).with_name("language_samples.tsv")
REQUIRED_ACCURACY = 0.97


def load_samples():
    with SAMPLES_PATH.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
    assert rows[0] == ["lang", "text"]
    return [(language, text) for language, text in rows[1:]]


def word_count(text):
    """Words as a reader counts them: URLs, mentions and numbers are not words."""
    return len(re.findall(r"[^\W\d_]+", re.sub(r"(?:https?://|@)\S+", " ", text)))


SAMPLES = load_samples()


def assert_accurate(samples):
    misses = [
        f"expected {language}, got {answer}: {text}"
        for language, text in samples
        if (answer := detect_language(text, ["en", "fr"])) != language
    ]
    accuracy = 1 - len(misses) / len(samples)
    assert accuracy >= REQUIRED_ACCURACY, (
        f"{accuracy:.1%} on {len(samples)} posts; misclassified:\n" + "\n".join(misses)
    )


def test_samples_are_many_short_and_in_both_languages():
    languages = [language for language, _ in SAMPLES]
    assert len(SAMPLES) >= 300
    assert set(languages) == {"en", "fr"}
    assert 0.4 < languages.count("fr") / len(languages) < 0.6
    assert all(1 <= word_count(text) <= 12 for _, text in SAMPLES)


def test_accuracy_on_all_samples_is_at_least_97_percent():
    assert_accurate(SAMPLES)


def test_accuracy_on_posts_of_at_most_four_words_is_at_least_97_percent():
    short = [(language, text) for language, text in SAMPLES if word_count(text) <= 4]
    assert len(short) >= 100
    assert_accurate(short)


@pytest.mark.parametrize(
    ("text", "language"),
    [
        ("Oui pour samedi.", "fr"),
        ("Ok for me", "en"),
        ("Merci Tom, super useful ton article", "fr"),
        ("ok pour moi", "fr"),
        ("c'etait genial, merci a tous", "fr"),
        ("Thanks Amélie and Loïc for organising", "en"),
        ("Le meeting est cancel, sorry", "fr"),
        ("Thanks, merci beaucoup to everyone who came", "en"),
        ("Oui, I'll be there", "en"),
        ("Bon appétit, lunch is here", "en"),
        ("@julie tu viens ce soir ? 🎉", "fr"),
        ("Slides are up: https://slides.example.com/leeds", "en"),
    ],
)
def test_short_and_mixed_posts_get_their_main_language(text, language):
    assert detect_language(text, ["en", "fr"]) == language


def test_a_single_configured_language_is_always_the_answer():
    assert detect_language("Je passe demain matin au coworking", ["en"]) == "en"
    assert detect_language("See you Thursday", ["fr"]) == "fr"


def test_the_configured_languages_are_the_default(settings):
    settings.GOINGSOLO_LANGUAGES = ["en", "fr", "de"]

    assert detect_language("Wir treffen uns am Samstag im Coworking.") == "de"
    assert detect_language("Kommst du auch zum Barcamp?") == "de"
    assert detect_language("Oui pour samedi.") == "fr"
    assert detect_language("Ok for me") == "en"


def test_german_is_never_the_answer_when_not_configured():
    assert detect_language("Wir treffen uns am Samstag im Coworking.", ["en", "fr"]) in {"en", "fr"}


@pytest.mark.parametrize(
    "text",
    ["", "   ", "🎉👍🏽", "https://example.org/signup", "@tom @lea", "> only a quote", "12:30"],
)
def test_text_with_nothing_to_decide_on_gets_the_default_language(settings, text):
    settings.GOINGSOLO_LANGUAGES = ["fr", "en"]

    assert detect_language(text) == "fr"
    assert detect_language(text, ["en", "fr"]) == "en"


def test_quotes_code_links_and_mentions_do_not_count():
    post = (
        "> I completely agree with everything you said about pricing last week\n"
        "Moi aussi, je suis d'accord.\n"
        "```\npip install the-best-accounting-tool --with-all-the-options\n```\n"
        "Voir `make run` et https://docs.example.com/getting-started/for/freelancers @tom"
    )

    assert detect_language(post, ["en", "fr"]) == "fr"


def test_a_language_without_a_model_is_a_configuration_error():
    with pytest.raises(ImproperlyConfigured):
        detect_language("Oui pour samedi.", ["en", "xx"])


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.text(max_size=80), st.sampled_from([["en", "fr"], ["fr", "en"], ["en", "fr", "de"]]))
def test_any_text_gets_one_of_the_configured_languages(text, languages):
    assert detect_language(text, languages) in languages


def test_command_prints_one_language_per_line_read(settings):
    settings.GOINGSOLO_LANGUAGES = ["en", "fr"]
    out = io.StringIO()

    call_command(
        "detect-language",
        stdin=io.StringIO("Oui pour samedi.\n\nOk for me\n🎉\nMerci Tom, super useful ton article"),
        stdout=out,
    )

    assert out.getvalue().splitlines() == ["fr", "en", "en", "en", "fr"]


def test_goingsolo_detect_language_answers_each_line_as_it_arrives():
    goingsolo = Path(sys.executable).with_name("goingsolo")
    process = subprocess.Popen(
        [goingsolo, "detect-language"],
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        text=True,
        env={**os.environ, "GOINGSOLO_LANGUAGES": "en,fr"},
    )
    # A command that waits for the end of its input would hang the test: kill it instead.
    watchdog = threading.Timer(60, process.kill)
    watchdog.start()
    try:
        # Each answer is read before the next line is written: the command must not wait
        # for the end of its input.
        for line, expected in [("Je suis dispo jeudi", "fr"), ("See you Thursday", "en")]:
            process.stdin.write(line + "\n")
            process.stdin.flush()
            assert process.stdout.readline() == expected + "\n"
        process.stdin.close()
        assert process.wait(timeout=60) == 0
    finally:
        watchdog.cancel()
        process.kill()


# The compact model (goingsolo/core/language_model.py) ------------------------------------


def test_the_compact_model_gives_py3langids_probabilities(tmp_path):
    folder = tmp_path / "model"
    language_model.build({"en", "fr", "de"}, folder)
    compact = language_model.CompactModel(folder)
    reference = LanguageIdentifier.from_model_file(MODEL_DIR / MODEL_FILE, norm_probs=True)
    reference.set_languages(["en", "fr", "de"])
    texts = [text for _language, text in SAMPLES[:200]] + ["ÉTÉ À LAUSANNE", "a" * 3000, "?"]
    for text in texts:
        expected = dict(reference.rank(text))
        found = compact.rank(text)
        assert found.keys() == expected.keys()
        for code, probability in expected.items():
            assert found[code] == pytest.approx(probability, abs=1e-4), (text, code)


def test_detecting_a_language_maps_the_model_and_leaves_numpy_out(tmp_path):
    """The serving processes do not load py3langid's 60 MB: they map the compact files
    that an earlier process (`goingsolo _prepare`) wrote, here in a fresh data folder."""

    def python(code):
        result = subprocess.run(
            [sys.executable, "-c", f"import django, sys; django.setup(); {code}"],
            capture_output=True,
            text=True,
            timeout=120,
            env={
                **os.environ,
                "DJANGO_SETTINGS_MODULE": "config.settings",
                "GOINGSOLO_DATA_DIR": str(tmp_path),
            },
        )
        assert result.returncode == 0, result.stderr
        return result.stdout.split()

    python("from goingsolo.core import language_model as m; m.prepare(m.codes_of(['en', 'fr']))")
    assert list(tmp_path.glob("cache/language-model-*/nextmove.bin"))
    answers = python(
        "from goingsolo.core.language import detect_language;"
        "print(detect_language('On se voit samedi ?', ['en', 'fr']));"
        "print(any(name.startswith(('numpy', 'py3langid')) for name in sys.modules))"
    )
    assert answers == ["fr", "False"]
