from django.urls import path

from nearer.relsafety import views

app_name = "relsafety"

# Neutral addresses: they show in the browser's history.
urlpatterns = [
    path("", views.support, name="support"),
    path("questions/", views.questions, name="questions"),
    path("pause/", views.pause, name="pause"),
    path("resume/", views.resume, name="resume"),
    path("plan/", views.plan_toggle, name="plan"),
    path("not-now/", views.offer_dismiss, name="offer-dismiss"),
    path("forget/", views.forget, name="forget"),
    path("clients/<int:person_id>/", views.client_result, name="client-result"),
]
