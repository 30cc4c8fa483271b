""" "Would you come?": the interest checks of a group, answering one, turning one into an
event; and the reach of a city, which organisers look at before asking."""

from asgiref.sync import sync_to_async
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from django_countries import countries

from goingsolo.core import live
from goingsolo.groups.access import LoginRequired, group_access, login_when_needed
from goingsolo.groups.rules import Action

from .. import forms, rules, selectors, services
from ..answer_links import check_and_member
from ..models import InterestAnswer, InterestCheck
from ..reach import drawing, gazetteer
from ..reach.places import PlaceChoiceForm, member_resolution
from ..services.interest_checks import check_channel
from .common import (
    check_for,
    render_event_form,
    render_group_page,
    run_and_tell,
    save_posted,
)


@login_when_needed
def check_list(request, slug):
    access = group_access(request, slug, Action.VIEW_CONTENT)
    return render_group_page(
        request,
        "events/check_list.html",
        access,
        checks=selectors.group_checks(group=access.group),
        can_create=rules.can_create(request.user, access.group, access.membership),
    )


@login_when_needed
def check_create(request, slug):
    access = group_access(request, slug, Action.MODERATE)
    form = forms.InterestCheckForm(request.POST or None, initial={"kind": "barcamp"})
    check = save_posted(
        request,
        form,
        lambda: services.interest_check_open(
            group=access.group, by=request.user, **form.cleaned_data
        ),
        _("Your question is open: members can answer it now."),
    )
    if check:
        return redirect(check)
    return render_group_page(
        request,
        "events/check_form.html",
        access,
        form=form,
        cities=selectors.member_city_names(group=access.group),
    )


@login_when_needed
def check_detail(request, slug, check_id):
    access, check = check_for(request, slug, check_id)
    answer = selectors.answer_of(user=request.user, check=check)
    initial = (
        {
            "answer": answer.answer,
            "from_city": answer.from_city,
            "from_country": answer.from_country,
        }
        if answer
        else {}
    )
    is_organiser = rules.can_organise_check(request.user, check, access.membership)
    by_city, by_country = selectors.answers_by_place(check=check) if is_organiser else ([], [])
    return render_group_page(
        request,
        "events/check_detail.html",
        access,
        check=check,
        answer=answer,
        form=forms.InterestAnswerForm(initial=initial),
        can_answer=check.is_open
        and rules.can_register(request.user, access.group, access.membership),
        is_organiser=is_organiser,
        by_city=by_city,
        by_country=by_country,
        conversion=selectors.check_conversion(check=check),
        live_id=live.current_event_id() if is_organiser else None,
    )


def _organiser_of(request, slug, check_id):
    """The check when the visitor organises it, else None (the same for a check that
    does not exist and one they may not see)."""
    try:
        access, check = check_for(request, slug, check_id)
    except (Http404, PermissionDenied, LoginRequired):
        return None
    if not rules.can_organise_check(request.user, check, access.membership):
        return None
    return check


async def check_events(request, slug, check_id):
    """The answers to a check as they arrive, for its organiser's page (server-sent events)."""
    check = await sync_to_async(_organiser_of)(request, slug, check_id)
    if check is None:
        raise Http404

    def still_organiser(request):
        return rules.can_organise_check(request.user, check)

    return await live.sse_response(request, [check_channel(check.pk)], authorize=still_organiser)


def answer_link(request, token, answer):
    """The one-click answer of an email: a page with the answer chosen and one button, so
    mail scanners that follow every link answer nothing; the button saves it."""
    found = check_and_member(token)
    if found is None or answer not in InterestAnswer.Answer.values:
        raise Http404
    check, member = found
    if request.method == "POST":
        try:
            services.interest_answer(
                check=check, user=member, answer=answer, source=InterestAnswer.Source.LINK
            )
        except (ValidationError, PermissionDenied) as error:
            messages.error(request, " ".join(getattr(error, "messages", [str(error)])))
        else:
            messages.success(request, _("Thank you, your answer is saved."))
        return redirect("events:answer_link", token=token, answer=answer)
    return render(
        request,
        "events/answer_link.html",
        {
            "check": check,
            "group": check.group,
            "member": member,
            "answer": answer,
            "answer_label": InterestAnswer.Answer(answer).label,
            "current": selectors.answer_of(user=member, check=check),
            "others": [
                (value, label) for value, label in InterestAnswer.Answer.choices if value != answer
            ],
            "token": token,
        },
    )


