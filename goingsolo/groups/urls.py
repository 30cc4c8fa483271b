from django.urls import path

from .views import groups, joining, members, search

app_name = "groups"
urlpatterns = [
    path("groups/", groups.group_list, name="list"),
    path("groups/new/", groups.group_create, name="create"),
    path("g/<slug:slug>/", groups.group_detail, name="detail"),
    path("g/<slug:slug>/about/", groups.group_about, name="about"),
    path("g/<slug:slug>/settings/", groups.group_settings, name="settings"),
    path("g/<slug:slug>/join/", joining.group_join, name="join"),
    path("g/<slug:slug>/leave/", joining.group_leave, name="leave"),
    path("g/<slug:slug>/requests/", joining.request_list, name="requests"),
    path(
        "g/<slug:slug>/requests/<int:request_id>/<str:decision>/",
        joining.request_decide,
        name="request_decide",
    ),
    path("g/<slug:slug>/invitations/", joining.invitation_list, name="invitations"),
    path("invitations/<str:token>/", joining.invitation, name="invitation"),
    path("g/<slug:slug>/members/", members.member_list, name="members"),
    path(
        "g/<slug:slug>/members/<int:membership_id>/role/", members.member_role, name="member_role"
    ),
    path(
        "g/<slug:slug>/members/<int:membership_id>/remove/",
        members.member_remove,
        name="member_remove",
    ),
    path("members/<int:pk>/", members.member_profile, name="member_profile"),
    path("search/", search.search, name="search"),
]
