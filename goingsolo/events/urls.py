from django.urls import path

from . import views

app_name = "events"

E = "g/<slug:slug>/e/<int:event_id>/"
urlpatterns = [
    path("events/", views.upcoming, name="upcoming"),
    path("events/calendar/", views.my_calendar, name="my_calendar"),
    path("events/calendar/<str:token>.ics", views.personal_feed, name="personal_feed"),
    path("events/cancel/<str:token>/", views.cancel_link, name="cancel_link"),
    path("g/<slug:slug>/e/", views.group_events, name="group_events"),
    path("g/<slug:slug>/e/new/", views.event_create, name="create"),
    path("g/<slug:slug>/events.ics", views.group_feed, name="group_feed"),
    path("g/<slug:slug>/e/reach/", views.reach, name="reach"),
    path("g/<slug:slug>/e/checks/", views.check_list, name="checks"),
    path("g/<slug:slug>/e/checks/new/", views.check_create, name="check_create"),
    path("g/<slug:slug>/e/checks/<int:check_id>/", views.check_detail, name="check"),
    path(
        "g/<slug:slug>/e/checks/<int:check_id>/answer/",
        views.check_answer,
        name="check_answer",
    ),
    path("g/<slug:slug>/e/checks/<int:check_id>/close/", views.check_close, name="check_close"),
    path(
        "g/<slug:slug>/e/checks/<int:check_id>/convert/",
        views.check_convert,
        name="check_convert",
    ),
    path(E, views.event_detail, name="detail"),
    path(E + "edit/", views.event_edit, name="edit"),
    path(E + "cancel/", views.event_cancel, name="cancel"),
    path(E + "reinstate/", views.event_reinstate, name="reinstate"),
    path(E + "delete/", views.event_delete, name="delete"),
    path(E + "register/", views.event_register, name="register"),
    path(E + "event.ics", views.event_ics, name="ics"),
    path(E + "attendees/", views.attendees, name="attendees"),
    path(E + "attendees.csv", views.attendees_csv, name="attendees_csv"),
    path(E + "check-in/", views.checkin, name="checkin"),
    path(E + "check-in/<int:registration_id>/", views.checkin_toggle, name="checkin_toggle"),
    path(E + "message/", views.message_attendees, name="message"),
    path(E + "agenda/", views.agenda, name="agenda"),
    path(E + "speakers/new/", views.speaker_form, name="speaker_create"),
    path(E + "speakers/<int:speaker_id>/", views.speaker_detail, name="speaker"),
    path(E + "speakers/<int:speaker_id>/edit/", views.speaker_form, name="speaker_edit"),
    path(E + "talks/new/", views.talk_form, name="talk_create"),
    path(E + "talks/<int:talk_id>/edit/", views.talk_form, name="talk_edit"),
    path(E + "talks/<int:talk_id>/delete/", views.talk_delete, name="talk_delete"),
    path(E + "talks/<int:talk_id>/watch/", views.talk_watch, name="talk_watch"),
    path(E + "talks/<int:talk_id>/slides/", views.talk_slides, name="talk_slides"),
]
