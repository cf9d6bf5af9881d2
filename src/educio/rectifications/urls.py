from django.urls import path

from educio.rectifications import views

app_name = "rectifications"

urlpatterns = [
    path("", views.OrderListView.as_view(), name="order_list"),
    path("new/", views.OrderCreateView.as_view(), name="order_create"),
    path("dashboard/", views.DashboardView.as_view(), name="dashboard"),
    path("<int:pk>/", views.OrderDetailView.as_view(), name="order_detail"),
    path("<int:pk>/report/", views.OrderReportView.as_view(), name="order_report"),
    path("<int:pk>/evidence/", views.EvidenceUploadView.as_view(), name="evidence_upload"),
    path("<int:pk>/deadline/", views.OrderDeadlineView.as_view(), name="order_deadline"),
    path("<int:pk>/close/", views.OrderCloseView.as_view(), name="order_close"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("recognitions/", views.RecognitionListView.as_view(), name="recognition_list"),
    path("recognitions/new/", views.RecognitionCreateView.as_view(), name="recognition_create"),
]
