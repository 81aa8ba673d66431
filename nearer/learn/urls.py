from django.urls import path

from nearer.learn import views

app_name = "learn"

urlpatterns = [
    path("", views.piece_list, name="piece-list"),
    path("finding-care/", views.finding_care, name="finding-care"),
    path("reflections/<int:pk>/share/", views.reflection_share, name="reflection-share"),
    path("reflections/<int:pk>/delete/", views.reflection_delete, name="reflection-delete"),
    path("clients/<int:client_id>/reflections/", views.client_reflections, name="client-reflections"),
    path("<slug:slug>/", views.piece_detail, name="piece-detail"),
    path("<slug:slug>/reflect/", views.reflection_save, name="reflection-save"),
    path("<slug:slug>/read/", views.mark_read, name="mark-read"),
]
