from django.urls import path

from nearer.together import views

app_name = "together"

urlpatterns = [
    path("", views.index, name="index"),
    path("rhythm/", views.rhythm, name="rhythm"),
    path("talks/new/", views.conversation_create, name="conversation-create"),
    path("talks/<int:pk>/", views.conversation_detail, name="conversation-detail"),
    path("talks/<int:pk>/rate/", views.rate, name="rate"),
    path("talks/<int:pk>/reveal/", views.reveal, name="reveal"),
    path("prompts/skip/", views.prompt_skip, name="prompt-skip"),
    path("prompts/save/", views.prompt_save, name="prompt-save"),
    path("depth/", views.depth, name="depth"),
    path("preferences/", views.preferences, name="preferences"),
    path("trend/", views.trend, name="trend"),
    path("clients/<int:client_id>/", views.client_detail, name="client-detail"),
]
