from django.urls import path

from . import views

app_name = "discussions"

G = "g/<slug:slug>/"
T = G + "t/<int:thread_id>/"
P = G + "p/<int:post_id>/"

urlpatterns = [
    path(G + "t/new/", views.thread_create, name="thread_create"),
    path(T, views.thread_detail, name="thread"),
    path(T + "reply/", views.thread_reply, name="reply"),
    path(T + "p/<int:position>/", views.post_fragment, name="post_fragment"),
    path(T + "events/", views.thread_events, name="thread_events"),
    path(G + "events/", views.group_events, name="group_events"),
    path(T + "poll/", views.poll_vote, name="poll_vote"),
    path(T + "subscription/", views.thread_subscription, name="subscription"),
    *[
        path(T + f"{action}/", views.thread_moderate, {"action": action}, name=action)
        for action in views.MODERATION
    ],
    path(P + "edit/", views.post_edit, name="post_edit"),
    path(P + "delete/", views.post_delete, name="post_delete"),
    path(P + "restore/", views.post_restore, name="post_restore"),
    path(P + "history/", views.post_history, name="post_history"),
    path(P + "language/", views.post_language, name="post_language"),
    path(P + "react/", views.post_react, name="post_react"),
    path(P + "translate/", views.post_translate, name="post_translate"),
    path(
        G + "files/<int:attachment_id>/thumbnail/",
        views.attachment_file,
        {"thumbnail": True},
        name="attachment_thumbnail",
    ),
    path(G + "files/<int:attachment_id>/<str:name>", views.attachment_file, name="attachment"),
    path(G + "members/mentions/", views.mention_candidates, name="mentions"),
    path(G + "notifications/", views.notification_level, name="notification_level"),
]
