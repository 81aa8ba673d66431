from django.urls import path

from nearer.accounts import views

app_name = "accounts"

urlpatterns = [
    path("me/", views.profile, name="profile"),
    path("welcome/", views.welcome, name="welcome"),
    path("me/sharing/", views.sharing, name="sharing"),
    path("me/sharing/invite/", views.invite_create, name="invitation-create"),
    path("me/sharing/invitations/<int:pk>/withdraw/", views.invitation_revoke, name="invitation-revoke"),
    path("me/sharing/links/<int:pk>/scopes/", views.link_scopes, name="link-scopes"),
    path("me/sharing/links/<int:pk>/unlink/", views.link_revoke, name="link-revoke"),
    path("me/notice/dismiss/", views.notice_dismiss, name="notice-dismiss"),
    path("me/access-log/", views.access_log, name="access-log"),
    path("me/tokens/", views.tokens, name="tokens"),
    path("me/tokens/<int:pk>/revoke/", views.token_revoke, name="token-revoke"),
    path("me/export/", views.export, name="export"),
    path("me/delete/", views.delete_account, name="delete"),
    path("invite/<str:token>/", views.invitation, name="invitation"),
]
