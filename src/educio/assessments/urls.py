from django.urls import path

from educio.assessments import views

app_name = "assessments"

cycle_action = views.CycleActionView.as_view
subject_manage = views.SubjectManageView.as_view

urlpatterns = [
    path("", views.CycleListView.as_view(), name="cycle_list"),
    path("new/", views.CycleCreateView.as_view(), name="cycle_create"),
    path("<int:pk>/", views.CycleDetailView.as_view(), name="cycle_detail"),
    path("<int:pk>/subjects/", views.SubjectListView.as_view(), name="subject_list"),
    path("<int:pk>/assign/", views.CycleAssignView.as_view(), name="cycle_assign"),
    path("<int:pk>/report/", views.CycleReportView.as_view(), name="cycle_report"),
    path("<int:pk>/open/", cycle_action(action="open"), name="cycle_open"),
    path("<int:pk>/start-review/", cycle_action(action="review"), name="cycle_start_review"),
    path("<int:pk>/confirm/", cycle_action(action="confirm"), name="cycle_confirm"),
    path("<int:pk>/publish/", cycle_action(action="publish"), name="cycle_publish"),
    path("<int:pk>/close/", cycle_action(action="close"), name="cycle_close"),
    path("<int:pk>/deadlines/", cycle_action(action="deadlines"), name="cycle_deadlines"),
    path("subjects/<int:pk>/", views.SubjectDetailView.as_view(), name="subject_detail"),
    path("subjects/<int:pk>/self/", views.SelfAssessmentView.as_view(), name="self_assessment"),
    path("subjects/<int:pk>/upload/", views.EvidenceUploadView.as_view(), name="evidence_upload"),
    path("subjects/<int:pk>/appeal/", views.SubjectAppealView.as_view(), name="appeal"),
    path("subjects/<int:pk>/extend/", subject_manage(action="extend"), name="subject_extend"),
    path("subjects/<int:pk>/confirm/", subject_manage(action="confirm"), name="subject_confirm"),
    path("subjects/<int:pk>/unassign/", subject_manage(action="unassign"), name="subject_unassign"),
    path("subjects/<int:pk>/decide/", subject_manage(action="decide"), name="appeal_decide"),
    path("evidence/<int:pk>/", views.EvidenceDownloadView.as_view(), name="evidence_download"),
    path("evidence/<int:pk>/delete/", views.EvidenceDeleteView.as_view(), name="evidence_delete"),
    path("mine/", views.MySubjectsView.as_view(), name="my_subjects"),
    path("reviews/", views.MyReviewsView.as_view(), name="my_reviews"),
    path("reviews/<int:pk>/", views.ReviewView.as_view(), name="review"),
    path("reviews/evidence/<int:pk>/", views.ReviewEvidenceView.as_view(), name="review_evidence"),
    path("results/", views.ResultSheetView.as_view(), name="results"),
    path("templates/", views.TemplateListView.as_view(), name="template_list"),
    path("templates/pack/", views.PackTemplateView.as_view(), name="pack_template"),
    path("templates/copy/", views.TemplateCopyView.as_view(), name="template_copy"),
    path("templates/<int:pk>/", views.TemplateDetailView.as_view(), name="template_detail"),
    path("templates/<int:pk>/edit/", views.TemplateEditView.as_view(), name="template_edit"),
]
