from django.urls import path

from . import views_inbound

app_name = "mail_inbound"
urlpatterns = [
    path("g/<slug:slug>/mail/held/", views_inbound.held_list, name="held"),
    path(
        "g/<slug:slug>/mail/held/<int:message_id>/<str:decision>/",
        views_inbound.held_decide,
        name="held_decide",
    ),
    path("g/<slug:slug>/mail/settings/", views_inbound.list_settings, name="settings"),
    path("g/<slug:slug>/archive.mbox", views_inbound.archive_mbox, name="archive"),
    path("mail/delivery/resume/", views_inbound.delivery_resume, name="delivery_resume"),
    path("mail/confirm/<str:token>/", views_inbound.confirm, name="confirm"),
]
