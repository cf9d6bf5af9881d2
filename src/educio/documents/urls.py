from django.urls import path

from educio.documents import views

app_name = "documents"

urlpatterns = [
    path("templates/", views.TemplateListView.as_view(), name="templates"),
    path("templates/upload/", views.TemplateUploadView.as_view(), name="template_upload"),
    path("templates/default/", views.DefaultTemplateDownloadView.as_view(), name="template_default"),
    path("templates/<int:pk>/download/", views.TemplateDownloadView.as_view(), name="template_download"),
    path("templates/<int:pk>/deactivate/", views.TemplateDeactivateView.as_view(), name="template_deactivate"),
    path("exports/", views.JobListView.as_view(), name="job_list"),
    path("exports/<int:pk>/", views.JobDetailView.as_view(), name="job_detail"),
    path("exports/<int:pk>/progress/", views.JobProgressView.as_view(), name="job_progress"),
    path("exports/<int:pk>/download/", views.JobDownloadView.as_view(), name="job_download"),
]
