from django.urls import path

from . import views

app_name = "barcamp"

B = "g/<slug:slug>/e/<int:event_id>/barcamp/"
S = B + "s/<int:session_id>/"
urlpatterns = [
    path(B, views.proposals, name="proposals"),
    path(B + "propose/", views.propose, name="propose"),
    path(B + "unavailable/", views.unavailable, name="unavailable"),
    path(S, views.session_detail, name="session"),
    path(S + "wish/", views.wish, name="wish"),
    path(S + "edit/", views.session_edit, name="session_edit"),
    path(S + "withdraw/", views.session_withdraw, name="withdraw"),
    path(B + "wall/", views.wall, name="wall"),
    path(B + "grid/", views.grid, name="grid"),
    path(B + "grid/rooms/", views.room_add, name="room_add"),
    path(B + "grid/rooms/<int:room_id>/delete/", views.room_delete, name="room_delete"),
    path(B + "grid/slots/", views.slot_add, name="slot_add"),
    path(B + "grid/slots/<int:slot_id>/delete/", views.slot_delete, name="slot_delete"),
    path(B + "grid/fragment/", views.grid_fragment, name="grid_fragment"),
    path(B + "grid/generate/", views.generate, name="generate"),
    path(B + "grid/publish/", views.publish, name="publish"),
    path(B + "grid/replan/", views.replan, name="replan"),
    path(B + "grid/recap/", views.recap, name="recap"),
    path(S + "move/", views.move, name="move"),
    path(S + "lock/", views.lock, name="lock"),
    path(B + "board/", views.board, name="board"),
    path(B + "board/grid/", views.board_fragment, name="board_fragment"),
    path(B + "board/events/", views.board_events, name="board_events"),
    path(B + "schedule/", views.schedule, name="schedule"),
    path(B + "schedule.ics", views.schedule_ics, name="schedule_ics"),
]
