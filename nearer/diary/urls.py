from django.urls import path

from nearer.diary import views

app_name = "diary"

urlpatterns = [
    path("", views.checkin, name="checkin"),
    path("day/<str:day>/", views.checkin_edit, name="checkin-edit"),
    path("trends/", views.trends, name="trends"),
    path("loop/", views.loop, name="loop"),
    path("import/", views.import_csv, name="import"),
    path("export.csv", views.export_csv, name="export"),
    path("clients/<int:client_id>/trends/", views.client_trends, name="client-trends"),
    path("clients/<int:client_id>/loop/", views.client_loop, name="client-loop"),
]
