from django.urls import path

from . import views

app_name = "groups"
urlpatterns = [
    path("groups/", views.group_list, name="list"),
    path("groups/new/", views.group_create, name="create"),
    path("g/<slug:slug>/", views.group_detail, name="detail"),
    path("g/<slug:slug>/about/", views.group_about, name="about"),
    path("g/<slug:slug>/settings/", views.group_settings, name="settings"),
    path("g/<slug:slug>/join/", views.group_join, name="join"),
    path("g/<slug:slug>/leave/", views.group_leave, name="leave"),
    path("g/<slug:slug>/members/", views.member_list, name="members"),
    path("g/<slug:slug>/members/<int:membership_id>/role/", views.member_role, name="member_role"),
    path(
        "g/<slug:slug>/members/<int:membership_id>/remove/",
        views.member_remove,
        name="member_remove",
    ),
    path("g/<slug:slug>/requests/", views.request_list, name="requests"),
    path(
        "g/<slug:slug>/requests/<int:request_id>/<str:decision>/",
        views.request_decide,
        name="request_decide",
    ),
    path("g/<slug:slug>/invitations/", views.invitation_list, name="invitations"),
    path("invitations/<str:token>/", views.invitation, name="invitation"),
    path("members/<int:pk>/", views.member_profile, name="member_profile"),
    path("search/", views.search, name="search"),
]
