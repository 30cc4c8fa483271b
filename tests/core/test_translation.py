"""Translation on demand, against a local LibreTranslate look-alike over real HTTP."""

import time

import pytest
from django.utils import translation
from django.utils.translation import gettext

from goingsolo.core.models import Translation
from goingsolo.core.translation import (
    TranslationError,
    cached_translate,
    translate,
    translation_enabled,
)
from tests.fakes import TRANSLATION_API_KEY as API_KEY
from tests.fakes import FakeTranslationService

TIMEOUT = 0.5

TIMEOUT_EN = "The translation service did not answer in time. Try again later."
UNAVAILABLE_EN = "The translation service is not available right now."
REFUSED_EN = "The translation service refused this text."


@pytest.fixture
def service(settings):
    with FakeTranslationService(settings, timeout=TIMEOUT) as fake:
        yield fake


def test_translation_is_enabled_by_a_configured_address(service, settings):
    assert translation_enabled()
    settings.GOINGSOLO_TRANSLATION_URL = ""
    assert not translation_enabled()


def test_a_text_is_translated_by_the_service(service):
    assert translate("Oui pour samedi.", source="fr", target="en") == "[en] Oui pour samedi."
    assert service.requests == [
        {
            "q": "Oui pour samedi.",
            "source": "fr",
            "target": "en",
            "format": "text",
            "api_key": API_KEY,
        }
    ]


def test_html_is_sent_as_html(service):
    translate("<p>Bonjour</p>", source="fr", target="en", format="html")
    assert service.requests[0]["format"] == "html"


def test_a_text_already_in_the_target_language_is_not_sent(service):
    assert translate("Hello", source="en", target="en") == "Hello"
    assert service.requests == []


@pytest.mark.django_db
def test_a_cached_translation_is_asked_once_per_target_language(service):
    first = cached_translate("Merci Tom", source="fr", target="en")
    again = cached_translate("Merci Tom", source="fr", target="en")
    german = cached_translate("Merci Tom", source="fr", target="de")
    assert (first, again, german) == ("[en] Merci Tom", "[en] Merci Tom", "[de] Merci Tom")
    assert len(service.requests) == 2
    assert Translation.objects.count() == 2


@pytest.mark.django_db
def test_the_cache_tells_apart_formats_and_source_languages(service):
    cached_translate("Merci", source="fr", target="en")
    cached_translate("Merci", source="fr", target="en", format="html")
    cached_translate("Merci", source="es", target="en")
    assert len(service.requests) == 3


@pytest.mark.django_db
def test_a_failed_translation_is_not_cached(service):
    service.mode = "error_500"
    with pytest.raises(TranslationError):
        cached_translate("Salut", source="fr", target="en")
    service.mode = "ok"
    assert cached_translate("Salut", source="fr", target="en") == "[en] Salut"
    assert Translation.objects.get().translated_text == "[en] Salut"


FAILURES = [
    ("slow", "timeout", TIMEOUT_EN),
    ("close", "unavailable", UNAVAILABLE_EN),
    ("error_500", "unavailable", UNAVAILABLE_EN),
    ("error_400", "refused", REFUSED_EN),
    ("invalid_json", "unavailable", UNAVAILABLE_EN),
]


@pytest.mark.parametrize(("mode", "code", "message"), FAILURES)
def test_a_failing_service_gives_a_message_for_the_reader(service, mode, code, message):
    service.mode = mode
    with translation.override("en"), pytest.raises(TranslationError) as caught:
        translate("Bonjour", source="fr", target="en")
    assert caught.value.code == code
    assert str(caught.value) == message


@pytest.mark.parametrize(("mode", "code", "message"), FAILURES)
def test_a_failing_service_gives_a_message_in_french(service, mode, code, message):
    service.mode = mode
    with translation.override("fr"), pytest.raises(TranslationError) as caught:
        translate("Hello", source="en", target="fr")
    with translation.override("fr"):
        assert str(caught.value) == gettext(message)
        assert "traduction" in str(caught.value)


def test_a_wrong_api_key_is_not_blamed_on_the_text(service, settings):
    settings.GOINGSOLO_TRANSLATION_API_KEY = "wrong"
    with pytest.raises(TranslationError) as caught:
        translate("Bonjour", source="fr", target="en")
    assert caught.value.code == "unavailable"
    assert "wrong" not in str(caught.value)


def test_an_unreachable_service_is_unavailable(service, settings):
    service.shutdown()
    service.server_close()
    with pytest.raises(TranslationError) as caught:
        translate("Bonjour", source="fr", target="en")
    assert caught.value.code == "unavailable"


def test_a_slow_service_is_given_up_on_after_the_timeout(service):
    service.mode = "slow"
    started = time.monotonic()
    with pytest.raises(TranslationError):
        translate("Bonjour", source="fr", target="en")
    assert time.monotonic() - started < TIMEOUT + 1


def test_an_explicit_timeout_wins_over_the_setting(service, settings):
    settings.GOINGSOLO_TRANSLATION_TIMEOUT = 30
    service.mode = "slow"
    started = time.monotonic()
    with pytest.raises(TranslationError) as caught:
        translate("Bonjour", source="fr", target="en", timeout=0.3)
    assert caught.value.code == "timeout"
    assert time.monotonic() - started < 0.3 + 1


def test_without_an_address_nothing_is_sent(service, settings):
    settings.GOINGSOLO_TRANSLATION_URL = ""
    with pytest.raises(TranslationError) as caught:
        translate("Bonjour", source="fr", target="en")
    assert caught.value.code == "unavailable"
    assert service.requests == []


def test_only_http_addresses_are_used(settings):
    settings.GOINGSOLO_TRANSLATION_URL = "file:///etc"
    with pytest.raises(TranslationError):
        translate("Bonjour", source="fr", target="en")
