from django.urls import path

from nearer.measures import views

app_name = "measures"

urlpatterns = [
    path("", views.measure_list, name="measure-list"),
    path("answer/<slug:instrument_id>/", views.answer, name="answer"),
    path("results/<int:pk>/", views.result, name="result"),
    path("schedules/", views.schedule_list, name="schedule-list"),
    path("schedules/notices/seen/", views.schedule_notices_seen, name="schedule-notices-seen"),
    path("proposals/<int:pk>/respond/", views.proposal_respond, name="proposal-respond"),
    path("fhir/export/", views.fhir_export, name="fhir-export"),
    path("fhir/import/", views.fhir_import, name="fhir-import"),
    path("clients/<int:person_id>/", views.client_detail, name="client-detail"),
    path("clients/<int:person_id>/schedule/", views.client_schedule, name="client-schedule"),
    path("clients/<int:person_id>/schedules/<int:schedule_id>/stop/", views.client_schedule_stop,
         name="client-schedule-stop"),
    path("clinic/instruments/add/", views.clinic_instrument_add, name="clinic-instrument-add"),
]
