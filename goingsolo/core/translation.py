"""Translation of a text on demand, through a LibreTranslate-compatible HTTP API.

An instance may configure a translation service (GOINGSOLO_TRANSLATION_URL); readers then
get a "Translate" button on texts written in another language than theirs. Nothing here
knows what is translated: callers pass a text, its language and the reader's language.

The protocol is LibreTranslate's: POST {url}/translate with JSON
{"q", "source", "target", "format", "api_key"} answers {"translatedText": "..."}, and
errors come back as HTTP 4xx/5xx with {"error": "..."}.

The request runs inside a web request, so it is short (GOINGSOLO_TRANSLATION_TIMEOUT) and
every failure becomes a TranslationError whose message can be shown to the reader as is.
What the service said is logged for the operator, never shown: it may name the API key.
"""

import hashlib
import http.client
import json
import logging
import time
import urllib.error
import urllib.request

from django.conf import settings
from django.utils.translation import gettext_lazy as _

from .models import Translation

logger = logging.getLogger(__name__)

FORMATS = ("text", "html")
# A translation is about as long as its source; this much is never a real answer.
MAX_RESPONSE_BYTES = 4 * 1024 * 1024
_READ_CHUNK = 64 * 1024

TIMEOUT_MESSAGE = _("The translation service did not answer in time. Try again later.")
UNAVAILABLE_MESSAGE = _("The translation service is not available right now.")
REFUSED_MESSAGE = _("The translation service refused this text.")

# Statuses that blame the text (malformed, too long, unsupported language pair). Any other
# error, such as a wrong API key or a quota, is the instance's problem, not the reader's.
_TEXT_REFUSED_STATUSES = {400, 413, 422}


class TranslationError(Exception):
    """A translation could not be obtained.

    str(error) is a translated message for the reader, in the language active when it is
    read; `code` is "timeout", "unavailable" or "refused".
    """

    def __init__(self, message, *, code):
        super().__init__(message)
        self.message = message
        self.code = code

    def __str__(self):
        return str(self.message)


def translation_enabled():
    return bool(settings.GOINGSOLO_TRANSLATION_URL)


def translate(text, *, source, target, format="text", timeout=None):
    """Returns TEXT, written in language SOURCE, translated into TARGET.

    FORMAT is "text" or "html" (the service then keeps the markup). Raises TranslationError
    when no service is configured, when it does not answer within TIMEOUT seconds
    (GOINGSOLO_TRANSLATION_TIMEOUT by default), or when it answers with an error or with
    something that is not a translation.

    The answer comes from another server: escape it, or sanitise it when FORMAT is
    "html", before it reaches a page.
    """
    if format not in FORMATS:
        raise ValueError(f"format must be one of {FORMATS}, not {format!r}")
    if source == target or not text.strip():
        return text
    base_url = settings.GOINGSOLO_TRANSLATION_URL
    if not base_url:
        raise TranslationError(UNAVAILABLE_MESSAGE, code="unavailable")
    if not base_url.startswith(("http://", "https://")):
        # urllib would also open file:// and ftp:// addresses.
        logger.error("GOINGSOLO_TRANSLATION_URL is not an http(s) address: %r", base_url)
        raise TranslationError(UNAVAILABLE_MESSAGE, code="unavailable")
    if timeout is None:
        timeout = float(settings.GOINGSOLO_TRANSLATION_TIMEOUT)

    payload = {"q": text, "source": source, "target": target, "format": format}
    api_key = settings.GOINGSOLO_TRANSLATION_API_KEY
    if api_key:
        payload["api_key"] = api_key
    request = urllib.request.Request(
        base_url.rstrip("/") + "/translate",
        data=json.dumps(payload).encode(),
        headers={"Content-Type": "application/json", "Accept": "application/json"},
        method="POST",
    )
    deadline = time.monotonic() + timeout
    try:
        with urllib.request.urlopen(request, timeout=timeout) as response:
            body = _read_before(response, deadline)
    except urllib.error.HTTPError as error:
        with error:
            detail = _error_detail(error)
        logger.warning("Translation service answered %s: %s", error.code, detail)
        if error.code in _TEXT_REFUSED_STATUSES:
            raise TranslationError(REFUSED_MESSAGE, code="refused") from error
        raise TranslationError(UNAVAILABLE_MESSAGE, code="unavailable") from error
    except TimeoutError as error:
        logger.warning("Translation service did not answer within %s s", timeout)
        raise TranslationError(TIMEOUT_MESSAGE, code="timeout") from error
    except urllib.error.URLError as error:
        # A timeout while connecting arrives wrapped in a URLError.
        if isinstance(error.reason, TimeoutError):
            logger.warning("Translation service did not answer within %s s", timeout)
            raise TranslationError(TIMEOUT_MESSAGE, code="timeout") from error
        logger.warning("Translation service unreachable: %s", error.reason)
        raise TranslationError(UNAVAILABLE_MESSAGE, code="unavailable") from error
    except (OSError, http.client.HTTPException) as error:
        # Connection reset or closed without an answer, malformed HTTP.
        logger.warning("Translation service failed: %r", error)
        raise TranslationError(UNAVAILABLE_MESSAGE, code="unavailable") from error

    try:
        translated = json.loads(body)["translatedText"]
    except (ValueError, KeyError, TypeError) as error:
        logger.warning("Translation service sent something else than a translation: %r", body[:200])
        raise TranslationError(UNAVAILABLE_MESSAGE, code="unavailable") from error
    if not isinstance(translated, str):
        logger.warning("Translation service sent something else than a translation: %r", body[:200])
        raise TranslationError(UNAVAILABLE_MESSAGE, code="unavailable")
    return translated


def cached_translate(text, *, source, target, format="text"):
    """translate(), remembered: each text is sent to the service once per target language.

    Side effect: stores a new translation as a core.Translation row. Raises
    TranslationError as translate() does; failures are not remembered.
    """
    if source == target or not text.strip():
        return text
    source_hash = translation_source_hash(text, source=source, format=format)
    cached = (
        Translation.objects.filter(source_hash=source_hash, target_language=target)
        .values_list("translated_text", flat=True)
        .first()
    )
    if cached is not None:
        return cached
    translated = translate(text, source=source, target=target, format=format)
    # Two readers may ask at once: the unique constraint keeps one row, both get a text.
    Translation.objects.get_or_create(
        source_hash=source_hash,
        target_language=target,
        defaults={"translated_text": translated},
    )
    return translated


def translation_source_hash(text, *, source, format="text"):
    """What identifies a text to translate: its language, its format and its words."""
    # NUL cannot appear in a language code or a format, so the parts cannot run together.
    return hashlib.sha256(f"{source}\0{format}\0{text}".encode()).hexdigest()


def _read_before(response, deadline):
    """The response body, or TimeoutError once DEADLINE passes.

    The socket timeout bounds each read, not the whole answer: a service that trickles
    bytes would otherwise hold the web request for as long as it likes.
    """
    chunks = []
    size = 0
    while chunk := response.read1(_READ_CHUNK):
        chunks.append(chunk)
        size += len(chunk)
        if time.monotonic() > deadline:
            raise TimeoutError("translation answer took too long")
        if size > MAX_RESPONSE_BYTES:
            raise http.client.HTTPException("translation answer too large")
    return b"".join(chunks)


def _error_detail(error):
    try:
        return json.loads(error.read(64 * 1024))["error"]
    except (OSError, ValueError, KeyError, TypeError, http.client.HTTPException):
        return "(no error message)"
