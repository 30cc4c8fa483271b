import zoneinfo

from django.utils import timezone, translation
from django.utils.functional import LazyObject


class MemberPreferencesMiddleware:
    """Shows pages in the member's language and time zone.

    Runs after LocaleMiddleware (which reads Accept-Language and the language cookie) and
    authentication: a logged-in member's saved interface language wins over the browser's.
    """

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if user is not None and user.is_authenticated:
            # Read here anyway: the page then reads the member itself, not through the
            # lazy wrapper's two indirections and a caught exception on each of its
            # hundred-odd reads of request.user (docs/decisions/0002-read-path.md).
            if isinstance(user, LazyObject):
                user = request.user = user._wrapped
            if user.language:
                translation.activate(user.language)
                request.LANGUAGE_CODE = user.language
            try:
                timezone.activate(zoneinfo.ZoneInfo(user.time_zone))
            except (zoneinfo.ZoneInfoNotFoundError, ValueError):
                timezone.deactivate()
        else:
            timezone.deactivate()
        response = self.get_response(request)
        response.headers.setdefault("Content-Language", translation.get_language())
        # The thread serves other requests next: leave no member's zone behind.
        timezone.deactivate()
        return response
