from django.urls import path

from educio.accounts import views

app_name = "accounts"

urlpatterns = [
    path("login/", views.LoginView.as_view(), name="login"),
    path("logout/", views.LogoutView.as_view(), name="logout"),
    path("password/", views.PasswordChangeView.as_view(), name="password_change"),
    path("role/", views.SwitchRoleView.as_view(), name="switch_role"),
    path("users/", views.UserListView.as_view(), name="user_list"),
    path("users/new/", views.UserCreateView.as_view(), name="user_create"),
    path("users/<int:pk>/", views.UserDetailView.as_view(), name="user_detail"),
    path("users/<int:pk>/edit/", views.UserUpdateView.as_view(), name="user_update"),
    path("users/<int:pk>/active/", views.UserSetActiveView.as_view(), name="user_set_active"),
    path("users/<int:pk>/password/", views.UserPasswordResetView.as_view(), name="user_password_reset"),
    path("users/<int:pk>/unlock/", views.UserUnlockView.as_view(), name="user_unlock"),
    path("users/<int:pk>/roles/new/", views.RoleAssignmentCreateView.as_view(), name="role_assignment_create"),
    path("users/<int:pk>/roles/remove/", views.RoleAssignmentDeleteView.as_view(), name="role_assignment_delete"),
    path("locked/", views.LockedUserListView.as_view(), name="locked_list"),
    path("orgs/search/", views.OrganizationSearchView.as_view(), name="org_search"),
]
