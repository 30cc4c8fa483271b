"""The one search box over everything the visitor may read, in every group; features register
how their results show (groups/search_kinds.py)."""

from datetime import datetime, time, timedelta

from django.core.paginator import Paginator
from django.shortcuts import render
from django.utils import timezone

from goingsolo.accounts.models import User
from goingsolo.core import rate_limits
from goingsolo.core import search as engine

from .. import rules, search_kinds
from ..forms import SearchForm
from ..models import Group

SEARCH_PAGE_SIZE = 20
SEARCH_MAX_PAGE = 1000


def search(request):
    """One search box over everything the visitor may read, in every group."""
    readable = Group.objects.filter(rules.content_visible_groups_q(request.user)).order_by("name")
    form = SearchForm(request.GET or None, groups=readable)
    results, total, page = [], 0, None
    searching = form.is_valid() and form.cleaned_data["q"].strip()
    # Over GOINGSOLO_RATE_LIMITS "search": the form comes back with what was typed and why.
    wait = rate_limits.hit_request(request, "search") if searching else None
    if wait:
        form.add_error(None, rate_limits.wait_message(wait))
    elif searching:
        data = form.cleaned_data
        author_id = None
        if data["author"]:
            author_id = (
                User.objects.filter(handle__iexact=data["author"].lstrip("@"))
                .values_list("pk", flat=True)
                .first()
                or -1
            )
        zone = timezone.get_current_timezone()
        since = (
            timezone.make_aware(datetime.combine(data["since"], time.min), zone)
            if data["since"]
            else None
        )
        until = (
            timezone.make_aware(datetime.combine(data["until"] + timedelta(days=1), time.min), zone)
            if data["until"]
            else None
        )
        page_text = request.GET.get("page", "1")
        # Past the last page the list is empty; an absurd number must not reach the database
        # ("²".isdigit() is true, but int() refuses it).
        if not page_text.isdecimal():
            page_number = 1
        elif len(page_text) > 6:
            page_number = SEARCH_MAX_PAGE
        else:
            page_number = min(max(1, int(page_text)), SEARCH_MAX_PAGE)
        found = engine.search(
            data["q"],
            group_ids=readable.values("pk"),
            kinds=search_kinds.kinds(),
            group_id=data["group"].pk if data["group"] else None,
            author_id=author_id,
            language=data["language"] or None,
            since=since,
            until=until,
            limit=SEARCH_PAGE_SIZE,
            offset=(page_number - 1) * SEARCH_PAGE_SIZE,
        )
        results, total = search_kinds.present(found.results), found.total
        page = Paginator(range(total), SEARCH_PAGE_SIZE).get_page(page_number) if total else None
    query_without_page = request.GET.copy()
    query_without_page.pop("page", None)
    response = render(
        request,
        "groups/search.html",
        {
            "form": form,
            "results": results,
            "total": total,
            "page": page,
            "query_string": query_without_page.urlencode(),
        },
    )
    return rate_limits.with_retry_after(response, wait) if wait else response
