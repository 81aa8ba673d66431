from django.urls import path

from nearer.practice import views

app_name = "practice"

urlpatterns = [
    path("", views.index, name="index"),
    path("worksheet/", views.formulation, name="formulation"),
    path("worksheet/history/", views.formulation_history, name="formulation-history"),
    path("ladder/", views.ladder, name="ladder"),
    path("ladder/steps/new/", views.step_create, name="step-create"),
    path("experiments/new/", views.experiment_create, name="experiment-create"),
    path("experiments/<int:pk>/", views.experiment_detail, name="experiment-detail"),
    path("experiments/<int:pk>/outcome/", views.experiment_outcome, name="experiment-outcome"),
    path("present-or-past/new/", views.record_create, name="record-create"),
    path("present-or-past/<int:pk>/", views.record_detail, name="record-detail"),
    path("present-or-past/patterns/", views.patterns, name="patterns"),
    path("suggestions/<int:pk>/", views.suggestion_respond, name="suggestion-respond"),
    path("clients/<int:client_id>/", views.client_summary, name="client-summary"),
    path("clients/<int:client_id>/suggest/", views.suggest, name="suggest"),
]
