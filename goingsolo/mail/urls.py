from django.urls import path

from . import views_outbound

app_name = "mail"
urlpatterns = [
    path("g/<slug:slug>/email/", views_outbound.group_email, name="group_email"),
    path("mail/choice/<str:token>/", views_outbound.delivery_by_link, name="delivery"),
    path("mail/unsubscribe/<str:token>/", views_outbound.unsubscribe, name="unsubscribe"),
    path("mail/unwatch/<str:token>/", views_outbound.wiki_unwatch, name="wiki_unwatch"),
]
