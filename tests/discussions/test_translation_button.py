"""Translation on demand: a post in another language than the reader's has a "Translate"
button, when the instance has a translation service (here a local LibreTranslate
look-alike over real HTTP)."""

import pytest
from django.urls import reverse

from goingsolo.core.models import Translation
from tests.fakes import FakeTranslationService

from .conftest import Community

pytestmark = pytest.mark.django_db

FRENCH = "Oui pour **samedi**, je viens avec Tom."
TIMEOUT_EN = "The translation service did not answer in time. Try again later."
UNAVAILABLE_EN = "The translation service is not available right now."


@pytest.fixture
def service(settings):
    with FakeTranslationService(settings, timeout=0.5) as fake:
        yield fake


@pytest.fixture
def french_thread(community):
    """A thread opened in French, with a reply in English."""
    thread = community.thread(title="Samedi", body=FRENCH, language="fr")
    community.reply(thread, body="Count me in as well.", language="en")
    return thread


def translate_url(post):
    return reverse("discussions:post_translate", args=[post.group.slug, post.pk])


def french_post(thread):
    return thread.posts.get(position=1)


def translate_buttons(response):
    return response.content.decode().count('class="inline translate-form"')


def test_no_button_without_a_translation_service(client, community, french_thread, settings):
    settings.GOINGSOLO_TRANSLATION_URL = ""
    client.force_login(community.tom)
    page = client.get(french_thread.get_absolute_url())
    assert translate_buttons(page) == 0
    assert client.post(translate_url(french_post(french_thread))).status_code == 404


def test_button_only_on_posts_in_another_language_than_the_readers(
    client, community, french_thread, service
):
    client.force_login(community.tom)  # reads in English
    page = client.get(french_thread.get_absolute_url())
    assert translate_buttons(page) == 1
    assert translate_url(french_post(french_thread)) in page.content.decode()

    community.marie.language = "fr"
    community.marie.save()
    client.force_login(community.marie)  # reads in French: the English reply has one
    page = client.get(french_thread.get_absolute_url())
    assert translate_buttons(page) == 1
    reply = french_thread.posts.get(position=2)
    assert translate_url(reply) in page.content.decode()
    assert service.requests == []  # showing a button asks nothing


def test_translation_in_place_with_htmx_then_from_the_cache(
    client, community, french_thread, service
):
    client.force_login(community.tom)
    post = french_post(french_thread)
    fragment = client.post(translate_url(post), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert "<strong>samedi</strong>" in html  # Markdown of the translation, rendered
    assert "[en] Oui pour" in html
    assert "Translated from French" in html
    assert "show original" in html
    assert 'lang="fr"' in html  # the original, one click away
    assert service.requests == [
        {"q": FRENCH, "source": "fr", "target": "en", "format": "text", "api_key": "local-test-key"}
    ]
    assert Translation.objects.count() == 1

    again = client.post(translate_url(post), headers={"HX-Request": "true"})
    assert "[en] Oui pour" in again.content.decode()
    assert len(service.requests) == 1  # no second call to the service


def test_translation_without_javascript_shows_on_the_thread_page(
    client, community, french_thread, service
):
    client.force_login(community.tom)
    post = french_post(french_thread)
    response = client.post(translate_url(post))
    assert response.status_code == 302
    assert response.url == f"{french_thread.get_absolute_url()}?page=1&translate={post.pk}#post-1"
    page = client.get(response.url)
    html = page.content.decode()
    assert "[en] Oui pour <strong>samedi</strong>" in html
    assert "Translated from French" in html
    assert FRENCH.replace("**samedi**", "<strong>samedi</strong>") in html  # the original
    assert translate_buttons(page) == 0  # translated already
    # The page without the translation is one link away.
    plain = client.get(french_thread.get_absolute_url())
    assert "[en] Oui" not in plain.content.decode()
    client.get(response.url)
    assert len(service.requests) == 1


def test_the_services_answer_is_rendered_like_a_post_never_trusted(
    client, community, french_thread, service
):
    service.translate = lambda body: (
        'Yes <script>alert(1)</script> <img src=x onerror="alert(2)"> [link](javascript:alert(3))'
    )
    client.force_login(community.tom)
    html = client.post(
        translate_url(french_post(french_thread)), headers={"HX-Request": "true"}
    ).content.decode()
    assert "<script>" not in html
    assert "&lt;script&gt;" in html  # raw HTML is shown as text
    assert "<img" not in html
    assert 'href="javascript' not in html
    assert "Yes" in html


@pytest.mark.parametrize(("mode", "message"), [("slow", TIMEOUT_EN), ("error_500", UNAVAILABLE_EN)])
def test_a_failing_service_leaves_the_page_working_with_a_message(
    client, community, french_thread, service, mode, message
):
    service.mode = mode
    client.force_login(community.tom)
    post = french_post(french_thread)

    fragment = client.post(translate_url(post), headers={"HX-Request": "true"})
    assert fragment.status_code == 200
    html = fragment.content.decode()
    assert message in html
    assert "Oui pour <strong>samedi</strong>" in html  # the original stays
    assert "Try again" in html

    page = client.get(client.post(translate_url(post)).url)
    assert page.status_code == 200
    html = page.content.decode()
    assert message in html
    assert "Oui pour <strong>samedi</strong>" in html
    assert "Count me in as well." in html
    assert Translation.objects.count() == 0


def test_a_secret_groups_post_cannot_be_translated_by_an_outsider(client, service):
    secret = Community(visibility="secret", prefix="s-")
    thread = secret.thread(body=FRENCH, language="fr")
    outsider = Community(prefix="o-").tom
    client.force_login(outsider)
    post = french_post(thread)
    assert client.post(translate_url(post)).status_code == 404
    assert client.post(translate_url(post), headers={"HX-Request": "true"}).status_code == 404
    response = client.get(f"{thread.get_absolute_url()}?translate={post.pk}")
    assert response.status_code == 404
    assert service.requests == []


def test_a_post_of_another_group_is_not_found_through_mine(client, community, service):
    other = Community(visibility="secret", prefix="x-")
    post = french_post(other.thread(body=FRENCH, language="fr"))
    client.force_login(community.tom)
    wrong = reverse("discussions:post_translate", args=[community.group.slug, post.pk])
    assert client.post(wrong).status_code == 404
    assert service.requests == []


def test_translating_asks_for_a_post(client, community, french_thread, service):
    client.force_login(community.tom)
    assert client.get(translate_url(french_post(french_thread))).status_code == 405
    english = french_thread.posts.get(position=2)
    assert client.post(translate_url(english)).status_code == 404  # already in English
