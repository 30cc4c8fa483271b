"""py3langid's model, cut to the instance's languages, in files every process maps.

py3langid loads its whole model into each process that uses it: numpy, and a transition
table of 39 MB for its byte automaton, about 58 MB in each of the web server, the worker
and the mail listener. Here the model is read once (by `goingsolo _prepare`, or else by the
first process that needs it), cut to the configured languages, and written as flat arrays
to DATA_DIR/cache/language-model-<key>/. Every process then maps the transition table
(mmap): a detection touches a few pages of it, which the operating system's cache holds
once for all processes, and numpy is not imported to detect a language.

The scores are py3langid's own (`rank()` with normalised probabilities): the same walk of
the automaton over the text's UTF-8 bytes, the same naive Bayes sum, the same softmax
tempered by the square root of the length. tests/core/test_language.py compares them.
"""

import hashlib
import importlib.metadata
import json
import math
import mmap
import os
import shutil
import tempfile
import threading
import unicodedata
from array import array
from collections import Counter
from pathlib import Path

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured

FORMAT = 1
FILES = ("pc", "ptc", "row", "output", "nextmove")


def base_code(language):
    """py3langid's code for LANGUAGE: it knows "pt", the instance may say "pt-BR"."""
    return language.lower().replace("_", "-").split("-")[0]


def codes_of(languages):
    return frozenset(base_code(language) for language in languages)


def cache_folder(codes, root=None):
    """Where the model cut to CODES lives: one folder per py3langid version and languages,
    under ROOT (default DATA_DIR/cache)."""
    key = f"{FORMAT}:{importlib.metadata.version('py3langid')}:{','.join(sorted(codes))}"
    digest = hashlib.sha256(key.encode()).hexdigest()[:16]
    root = Path(settings.DATA_DIR) / "cache" if root is None else Path(root)
    return root / f"language-model-{digest}"


def prepare(codes):
    """The folder of the model of CODES, built if missing: in DATA_DIR/cache, or in the
    system's temporary folder when the data folder cannot be written."""
    folder = cache_folder(codes)
    if (folder / "meta.json").exists():
        return folder
    try:
        build(codes, folder)
    except OSError:
        folder = cache_folder(codes, Path(tempfile.gettempdir()) / "goingsolo")
        if not (folder / "meta.json").exists():
            build(codes, folder)
    return folder


def build(codes, folder):
    """Reads py3langid's model and writes the columns of CODES to FOLDER (atomically: a
    process that loses the race keeps the winner's files)."""
    # Only the first start of an instance builds the columns: numpy and the full model are
    # not loaded by every process.
    import numpy as np  # noqa: PLC0415 -- defers a heavy import
    from py3langid.langid import MODEL_DIR, MODEL_FILE  # noqa: PLC0415 -- defers a heavy import
    from py3langid.modelio import load_model  # noqa: PLC0415 -- defers a heavy import

    ptc, pc, classes, nextmove, row, output = load_model(MODEL_DIR / MODEL_FILE)
    unknown = set(codes).difference(classes)
    if unknown:
        raise ImproperlyConfigured(
            f"GOINGSOLO_LANGUAGES: no language model for {', '.join(sorted(unknown))}."
        )
    columns = [index for index, code in enumerate(classes) if code in codes]
    arrays = {
        "pc": array("f", np.asarray(pc[columns], dtype=np.float32).tobytes()),
        # float16 in py3langid's file; float32 holds every value exactly.
        "ptc": array("f", np.ascontiguousarray(ptc[:, columns], dtype=np.float32).tobytes()),
        "row": array("I", row),
        "output": array("i", output),
        "nextmove": array("I", nextmove),
    }
    folder.parent.mkdir(parents=True, exist_ok=True)
    building = Path(tempfile.mkdtemp(prefix=".building-", dir=folder.parent))
    building.chmod(0o755)  # mkdtemp's 0700 would hide it from another user's processes
    try:
        for name, values in arrays.items():
            with open(building / f"{name}.bin", "wb") as file:
                values.tofile(file)
        meta = {"classes": [classes[index] for index in columns], "format": FORMAT}
        (building / "meta.json").write_text(json.dumps(meta))
        try:
            os.rename(building, folder)
        except OSError:
            if not (folder / "meta.json").exists():
                raise
    finally:
        shutil.rmtree(building, ignore_errors=True)


class CompactModel:
    """The model of one folder: small arrays read, the transition table mapped."""

    def __init__(self, folder):
        meta = json.loads((folder / "meta.json").read_text())
        self.classes = meta["classes"]
        self.pc = self._read(folder / "pc.bin", "f")
        self.ptc = self._read(folder / "ptc.bin", "f")
        # Where each state's 256 transitions start (a row is shared by many states).
        self.rowbase = array("I", (row << 8 for row in self._read(folder / "row.bin", "I")))
        self.output = self._read(folder / "output.bin", "i")
        with open(folder / "nextmove.bin", "rb") as file:
            self._map = mmap.mmap(file.fileno(), 0, access=mmap.ACCESS_READ)
        self.nextmove = memoryview(self._map).cast("I")

    @staticmethod
    def _read(path, typecode):
        values = array(typecode)
        values.frombytes(path.read_bytes())
        return values

    def rank(self, text):
        """{language: probability}, as py3langid's rank() with norm_probs gives them."""
        data = _encode(text)
        counts = self._features(data)
        width = len(self.classes)
        scores = [0.0] * width
        if counts:
            ptc = self.ptc
            for feature, count in counts.items():
                weight = math.log1p(count)
                base = feature * width
                for column in range(width):
                    scores[column] += weight * ptc[base + column]
            scores = [score + self.pc[column] for column, score in enumerate(scores)]
        temperature = 1.0 / math.sqrt(len(data) or 1)
        scores = [score * temperature for score in scores]
        top = max(scores)
        exps = [math.exp(score - top) for score in scores]
        total = sum(exps)
        probabilities = {}
        # A language with two columns (two scripts) adds them up, as py3langid does.
        for code, value in zip(self.classes, exps, strict=True):
            probabilities[code] = probabilities.get(code, 0.0) + value / total
        return probabilities

    def _features(self, data):
        nextmove, rowbase, output = self.nextmove, self.rowbase, self.output
        state, found = 0, []
        for byte in data:
            state = nextmove[rowbase[state] + byte]
            feature = output[state]
            if feature >= 0:
                found.append(feature)
        return Counter(found)


def _encode(text):
    # py3langid's: upper-case text in lower case, NFC, UTF-8.
    if text.isupper():
        text = text.lower()
    return unicodedata.normalize("NFC", text).encode("utf8", errors="surrogatepass")


_lock = threading.Lock()
_models = {}


def model_for(codes):
    """The compact model of CODES (a set of py3langid codes), built on first need."""
    key = frozenset(codes)
    model = _models.get(key)
    if model is None:
        with _lock:
            model = _models.get(key)
            if model is None:
                model = _models[key] = CompactModel(prepare(key))
    return model
