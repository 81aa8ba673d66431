from django.urls import path

from nearer.ops import views

app_name = "ops"

urlpatterns = [
    path("reminders/", views.reminders, name="reminders"),
    path("push/subscribe", views.push_subscribe, name="push-subscribe"),
    path("push/unsubscribe", views.push_unsubscribe, name="push-unsubscribe"),
    path("sw.js", views.service_worker, name="service-worker"),
    path("offline/", views.offline, name="offline"),
    path("offline/token", views.offline_token, name="offline-token"),
]
