from django.urls import path

from .outbound import views as outbound_views

app_name = "mail"
urlpatterns = [
    path("g/<slug:slug>/email/", outbound_views.group_email, name="group_email"),
    path("mail/choice/<str:token>/", outbound_views.delivery_by_link, name="delivery"),
    path("mail/unsubscribe/<str:token>/", outbound_views.unsubscribe, name="unsubscribe"),
    path("mail/unwatch/<str:token>/", outbound_views.wiki_unwatch, name="wiki_unwatch"),
]
