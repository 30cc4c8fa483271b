"""Recordings: accepted addresses, players loaded only after a click, frames limited by CSP."""

import re
from datetime import timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from goingsolo.events import services
from goingsolo.events.recordings import parse_recording
from tests.factories import member_of

YT = "dQw4w9WgXcQ"


@pytest.mark.parametrize(
    ("url", "embed"),
    [
        (f"https://www.youtube.com/watch?v={YT}", f"https://www.youtube-nocookie.com/embed/{YT}"),
        (f"https://youtube.com/watch?v={YT}&t=42s", f"https://www.youtube-nocookie.com/embed/{YT}"),
        (f"https://youtu.be/{YT}", f"https://www.youtube-nocookie.com/embed/{YT}"),
        (f"https://www.youtube.com/embed/{YT}", f"https://www.youtube-nocookie.com/embed/{YT}"),
        (f"https://m.youtube.com/live/{YT}", f"https://www.youtube-nocookie.com/embed/{YT}"),
        ("https://vimeo.com/76979871", "https://player.vimeo.com/video/76979871?dnt=1"),
        (
            "https://player.vimeo.com/video/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
        (
            "https://vimeo.com/channels/staffpicks/76979871",
            "https://player.vimeo.com/video/76979871?dnt=1",
        ),
        (
            "https://framatube.org/w/9c9de5e8-0a1e-484a-b099-e80766180a6d",
            "https://framatube.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d",
        ),
        (
            "https://framatube.org/videos/watch/9c9de5e8-0a1e-484a-b099-e80766180a6d",
            "https://framatube.org/videos/embed/9c9de5e8-0a1e-484a-b099-e80766180a6d",
        ),
        (
            "https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv",
            "https://framatube.org/videos/embed/kkGMgK9ZtnKfYAgnEtQxbv",
        ),
    ],
)
def test_youtube_vimeo_and_peertube_addresses_give_their_privacy_friendly_player(url, embed):
    assert parse_recording(url).embed_url == embed


@pytest.mark.parametrize(
    "url",
    [
        "",
        "not a url",
        "javascript:alert(1)",
        "ftp://youtube.com/watch?v=dQw4w9WgXcQ",
        "https://www.youtube.com/watch?v=short",
        'https://www.youtube.com/watch?v=dQw4w9WgXcQ"><script>',
        "https://youtube.com.evil.example/watch?v=dQw4w9WgXcQ",
        "https://vimeo.com/about",
        "https://peertube.example.net/w/kkGMgK9ZtnKfYAgnEtQxbv",  # not an allowed instance
        "https://framatube.org/about",
        "https://www.dailymotion.com/video/x7tgad0",
    ],
)
def test_other_addresses_are_refused_with_a_clear_message(url):
    with pytest.raises(ValidationError, match="not a video address we can show"):
        parse_recording(url)


@pytest.fixture
def past_conference(db, make_event, organiser):
    past = (timezone.now() - timedelta(days=60)).replace(second=0, microsecond=0)
    event = make_event(
        kind="conference",
        title_en="Going Solo 2008",
        starts_at=past,
        ends_at=past + timedelta(hours=8),
    )
    for index, url in enumerate(
        [
            f"https://www.youtube.com/watch?v={YT}",
            "https://vimeo.com/76979871",
            "https://framatube.org/w/kkGMgK9ZtnKfYAgnEtQxbv",
        ]
    ):
        services.talk_save(
            event=event,
            by=organiser,
            title=f"Talk {index}",
            language="en",
            starts_at=past + timedelta(hours=index),
            ends_at=past + timedelta(hours=index, minutes=45),
            recording_url=url,
        )
    return event


THIRD_PARTY = re.compile(r"youtube|vimeo|framatube|peertube", re.IGNORECASE)


@pytest.mark.django_db
def test_the_event_page_makes_no_third_party_request_before_a_click(client, group, past_conference):
    client.force_login(member_of(group))
    page = client.get(past_conference.get_absolute_url()).text
    assert page.count('class="video-placeholder"') == 3
    assert "<iframe" not in page
    for attribute in re.findall(r'\s(?:src|href|srcset|poster|data)\s*=\s*"([^"]*)"', page):
        if attribute.startswith("http"):
            assert not THIRD_PARTY.search(attribute), attribute
    # The players' addresses wait in data attributes, for the script to use after a click.
    assert 'data-embed-url="https://www.youtube-nocookie.com/embed/dQw4w9WgXcQ"' in page


@pytest.mark.django_db
def test_only_the_players_hosts_may_be_framed_and_only_where_recordings_are_shown(
    client, group, past_conference
):
    client.force_login(member_of(group))
    policy = client.get(past_conference.get_absolute_url())["Content-Security-Policy"]
    frame_src = re.search(r"frame-src ([^;]*)", policy).group(1).split()
    assert "https://www.youtube-nocookie.com" in frame_src
    assert "https://player.vimeo.com" in frame_src
    assert "https://framatube.org" in frame_src
    assert all(host.startswith("https://") for host in frame_src)
    assert "'unsafe-inline'" not in policy and "*" not in frame_src
    other = client.get(reverse("events:agenda", args=[group.slug, past_conference.pk]))
    assert "frame-src 'none'" in other["Content-Security-Policy"]


@pytest.mark.django_db
def test_the_watch_page_embeds_the_player_after_the_click(client, group, past_conference):
    client.force_login(member_of(group))
    talk = past_conference.talks.get(title="Talk 1")
    page = client.get(
        reverse("events:talk_watch", args=[group.slug, past_conference.pk, talk.pk])
    ).text
    assert '<iframe src="https://player.vimeo.com/video/76979871?dnt=1"' in page
