from django.urls import path

from educio.orgs import views

app_name = "orgs"

urlpatterns = [
    path("", views.OrganizationListView.as_view(), name="list"),
    path("<int:pk>/", views.OrganizationDetailView.as_view(), name="detail"),
    path("<int:pk>/children/", views.OrganizationTreeChildrenView.as_view(), name="tree_children"),
    path("<int:pk>/new/", views.OrganizationCreateView.as_view(), name="create"),
    path("<int:pk>/import/", views.OrganizationImportView.as_view(), name="import"),
    path("<int:pk>/import/template/", views.OrganizationImportTemplateView.as_view(), name="import_template"),
    path("<int:pk>/edit/", views.OrganizationUpdateView.as_view(), name="update"),
    path("<int:pk>/move/", views.OrganizationMoveView.as_view(), name="move"),
    path("<int:pk>/active/", views.OrganizationSetActiveView.as_view(), name="set_active"),
]
