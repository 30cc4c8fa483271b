from django.urls import path

from . import views, views_members

app_name = "moderation"

G = "g/<slug:slug>/"

urlpatterns = [
    path(G + "review/", views.queue, name="queue"),
    path(G + "review/log/", views.log, name="log"),
    path(G + "review/post/<int:post_id>/<str:decision>/", views.post_decide, name="post_decide"),
    path(
        G + "review/edit/<int:revision_id>/<str:decision>/",
        views.revision_decide,
        name="revision_decide",
    ),
    path(G + "review/flag/<int:flag_id>/<str:decision>/", views.flag_decide, name="flag_decide"),
    path(G + "review/member/<int:user_id>/warn/", views.member_warn, name="member_warn"),
    path(
        G + "review/email/<int:message_id>/<str:decision>/", views.email_decide, name="email_decide"
    ),
    path(
        G + "review/request/<int:request_id>/<str:decision>/",
        views.request_decide,
        name="request_decide",
    ),
    path(G + "flag/<str:kind>/<int:object_id>/", views.flag_create, name="flag"),
    # Every group's queue and log, for the instance admins.
    path("review/", views.staff_queue, name="staff_queue"),
    path("review/log/", views.staff_log, name="staff_log"),
]

# A member as moderators see them, and the controls on them (views_members.py).
urlpatterns += [
    path(G + "review/members/<int:user_id>/", views_members.member, name="member"),
    path(
        G + "review/members/<int:user_id>/<str:control>/",
        views_members.member_act,
        name="member_act",
    ),
    path(G + "review/bans/", views_members.ban_list, name="bans"),
]
