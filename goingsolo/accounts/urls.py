from django.urls import path

from . import views, views_devices

app_name = "accounts"
urlpatterns = [
    path("profile/", views.profile_edit, name="profile_edit"),
    path("language/", views.set_language, name="set_language"),
    path("notifications/", views.notification_list, name="notifications"),
    path("notifications/read/", views.notifications_read_all, name="notifications_read_all"),
    path("notifications/<int:pk>/", views.notification_open, name="notification_open"),
    path("profile/devices/", views_devices.device_list, name="devices"),
    path("profile/devices/<int:pk>/remove/", views_devices.device_remove, name="device_remove"),
    path("push/key/", views_devices.push_key, name="push_key"),
    path("push/subscribe/", views_devices.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", views_devices.push_unsubscribe, name="push_unsubscribe"),
]
