from django.urls import path

from . import views

app_name = "wiki"
P = "g/<slug:slug>/wiki/p/<slug:page_slug>/"
urlpatterns = [
    path("g/<slug:slug>/wiki/", views.page_list, name="pages"),
    path("g/<slug:slug>/wiki/new/", views.page_create, name="create"),
    path("g/<slug:slug>/wiki/changes/", views.recent_changes, name="changes"),
    path("g/<slug:slug>/wiki/review/", views.review_queue, name="review"),
    path(
        "g/<slug:slug>/wiki/review/<int:revision_id>/<str:decision>/",
        views.review_decide,
        name="review_decide",
    ),
    path(
        "g/<slug:slug>/wiki/members/<int:user_id>/revert/",
        views.member_revert,
        name="member_revert",
    ),
    path(
        "g/<slug:slug>/wiki/images/<int:attachment_id>/thumbnail/",
        views.image_file,
        {"thumbnail": True},
        name="image_thumbnail",
    ),
    path(
        "g/<slug:slug>/wiki/images/<int:attachment_id>/<str:name>", views.image_file, name="image"
    ),
    path(P, views.page_detail, name="page"),
    path(P + "edit/", views.page_edit, name="edit"),
    path(P + "draft/discard/", views.draft_discard, name="draft_discard"),
    path(P + "history/", views.page_history, name="history"),
    path(P + "diff/", views.revision_diff, name="diff"),
    path(P + "r/<int:number>/", views.revision_detail, name="revision"),
    path(P + "r/<int:number>/revert/", views.revision_revert, name="revert"),
    path(P + "links/", views.links_here, name="links"),
    path(P + "rename/", views.page_rename, name="rename"),
    path(P + "watch/", views.page_watch, name="watch"),
    path(P + "lock/", views.page_lock, name="lock"),
]
