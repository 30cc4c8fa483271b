"""Compares language detectors on the short posts of tests/core/language_samples.tsv.

    .venv/bin/python bench/language_detection.py [--repeat N]

Candidates, all restricted to the instance's languages (en, fr):
  py3langid        py3langid's model with set_languages
  lingua-low       lingua-language-detector, low-accuracy mode
  lingua-high      lingua-language-detector, high-accuracy mode (its default)
  goingsolo        goingsolo.core.language.detect_language (py3langid + word evidence)

Each candidate runs in a fresh interpreter, so the memory it adds (resident set after
importing, loading and classifying every sample, minus the resident set before) is its
own. lingua is optional: without it, its rows say so and the rest runs.
The figures of the decision are in docs/decisions/0001-language-detection.md.
"""

import argparse
import csv
import importlib.metadata
import importlib.util
import json
import os
import re
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLES = ROOT / "tests" / "core" / "language_samples.tsv"
LANGUAGES = ["en", "fr"]
CANDIDATES = ["py3langid", "lingua-low", "lingua-high", "goingsolo"]
SHORT = 4
_WORD = re.compile(r"[^\W\d_]+")


def load_samples():
    with SAMPLES.open(encoding="utf-8", newline="") as file:
        rows = list(csv.reader(file, delimiter="\t", quoting=csv.QUOTE_NONE))
    return [(language, text) for language, text in rows[1:]]


def word_count(text):
    """Words as a reader counts them: URLs, mentions and numbers are not words."""
    text = re.sub(r"(?:https?://|@)\S+", " ", text)
    return len(_WORD.findall(text))


def resident_mb():
    with open("/proc/self/statm") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE") / 2**20


def peak_mb():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def build(name):
    """Imports and loads candidate NAME; returns a function text -> language code."""
    if name == "py3langid":
        import py3langid

        py3langid.set_languages(LANGUAGES)
        return lambda text: py3langid.classify(text)[0]
    if name.startswith("lingua"):
        from lingua import IsoCode639_1, LanguageDetectorBuilder

        builder = LanguageDetectorBuilder.from_iso_codes_639_1(
            *(IsoCode639_1.from_str(code) for code in LANGUAGES)
        )
        if name == "lingua-low":
            builder = builder.with_low_accuracy_mode()
        detector = builder.with_preloaded_language_models().build()

        def detect(text):
            language = detector.detect_language_of(text)
            # Undecided: the instance's default, as goingsolo does.
            return language.iso_code_639_1.name.lower() if language else LANGUAGES[0]

        return detect
    if name == "goingsolo":
        from goingsolo.core.language import detect_language

        return lambda text: detect_language(text, LANGUAGES)
    raise ValueError(name)


def measure(name, repeat):
    """Runs in the child interpreter: prints one JSON line of figures for NAME."""
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "config.settings")
    import django

    django.setup()
    samples = load_samples()
    before, peak_before = resident_mb(), peak_mb()
    started = time.perf_counter()
    detect = build(name)
    answers = [detect(text) for _, text in samples]
    load_seconds = time.perf_counter() - started
    added, peak_added = resident_mb() - before, peak_mb() - peak_before
    started = time.perf_counter()
    for _ in range(repeat):
        for _, text in samples:
            detect(text)
    per_call = (time.perf_counter() - started) / (repeat * len(samples))
    misses = [
        (language, text)
        for (language, text), answer in zip(samples, answers, strict=True)
        if answer != language
    ]
    print(
        json.dumps(
            {
                "misses": misses,
                "load_seconds": load_seconds,
                "added_mb": added,
                "peak_added_mb": max(peak_added, added),
                "per_call_us": per_call * 1e6,
            }
        )
    )


def installed_mb(distribution):
    try:
        files = importlib.metadata.distribution(distribution).files or []
    except importlib.metadata.PackageNotFoundError:
        return None
    return sum(f.locate().stat().st_size for f in files if f.locate().exists()) / 2**20


def size_note(name):
    if name == "py3langid" or name == "goingsolo":
        return f"{installed_mb('py3langid'):.0f} MB + numpy {installed_mb('numpy'):.0f} MB (already needed by highspy)"
    size = installed_mb("lingua-language-detector")
    return f"{size:.0f} MB, no dependencies" if size is not None else "-"


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeat", type=int, default=5, help="timing passes over the samples")
    parser.add_argument("--measure", choices=CANDIDATES, help=argparse.SUPPRESS)
    parser.add_argument("--misses", action="store_true", help="list each candidate's errors")
    args = parser.parse_args()
    if args.measure:
        return measure(args.measure, args.repeat)

    samples = load_samples()
    short = {text for _, text in samples if word_count(text) <= SHORT}
    print(
        f"{len(samples)} samples ({sum(lang == 'en' for lang, _ in samples)} en, "
        f"{sum(lang == 'fr' for lang, _ in samples)} fr), {len(short)} of at most {SHORT} words; "
        f"languages {', '.join(LANGUAGES)}; Python {sys.version.split()[0]}\n"
    )
    header = f"{'detector':<12} {'all':>15} {'<=4 words':>15} {'per call':>9} {'load':>6} {'RSS added':>10} {'peak':>7}  installed"
    print(header)
    print("-" * len(header))
    lingua_installed = importlib.util.find_spec("lingua") is not None
    all_misses = {}
    for name in CANDIDATES:
        if name.startswith("lingua") and not lingua_installed:
            print(f"{name:<12} skipped: lingua-language-detector is not installed")
            continue
        completed = subprocess.run(
            [sys.executable, __file__, "--measure", name, "--repeat", str(args.repeat)],
            capture_output=True,
            text=True,
            check=True,
            cwd=ROOT,
        )
        figures = json.loads(completed.stdout.strip().splitlines()[-1])
        misses = [tuple(miss) for miss in figures["misses"]]
        all_misses[name] = misses
        short_misses = sum(text in short for _, text in misses)
        overall = f"{1 - len(misses) / len(samples):.1%} ({len(misses):>2} err)"
        brief = f"{1 - short_misses / len(short):.1%} ({short_misses:>2} err)"
        print(
            f"{name:<12} {overall:>15} {brief:>15} {figures['per_call_us']:>6.0f} µs "
            f"{figures['load_seconds']:>5.1f}s {figures['added_mb']:>7.0f} MB "
            f"{figures['peak_added_mb']:>4.0f} MB  {size_note(name)}"
        )
    print(
        "\nper call: mean over all samples; load: import, load and first pass; RSS added: resident\n"
        "memory after loading and classifying, minus before (Django already set up); peak: the\n"
        "highest resident memory reached while loading, minus before."
    )
    if args.misses:
        for name, misses in all_misses.items():
            print(f"\n{name} errors:")
            for language, text in misses:
                print(f"  expected {language}: {text}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
