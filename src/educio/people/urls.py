from django.urls import path

from educio.people import views

app_name = "people"

urlpatterns = [
    path("", views.PersonListView.as_view(), name="list"),
    path("units/<int:org_pk>/children/", views.PersonTreeChildrenView.as_view(), name="tree_children"),
    path("units/<int:org_pk>/new/", views.PersonCreateView.as_view(), name="create"),
    path("units/<int:org_pk>/import/", views.PersonImportView.as_view(), name="import"),
    path("units/<int:org_pk>/import/template/", views.PersonImportTemplateView.as_view(), name="import_template"),
    path("<int:pk>/", views.PersonDetailView.as_view(), name="detail"),
    path("<int:pk>/edit/", views.PersonUpdateView.as_view(), name="update"),
    path("<int:pk>/active/", views.PersonSetActiveView.as_view(), name="set_active"),
    path("<int:pk>/photo/", views.PersonPhotoView.as_view(), name="photo"),
    path("<int:pk>/experiences/", views.ExperienceAddView.as_view(), name="experience_add"),
    path("<int:pk>/honours/", views.HonourAddView.as_view(), name="honour_add"),
    path("<int:pk>/certificates/", views.CertificateAddView.as_view(), name="certificate_add"),
    path("experiences/<int:pk>/remove/", views.ExperienceRemoveView.as_view(), name="experience_remove"),
    path("honours/<int:pk>/remove/", views.HonourRemoveView.as_view(), name="honour_remove"),
    path("certificates/<int:pk>/remove/", views.CertificateRemoveView.as_view(), name="certificate_remove"),
    path("certificates/<int:pk>/scan/", views.CertificateScanView.as_view(), name="certificate_scan"),
]
