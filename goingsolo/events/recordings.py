"""Recordings of talks: which video addresses are accepted and how they are embedded.

A recording is a YouTube, Vimeo or PeerTube address. It is checked and turned into the
address of the provider's player, embedded only after a click (no request reaches the
provider before that), from the privacy-enhanced hosts: youtube-nocookie.com,
player.vimeo.com (with do-not-track) and the PeerTube instances in `peertube_hosts()`.
The Content-Security-Policy of the pages that embed allows frames from exactly
`frame_hosts()`.
"""

import re
from dataclasses import dataclass
from urllib.parse import parse_qs, urlparse

from django.conf import settings
from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _

YOUTUBE_HOSTS = {"youtube.com", "www.youtube.com", "m.youtube.com", "youtu.be"}
YOUTUBE_EMBED = "https://www.youtube-nocookie.com/embed/{id}"
VIMEO_HOSTS = {"vimeo.com", "www.vimeo.com", "player.vimeo.com"}
VIMEO_EMBED = "https://player.vimeo.com/video/{id}?dnt=1"

_YOUTUBE_ID = re.compile(r"^[A-Za-z0-9_-]{11}$")
_VIMEO_ID = re.compile(r"^[0-9]{5,12}$")
# PeerTube: a UUID (/videos/watch/…) or a short UUID (/w/…).
_PEERTUBE_ID = re.compile(
    r"^(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|[1-9A-HJ-NP-Za-km-z]{20,24})$"
)


class Provider:
    YOUTUBE = "youtube"
    VIMEO = "vimeo"
    PEERTUBE = "peertube"


PROVIDER_NAMES = {
    Provider.YOUTUBE: "YouTube",
    Provider.VIMEO: "Vimeo",
    Provider.PEERTUBE: "PeerTube",
}


@dataclass(frozen=True)
class Recording:
    provider: str
    video_id: str
    embed_url: str
    host: str  # the host the player is loaded from


def peertube_hosts():
    """PeerTube is federated: the hosts accepted are the GOINGSOLO_PEERTUBE_HOSTS setting."""
    return tuple(settings.GOINGSOLO_PEERTUBE_HOSTS)


def frame_hosts():
    """Every origin a page with recordings may frame, for its Content-Security-Policy."""
    return [
        "https://www.youtube-nocookie.com",
        "https://player.vimeo.com",
        *(f"https://{host}" for host in peertube_hosts()),
    ]


def _invalid():
    hosts = ", ".join(peertube_hosts())
    return ValidationError(
        _(
            "This is not a video address we can show. Give the address of a YouTube or Vimeo "
            "video, or of a video on one of these PeerTube sites: %(hosts)s."
        )
        % {"hosts": hosts},
        code="invalid_recording",
    )


def parse_recording(url):
    """The Recording for URL, or a ValidationError that says what is accepted."""
    url = (url or "").strip()
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.hostname:
        raise _invalid()
    host = parsed.hostname.lower()
    segments = [part for part in parsed.path.split("/") if part]
    video_id = None
    if host in YOUTUBE_HOSTS:
        if host == "youtu.be" and segments:
            video_id = segments[0]
        elif segments[:1] == ["watch"] or not segments:
            video_id = (parse_qs(parsed.query).get("v") or [""])[0]
        elif len(segments) >= 2 and segments[0] in ("embed", "live", "shorts", "v"):
            video_id = segments[1]
        if video_id and _YOUTUBE_ID.match(video_id):
            return Recording(
                Provider.YOUTUBE,
                video_id,
                YOUTUBE_EMBED.format(id=video_id),
                "www.youtube-nocookie.com",
            )
    elif host in VIMEO_HOSTS:
        if host == "player.vimeo.com" and segments[:1] == ["video"] and len(segments) >= 2:
            video_id = segments[1]
        elif segments:
            video_id = segments[-1] if segments[0] in ("channels", "video") else segments[0]
        if video_id and _VIMEO_ID.match(video_id):
            return Recording(
                Provider.VIMEO, video_id, VIMEO_EMBED.format(id=video_id), "player.vimeo.com"
            )
    elif host in peertube_hosts():
        if len(segments) == 2 and segments[0] == "w":
            video_id = segments[1]
        elif len(segments) == 3 and segments[0] == "videos" and segments[1] in ("watch", "embed"):
            video_id = segments[2]
        if video_id and _PEERTUBE_ID.match(video_id):
            return Recording(
                Provider.PEERTUBE, video_id, f"https://{host}/videos/embed/{video_id}", host
            )
    raise _invalid()
