"""Bad input gets a clear, translated message and stores nothing wrong."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from goingsolo.accounts.models import Notification
from goingsolo.discussions.models import Attachment, Mention, Post, Reaction, Thread
from tests.factories import UserFactory

from .conftest import png_file

pytestmark = pytest.mark.django_db


def new_thread_url(community):
    return reverse("discussions:thread_create", args=[community.group.slug])


def reply_url(thread):
    return reverse("discussions:reply", args=[thread.group.slug, thread.pk])


def french(user):
    user.language = "fr"
    user.save(update_fields=["language"])
    return user


def test_empty_title(client, community):
    client.force_login(community.marie)
    response = client.post(new_thread_url(community), {"title": "  ", "body": "Hello"})
    assert response.status_code == 200
    assert "Give the thread a title." in response.content.decode()
    assert "Hello" in response.content.decode()  # the text is kept
    assert not Thread.objects.exists()


def test_empty_title_in_french(client, community):
    client.force_login(french(community.marie))
    response = client.post(new_thread_url(community), {"title": "", "body": "Bonjour"})
    assert "Donnez un titre à la discussion." in response.content.decode()
    assert not Thread.objects.exists()


def test_empty_body(client, community):
    client.force_login(community.marie)
    response = client.post(new_thread_url(community), {"title": "A title", "body": "\n  \n"})
    assert "Write a message." in response.content.decode()
    assert not Thread.objects.exists()
    thread = community.thread()
    response = client.post(reply_url(thread), {"body": ""})
    assert "Write a message." in response.content.decode()
    assert thread.posts.count() == 1


def test_body_over_the_limit_states_the_limit(client, community, settings):
    settings.GOINGSOLO_POST_MAX_CHARS = 1000
    thread = community.thread()
    client.force_login(community.tom)
    response = client.post(reply_url(thread), {"body": "x" * 1001})
    assert (
        "A message has at most 1,000 characters; this one has 1,001." in response.content.decode()
    )
    assert thread.posts.count() == 1


def test_body_over_the_limit_in_french(client, community, settings):
    settings.GOINGSOLO_POST_MAX_CHARS = 1000
    client.force_login(french(community.marie))
    response = client.post(new_thread_url(community), {"title": "Titre", "body": "x" * 1500})
    # French writes thousands with a non-breaking space (docs/voice.md).
    assert (
        "Un message compte au plus 1\u00a0000 caractères\u00a0; celui-ci en a 1\u00a0500."
        in response.content.decode()
    )
    assert not Thread.objects.exists()


def test_file_over_the_limit_posts_nothing_and_keeps_the_text(client, community, settings):
    settings.GOINGSOLO_ATTACHMENT_MAX_BYTES = 100
    client.force_login(community.marie)
    response = client.post(
        new_thread_url(community),
        {"title": "With a photo", "body": "See the photo", "attachments": [png_file()]},
    )
    html = response.content.decode()
    assert "“photo.png” is" in html and "a file can be at most 100\xa0bytes." in html
    assert "See the photo" in html and "With a photo" in html
    assert "choose them again" in html
    assert not Thread.objects.exists() and not Attachment.objects.exists()


def test_file_of_a_refused_type(client, community):
    thread = community.thread()
    client.force_login(community.tom)
    page = SimpleUploadedFile(
        "page.svg", b'<svg onload="alert(1)"></svg>', content_type="image/svg+xml"
    )
    response = client.post(reply_url(thread), {"body": "My logo", "attachments": [page]})
    assert "Only images (JPEG, PNG, GIF, WebP) and documents" in response.content.decode()
    assert thread.posts.count() == 1 and not Attachment.objects.exists()


def test_file_of_a_refused_type_in_french(client, community):
    thread = community.thread()
    client.force_login(french(community.tom))
    script = SimpleUploadedFile(
        "run.exe", b"MZ\x90\x00\x03", content_type="application/octet-stream"
    )
    response = client.post(reply_url(thread), {"body": "Mon outil", "attachments": [script]})
    assert "Seules les images" in response.content.decode()
    assert thread.posts.count() == 1


def test_posting_in_a_group_you_are_not_a_member_of_is_refused(client, public_community):
    thread = public_community.thread()
    outsider = UserFactory()
    client.force_login(outsider)
    assert client.post(reply_url(thread), {"body": "Let me in"}).status_code == 403
    response = client.post(new_thread_url(public_community), {"title": "Hi", "body": "Let me in"})
    assert response.status_code == 403
    react = reverse("discussions:post_react", args=[thread.group.slug, thread.posts.get().pk])
    assert client.post(react, {"emoji": "👍"}).status_code == 403
    assert Post.objects.count() == 1 and Thread.objects.count() == 1
    assert not Reaction.objects.exists()


def test_editing_someone_elses_post_is_refused(client, community):
    thread = community.thread(body="Marie's words")
    post = thread.posts.get()
    client.force_login(community.tom)
    edit = reverse("discussions:post_edit", args=[community.group.slug, post.pk])
    assert client.get(edit).status_code == 403
    assert client.post(edit, {"body": "Tom's words"}).status_code == 403
    delete = reverse("discussions:post_delete", args=[community.group.slug, post.pk])
    assert client.post(delete).status_code == 403
    post.refresh_from_db()
    assert post.body == "Marie's words" and post.deleted_at is None


def test_moderation_is_refused_to_members(client, community):
    thread = community.thread()
    reply = community.reply(thread)
    client.force_login(community.tom)
    for action in ("pin", "unpin", "announce", "lock", "unlock"):
        url = reverse(f"discussions:{action}", args=[community.group.slug, thread.pk])
        assert client.post(url).status_code == 403, action
    client.force_login(community.moderator)  # moderators close threads, admins pin them
    assert (
        client.post(reverse("discussions:pin", args=[community.group.slug, thread.pk])).status_code
        == 403
    )
    client.force_login(community.tom)
    for name in ("post_restore", "post_history"):
        url = reverse(f"discussions:{name}", args=[community.group.slug, reply.pk])
        assert client.post(url).status_code == 403, name
    thread.refresh_from_db()
    assert not (thread.is_pinned or thread.is_announcement or thread.is_locked)


def test_reacting_twice(client, community):
    thread = community.thread()
    post = thread.posts.get()
    client.force_login(community.tom)
    url = reverse("discussions:post_react", args=[community.group.slug, post.pk])
    client.post(url, {"emoji": "🎉"})
    response = client.post(url, {"emoji": "🎉"}, follow=True)
    assert "You already reacted with 🎉." in response.content.decode()
    assert Reaction.objects.filter(post=post).count() == 1
    response = client.post(url, {"emoji": "🎉"}, HTTP_HX_REQUEST="true")
    assert "You already reacted with 🎉." in response.content.decode()


def test_reacting_twice_in_french(client, community):
    thread = community.thread()
    post = thread.posts.get()
    client.force_login(french(community.tom))
    url = reverse("discussions:post_react", args=[community.group.slug, post.pk])
    client.post(url, {"emoji": "🎉"})
    response = client.post(url, {"emoji": "🎉"}, follow=True)
    assert "Vous avez déjà réagi avec 🎉." in response.content.decode()
    assert Reaction.objects.filter(post=post).count() == 1


def test_a_reaction_outside_the_offered_set(client, community):
    post = community.thread().posts.get()
    client.force_login(community.tom)
    url = reverse("discussions:post_react", args=[community.group.slug, post.pk])
    response = client.post(url, {"emoji": "💩"}, follow=True)
    assert "Choose one of the offered reactions." in response.content.decode()
    assert not Reaction.objects.exists()


def test_voting_twice(client, community):
    thread = community.thread(poll={"question": "Which day?", "options": ["Tue", "Thu"]})
    tue, thu = thread.poll.options.all()
    client.force_login(community.tom)
    url = reverse("discussions:poll_vote", args=[community.group.slug, thread.pk])
    client.post(url, {"options": tue.pk})
    response = client.post(url, {"options": thu.pk}, follow=True)
    assert "You have already voted in this poll." in response.content.decode()
    thread.poll.refresh_from_db()
    assert thread.poll.voter_count == 1


def test_voting_without_choosing(client, community):
    thread = community.thread(poll={"question": "Which day?", "options": ["Tue", "Thu"]})
    client.force_login(community.tom)
    url = reverse("discussions:poll_vote", args=[community.group.slug, thread.pk])
    response = client.post(url, {}, follow=True)
    assert "Choose an option." in response.content.decode()


def test_a_poll_with_one_option(client, community):
    client.force_login(community.marie)
    response = client.post(
        new_thread_url(community),
        {"title": "Poll", "body": "Vote", "poll_question": "Yes?", "poll_options": "Yes"},
    )
    assert "A poll needs at least two options." in response.content.decode()
    assert not Thread.objects.exists()


def test_mention_of_a_non_member_warns_and_notifies_nobody(
    client, community, django_capture_on_commit_callbacks
):
    stranger = UserFactory(handle="stranger")
    thread = community.thread()
    client.force_login(community.tom)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reply_url(thread), {"body": "Ask @stranger, she knows."}, follow=True
        )
    assert (
        "@stranger is not a member of this group; nobody was notified." in response.content.decode()
    )
    reply = thread.posts.get(position=2)
    assert not Mention.objects.filter(post=reply).exists()
    assert not Notification.objects.filter(recipient=stranger).exists()
    assert '<a class="mention"' not in reply.body_html


def test_mention_of_a_non_member_in_french(client, community):
    UserFactory(handle="stranger")
    thread = community.thread()
    client.force_login(french(community.tom))
    response = client.post(reply_url(thread), {"body": "Demandez à @stranger."}, follow=True)
    assert (
        "@stranger n’est pas membre de ce groupe\u00a0; personne n’a été notifié."
        in response.content.decode()
    )
    assert thread.posts.count() == 2


def test_a_reply_in_a_closed_thread(client, community):
    thread = community.thread()
    thread.is_locked = True
    thread.save(update_fields=["is_locked"])
    client.force_login(community.tom)
    response = client.post(reply_url(thread), {"body": "Late answer"})
    assert "This thread is closed to new replies." in response.content.decode()
    assert thread.posts.count() == 1
    client.force_login(community.moderator)  # moderators may still answer
    assert client.post(reply_url(thread), {"body": "Closing note"}).status_code == 302