@require_POST
@login_when_needed
def check_answer(request, slug, check_id):
    _viewer, check = check_for(request, slug, check_id, Action.POST)
    form = forms.InterestAnswerForm(request.POST)
    if form.is_valid():
        run_and_tell(
            request,
            lambda: services.interest_answer(check=check, user=request.user, **form.cleaned_data),
            _("Thank you, your answer is saved."),
        )
    else:
        messages.error(request, _("Choose yes, maybe or no."))
    return redirect(check)


@require_POST
@login_when_needed
def check_close(request, slug, check_id):
    _viewer, check = check_for(request, slug, check_id)
    services.interest_check_close(check=check, by=request.user)
    messages.success(request, _("The question is closed."))
    return redirect(check)


@login_when_needed
def check_convert(request, slug, check_id):
    access, check = check_for(request, slug, check_id)
    if not rules.can_organise_check(request.user, check, access.membership):
        raise PermissionDenied(_("Only the organiser can do this."))
    initial = forms.event_initial_from_check(check, request.user.time_zone)
    form = forms.EventForm(request.POST or None, initial=initial)
    event = save_posted(
        request,
        form,
        lambda: services.interest_check_convert(
            check=check, by=request.user, **form.event_fields()
        ),
        lambda _event: (
            _("The event is created; the %(count)d people who said yes are registered.")
            % {"count": check.yes_count}
        ),
    )
    if event:
        return redirect(event)
    return render_event_form(request, access, form, check=check)


@login_when_needed
def reach(request, slug):
    """Who could come to a city: members around it, the turnout forecast, the signs of an
    exhausted network, the sister groups; for a check (?check=<id>), with its answers."""
    access = group_access(request, slug, Action.MODERATE)
    query = request.GET.copy()
    query.setdefault("radius", str(gazetteer.DEFAULT_RADIUS_KM))
    form = forms.ReachForm(query)
    data = form.cleaned_data if form.is_valid() else {}
    check = None
    if (request.GET.get("check") or "").isdigit():
        check = (
            InterestCheck.objects.filter(group=access.group, pk=int(request.GET["check"]))
            .select_related("event")
            .first()
        )
    report = selectors.reach(
        group=access.group,
        viewer=request.user,
        city=data.get("city") or "",
        country=data.get("country") or "",
        radius_km=data.get("radius", gazetteer.DEFAULT_RADIUS_KM),
        check=check,
        threshold=data.get("threshold"),
        awake_at=data.get("online_at"),
    )
    return render_group_page(
        request,
        "events/reach.html",
        access,
        form=form,
        report=report,
        check=check,
        world_map=drawing.world_map(report),
        turnout_chart=drawing.turnout_chart(report),
        cities=selectors.member_city_names(group=access.group),
        countries=list(countries),
    )


@require_POST
@login_required
def my_place(request):
    """The member picks, among the places called like their city, the one they live in."""
    resolution = member_resolution(request.user)
    form = PlaceChoiceForm(request.POST, candidates=resolution.candidates)
    if form.is_valid():
        run_and_tell(
            request,
            lambda: services.member_place_choose(
                user=request.user, geonameid=form.cleaned_data["geonameid"]
            ),
            _("Thank you: your city is placed on the map."),
        )
    else:
        messages.error(request, _("Choose one of the places in the list."))
    return redirect(reverse("accounts:profile_edit") + "#where-you-live")
