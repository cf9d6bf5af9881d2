from django.urls import path

from educio.appointments import views

app_name = "appointments"

urlpatterns = [
    path("nominations/", views.NominationListView.as_view(), name="nomination_list"),
    path("nominations/new/", views.NominationStartView.as_view(), name="nomination_start"),
    path("nominations/<int:pk>/", views.NominationDetailView.as_view(), name="nomination_detail"),
    path("nominations/<int:pk>/edit/", views.NominationEditView.as_view(), name="nomination_edit"),
    path("nominations/<int:pk>/autosave/", views.NominationAutosaveView.as_view(), name="nomination_autosave"),
    path("nominations/<int:pk>/upload/", views.NominationUploadView.as_view(), name="nomination_upload"),
    path("nominations/<int:pk>/photo/", views.NominationPhotoView.as_view(), name="nomination_photo"),
    path("nominations/<int:pk>/submit/", views.NominationSubmitView.as_view(), name="nomination_submit"),
    path("nominations/<int:pk>/withdraw/", views.NominationWithdrawView.as_view(), name="nomination_withdraw"),
    path("nominations/<int:pk>/reopen/", views.NominationReopenView.as_view(), name="nomination_reopen"),
    path("nominations/<int:pk>/docx/", views.NominationDocxView.as_view(), name="nomination_docx"),
    path("nominations/<int:pk>/issue/", views.AppointmentIssueView.as_view(), name="appointment_issue"),
    path("attachments/<int:pk>/", views.AttachmentDownloadView.as_view(), name="attachment_download"),
    path("attachments/<int:pk>/delete/", views.AttachmentDeleteView.as_view(), name="attachment_delete"),
    path("", views.AppointmentListView.as_view(), name="appointment_list"),
    path("<int:pk>/", views.AppointmentDetailView.as_view(), name="appointment_detail"),
    path("<int:pk>/revoke/", views.AppointmentRevokeView.as_view(), name="appointment_revoke"),
    path("<int:pk>/succession/", views.AppointmentSuccessionView.as_view(), name="appointment_succession"),
    path("windows/", views.WindowListView.as_view(), name="window_list"),
]
