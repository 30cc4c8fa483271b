from django.urls import path

from .views import editing, moderation, reading

app_name = "wiki"
PAGE = "g/<slug:slug>/wiki/p/<slug:page_slug>/"
urlpatterns = [
    path("g/<slug:slug>/wiki/", reading.page_list, name="pages"),
    path("g/<slug:slug>/wiki/new/", editing.page_create, name="create"),
    path("g/<slug:slug>/wiki/changes/", reading.recent_changes, name="changes"),
    path("g/<slug:slug>/wiki/review/", moderation.review_queue, name="review"),
    path(
        "g/<slug:slug>/wiki/review/<int:revision_id>/<str:decision>/",
        moderation.review_decide,
        name="review_decide",
    ),
    path(
        "g/<slug:slug>/wiki/members/<int:user_id>/revert/",
        moderation.member_revert,
        name="member_revert",
    ),
    path(
        "g/<slug:slug>/wiki/images/<int:attachment_id>/thumbnail/",
        reading.image_file,
        {"thumbnail": True},
        name="image_thumbnail",
    ),
    path(
        "g/<slug:slug>/wiki/images/<int:attachment_id>/<str:name>", reading.image_file, name="image"
    ),
    path(PAGE, reading.page_detail, name="page"),
    path(PAGE + "edit/", editing.page_edit, name="edit"),
    path(PAGE + "draft/discard/", editing.draft_discard, name="draft_discard"),
    path(PAGE + "history/", reading.page_history, name="history"),
    path(PAGE + "diff/", reading.revision_diff, name="diff"),
    path(PAGE + "r/<int:number>/", reading.revision_detail, name="revision"),
    path(PAGE + "r/<int:number>/revert/", editing.revision_revert, name="revert"),
    path(PAGE + "links/", reading.links_here, name="links"),
    path(PAGE + "rename/", editing.page_rename, name="rename"),
    path(PAGE + "watch/", reading.page_watch, name="watch"),
    path(PAGE + "lock/", moderation.page_lock, name="lock"),
]
