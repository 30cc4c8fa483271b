"""The discussions' section of a group's page (its threads) and of the home page (the latest in
the member's groups), and the Discussions tab (goingsolo/groups/sections.py, tabs.py)."""

from django.core.paginator import Page, Paginator
from django.utils.translation import gettext_lazy as _

from goingsolo.core import live
from goingsolo.groups import sections, tabs

from . import selectors
from .forms import ActivityFilterForm, NotificationLevelForm, ThreadFilterForm

# The group's page lists its threads first: the Discussions tab is that page.
tabs.register(tabs.Tab("discussions", _("Discussions"), "groups:detail", order=10))


# New threads reach the list live (live.js, docs/live-updates.md).
@sections.register(
    "group", stylesheets=["goingsolo/discussions.css"], scripts=["goingsolo/live.js"]
)
def group_section(request, *, group, access):
    """The thread list on a group's page, with its filters and unread markers."""
    if not access.can_view_content:
        return None
    logged_in = request.user.is_authenticated
    form = ThreadFilterForm(
        request.GET or None, logged_in=logged_in, can_moderate=access.can_moderate
    )
    show = form.value("threads") or ""
    language = form.value("language") or ""
    if not show and not language and form.value("page") in (None, 1):
        # The page every visit opens on: by queries built once (selectors).
        rows, count = selectors.group_threads_first_page(
            group=group, user=request.user, membership=access.membership
        )
        paginator = Paginator((), selectors.THREADS_PER_PAGE)
        paginator.count = count
        page = Page(rows, 1, paginator)
    else:
        threads = selectors.group_threads(
            group=group,
            user=request.user,
            membership=access.membership,
            show=show,
            language=language,
        )
        page = Paginator(threads, selectors.THREADS_PER_PAGE).get_page(form.value("page"))
        rows = list(page.object_list)
    for thread in rows:
        thread.group = group  # the row's fragment key names the group: no query per row
    # Every row carries a read state, none for a reader who is not a member: a template
    # lookup that misses an attribute costs a dir() of the row (bench/read_path.py).
    joined_at = access.membership.joined_at if access.membership is not None else None
    selectors.mark_unread(rows, lambda thread: joined_at)
    context = {
        "threads": rows,
        "rows_key": selectors.rows_key(rows),
        "page": page,
        "filter_form": form,
        "show": show,
        "filtered": bool(show or form.value("language")),
        # Threads started after this render reach the page as a "resync".
        "live_id": live.current_event_id(),
        "level_form": NotificationLevelForm(initial={"level": access.membership.notification_level})
        if access.membership
        else None,
    }
    return sections.Section(template="discussions/_group_section.html", context=context, order=10)


@sections.register("home", stylesheets=["goingsolo/discussions.css"])
def home_section(request, *, groups):
    """Recent activity across the member's groups."""
    if not request.user.is_authenticated or not groups:
        return None
    form = ActivityFilterForm(request.GET or None)
    # Until the member picks a language here, the feed shows the languages they read.
    chosen = "activity_language" in request.GET
    language = form.value("activity_language") or ""
    languages = () if chosen else request.user.read_languages
    # The paginator's own count would be the page query's, without its stop at the page.
    count = selectors.activity_count(user=request.user, language=language, languages=languages)
    rows = None
    if not count:
        rows = []
    elif form.value("activity_page") in (None, 1):
        # The page the home page opens on: by a query built once (selectors).
        rows = selectors.activity_first_page(
            user=request.user, language=language, languages=languages
        )
    if rows is not None:
        paginator = Paginator((), selectors.ACTIVITY_PER_PAGE)
        paginator.count = count
        page = Page(rows, 1, paginator)
    else:
        threads = selectors.activity_of(user=request.user, language=language, languages=languages)
        paginator = Paginator(threads, selectors.ACTIVITY_PER_PAGE)
        paginator.count = count
        page = paginator.get_page(form.value("activity_page"))
        rows = list(page.object_list)
    rows = selectors.mark_unread(rows, lambda thread: thread.joined_at)
    return sections.Section(
        template="discussions/_home_section.html",
        context={
            "threads": rows,
            "rows_key": selectors.rows_key(rows),
            "page": page,
            "filter_form": form,
            "reading_languages": [] if chosen else request.user.read_languages,
        },
        order=10,
    )
