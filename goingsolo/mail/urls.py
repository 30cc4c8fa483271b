from django.urls import path

from .inbound import views as inbound_views
from .outbound import views as outbound_views

app_name = "mail"
urlpatterns = [
    path("g/<slug:slug>/email/", outbound_views.group_email, name="group_email"),
    path("mail/choice/<str:token>/", outbound_views.delivery_by_link, name="delivery"),
    path("mail/unsubscribe/<str:token>/", outbound_views.unsubscribe, name="unsubscribe"),
    path("mail/unwatch/<str:token>/", outbound_views.wiki_unwatch, name="wiki_unwatch"),
    # Held messages are in the group's review queue; the former address leads there.
    path("g/<slug:slug>/mail/held/", inbound_views.held_list, name="held"),
    path("g/<slug:slug>/mail/settings/", inbound_views.list_settings, name="settings"),
    path("g/<slug:slug>/archive.mbox", inbound_views.archive_mbox, name="archive"),
    path("mail/delivery/resume/", inbound_views.delivery_resume, name="delivery_resume"),
    path("mail/confirm/<str:token>/", inbound_views.confirm, name="confirm"),
]
