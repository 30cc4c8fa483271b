"""The member's download of their data: a zip of JSON files and their posts as Markdown.

Built when the member asks, in the request, into a temporary file that stays in memory up
to a few megabytes and spills to disk past that: a member's own writing is small, and a
job with a download link to fetch later would add a stored copy of their data to look
after (docs/privacy.md).
"""

import tempfile
import zipfile

from django.utils import timezone

from . import privacy

IN_MEMORY_UP_TO = 4 * 1024 * 1024


def profile_of(user):
    """What the member told the site about themselves (the profile form's fields, their
    addresses and their settings)."""
    return {
        "email": user.email,
        "email_addresses": [
            {"email": address.email, "verified": address.verified, "primary": address.primary}
            for address in user.emailaddress_set.order_by("pk")
        ],
        "display_name": user.display_name,
        "handle": user.handle,
        "bio": user.bio,
        "city": user.city,
        "country": str(user.country),
        "website": user.website,
        "skills": user.skill_list,
        "open_to_work": user.open_to_work,
        "spoken_languages": user.spoken_languages,
        "read_languages": user.read_languages,
        "interface_language": user.language,
        "time_zone": user.time_zone,
        "joined": user.date_joined,
        "avatar": user.avatar.name if user.avatar else "",
    }


def export_archive(user):
    """A file object, at its start, holding USER's zip; close it once sent."""
    archive = tempfile.SpooledTemporaryFile(max_size=IN_MEMORY_UP_TO)
    files = [privacy.ExportFile("profile.json", profile_of(user)), *privacy.export_files(user)]
    with zipfile.ZipFile(archive, "w", compression=zipfile.ZIP_DEFLATED) as bundle:
        for file in files:
            bundle.writestr(file.path, file.as_bytes())
        if user.avatar:
            with user.avatar.open("rb") as avatar:
                bundle.writestr(f"avatar/{user.avatar.name.rsplit('/', 1)[-1]}", avatar.read())
    archive.seek(0)
    return archive


def archive_name(user):
    return f"goingsolo-{user.handle}-{timezone.now():%Y-%m-%d}.zip"
