from django.urls import path

from nearer.safety import views

app_name = "safety"

urlpatterns = [
    path("plan/", views.plan_detail, name="plan-detail"),
    path("plan/edit/", views.plan_edit, name="plan-edit"),
    path("plan/print/", views.plan_print, name="plan-print"),
    path("plan/add-partner/", views.plan_add_partner, name="plan-add-partner"),
    path("clients/<int:person_id>/plan/", views.client_plan, name="client-plan"),
    path("clients/<int:person_id>/plan/edit/", views.client_plan_edit, name="client-plan-edit"),
    path("not-safe/", views.not_safe, name="not-safe"),
    path("asq/", views.asq, name="asq"),
    path("card/<int:event_id>/choice/", views.risk_choice, name="risk-choice"),
    path("alerts/", views.alert_list, name="alert-list"),
    path("alerts/<int:alert_id>/", views.alert_detail, name="alert-detail"),
    path("alerts/<int:alert_id>/acknowledge/", views.alert_acknowledge, name="alert-acknowledge"),
    path("alerts/<int:alert_id>/resolve/", views.alert_resolve, name="alert-resolve"),
    path("finding-care/", views.finding_care, name="finding-care"),
]
