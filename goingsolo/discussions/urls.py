from django.urls import path

from .views import live, posts, threads

app_name = "discussions"

G = "g/<slug:slug>/"
T = G + "t/<int:thread_id>/"
P = G + "p/<int:post_id>/"

urlpatterns = [
    path(G + "t/new/", threads.thread_create, name="thread_create"),
    path(T, threads.thread_detail, name="thread"),
    path(T + "reply/", threads.thread_reply, name="reply"),
    path(T + "poll/", threads.poll_vote, name="poll_vote"),
    path(T + "subscription/", threads.thread_subscription, name="subscription"),
    *[
        path(T + f"{action}/", threads.thread_moderate, {"action": action}, name=action)
        for action in threads.MODERATION
    ],
    path(G + "notifications/", threads.notification_level, name="notification_level"),
    path(T + "p/<int:position>/", live.post_fragment, name="post_fragment"),
    path(T + "events/", live.thread_events, name="thread_events"),
    path(G + "events/", live.group_events, name="group_events"),
    path(P + "edit/", posts.post_edit, name="post_edit"),
    path(P + "delete/", posts.post_delete, name="post_delete"),
    path(P + "restore/", posts.post_restore, name="post_restore"),
    path(P + "history/", posts.post_history, name="post_history"),
    path(P + "language/", posts.post_language, name="post_language"),
    path(P + "react/", posts.post_react, name="post_react"),
    path(P + "translate/", posts.post_translate, name="post_translate"),
    path(
        G + "files/<int:attachment_id>/thumbnail/",
        posts.attachment_file,
        {"thumbnail": True},
        name="attachment_thumbnail",
    ),
    path(G + "files/<int:attachment_id>/<str:name>", posts.attachment_file, name="attachment"),
    path(G + "members/mentions/", posts.mention_candidates, name="mentions"),
]
