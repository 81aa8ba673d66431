from django.urls import path

from nearer.clinic import views

app_name = "clinic"

urlpatterns = [
    path("caseload/", views.caseload, name="caseload"),
    path("clients/<int:pk>/", views.client_detail, name="client-detail"),
    path("clients/<int:pk>/report.pdf", views.client_report, name="client-report"),
    path("clients/<int:pk>/sessions/", views.session_create, name="session-create"),
    path("clients/<int:pk>/reference/", views.reference_set, name="reference-set"),
    path("clients/<int:pk>/assign/", views.assign, name="assign"),
    path("assignments/<int:pk>/", views.assignment_respond, name="assignment-respond"),
    path("notices/<int:pk>/dismiss/", views.notice_dismiss, name="notice-dismiss"),
    path("outcomes/", views.outcomes_view, name="outcomes"),
    path("outcomes.csv", views.outcomes_csv, name="outcomes-csv"),
    path("export/", views.measures_export, name="measures-export"),
    path("export/questionnaires.csv", views.measures_export_csv, name="measures-export-csv"),
    path("export/questionnaires.fhir.json", views.measures_export_fhir, name="measures-export-fhir"),
    path("directory/", views.directory, name="directory"),
    path("directory/<int:pk>/", views.therapist_detail, name="therapist-detail"),
    path("directory/<int:pk>/request/", views.request_create, name="request-create"),
    path("requests/", views.request_list, name="request-list"),
    path("requests/<int:pk>/respond/", views.request_respond, name="request-respond"),
    path("profile/", views.profile_edit, name="profile-edit"),
    path("admin/therapists/", views.admin_therapists, name="admin-therapists"),
    path("admin/therapists/<int:pk>/", views.admin_therapist_edit, name="admin-therapist-edit"),
    path("admin/move-caseload/", views.admin_move_caseload, name="admin-move-caseload"),
]
