from django.urls import path

from .views import devices, notifications, privacy, profile

app_name = "accounts"
urlpatterns = [
    path("profile/", profile.profile_edit, name="profile_edit"),
    path("language/", profile.set_language, name="set_language"),
    path("notifications/", notifications.notification_list, name="notifications"),
    path(
        "notifications/read/", notifications.notifications_read_all, name="notifications_read_all"
    ),
    path("notifications/<int:pk>/", notifications.notification_open, name="notification_open"),
    path("profile/devices/", devices.device_list, name="devices"),
    path("profile/devices/<int:pk>/remove/", devices.device_remove, name="device_remove"),
    path("profile/privacy/", privacy.privacy, name="privacy"),
    path("profile/privacy/export/", privacy.data_export, name="data_export"),
    path("profile/privacy/links/", privacy.private_links_reset, name="private_links_reset"),
    path("profile/delete/", privacy.account_delete, name="account_delete"),
    path("push/key/", devices.push_key, name="push_key"),
    path("push/subscribe/", devices.push_subscribe, name="push_subscribe"),
    path("push/unsubscribe/", devices.push_unsubscribe, name="push_unsubscribe"),
]
