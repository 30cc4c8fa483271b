from django.urls import path

from .views import events, feeds, interest_checks, organisers, program

app_name = "events"

E = "g/<slug:slug>/e/<int:event_id>/"
C = "g/<slug:slug>/e/checks/<int:check_id>/"
urlpatterns = [
    path("events/", events.upcoming, name="upcoming"),
    path("events/calendar/", feeds.my_calendar, name="my_calendar"),
    path("events/calendar/<str:token>.ics", feeds.personal_feed, name="personal_feed"),
    path("events/cancel/<str:token>/", events.cancel_link, name="cancel_link"),
    path(
        "events/would-you-come/<str:token>/<str:answer>/",
        interest_checks.answer_link,
        name="answer_link",
    ),
    path("events/my-place/", interest_checks.my_place, name="my_place"),
    path("g/<slug:slug>/e/", events.group_events, name="group_events"),
    path("g/<slug:slug>/e/new/", events.event_create, name="create"),
    path("g/<slug:slug>/events.ics", feeds.group_feed, name="group_feed"),
    path("g/<slug:slug>/e/reach/", interest_checks.reach, name="reach"),
    path("g/<slug:slug>/e/checks/", interest_checks.check_list, name="checks"),
    path("g/<slug:slug>/e/checks/new/", interest_checks.check_create, name="check_create"),
    path(C, interest_checks.check_detail, name="check"),
    path(C + "answer/", interest_checks.check_answer, name="check_answer"),
    path(C + "close/", interest_checks.check_close, name="check_close"),
    path(C + "convert/", interest_checks.check_convert, name="check_convert"),
    path(C + "events/", interest_checks.check_events, name="check_events"),
    path(E, events.event_detail, name="detail"),
    path(E + "edit/", events.event_edit, name="edit"),
    path(E + "cancel/", events.event_cancel, name="cancel"),
    path(E + "reinstate/", events.event_reinstate, name="reinstate"),
    path(E + "delete/", events.event_delete, name="delete"),
    path(E + "register/", events.event_register, name="register"),
    path(E + "event.ics", feeds.event_ics, name="ics"),
    path(E + "attendees/", organisers.attendees, name="attendees"),
    path(E + "attendees.csv", organisers.attendees_csv, name="attendees_csv"),
    path(E + "check-in/", organisers.checkin, name="checkin"),
    path(E + "check-in/<int:registration_id>/", organisers.checkin_toggle, name="checkin_toggle"),
    path(E + "message/", organisers.message_attendees, name="message"),
    path(E + "agenda/", program.agenda, name="agenda"),
    path(E + "speakers/new/", program.speaker_form, name="speaker_create"),
    path(E + "speakers/<int:speaker_id>/", program.speaker_detail, name="speaker"),
    path(E + "speakers/<int:speaker_id>/edit/", program.speaker_form, name="speaker_edit"),
    path(E + "talks/new/", program.talk_form, name="talk_create"),
    path(E + "talks/<int:talk_id>/edit/", program.talk_form, name="talk_edit"),
    path(E + "talks/<int:talk_id>/delete/", program.talk_delete, name="talk_delete"),
    path(E + "talks/<int:talk_id>/watch/", program.talk_watch, name="talk_watch"),
    path(E + "talks/<int:talk_id>/slides/", program.talk_slides, name="talk_slides"),
]
