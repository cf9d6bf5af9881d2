from django.urls import path

from educio.training import views

app_name = "training"

urlpatterns = [
    path("", views.EventListView.as_view(), name="event_list"),
    path("new/", views.EventCreateView.as_view(), name="event_create"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("<int:pk>/", views.EventDetailView.as_view(), name="event_detail"),
    path("<int:pk>/edit/", views.EventUpdateView.as_view(), name="event_update"),
    path("<int:pk>/cancel/", views.EventCancelView.as_view(), name="event_cancel"),
    path("<int:pk>/enrol/", views.EnrolView.as_view(), name="event_enrol"),
    path("<int:pk>/certificates/", views.CertificatesIssueView.as_view(), name="certificates_issue"),
    path("<int:pk>/import/", views.AttendanceImportView.as_view(), name="attendance_import"),
    path("<int:pk>/import/template/", views.AttendanceTemplateView.as_view(), name="attendance_template"),
    path("enrollments/<int:pk>/record/", views.EnrollmentRecordView.as_view(), name="enrollment_record"),
    path("enrollments/<int:pk>/remove/", views.EnrollmentRemoveView.as_view(), name="enrollment_remove"),
]
