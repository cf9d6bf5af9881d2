from django.urls import path

from educio.workflow import views

app_name = "workflow"

urlpatterns = [
    path("", views.InboxView.as_view(), name="inbox"),
    path("mine/", views.MySubmissionListView.as_view(), name="mine"),
    path("<int:pk>/", views.ProcessDetailView.as_view(), name="detail"),
    path("<int:pk>/submit/", views.ProcessSubmitView.as_view(), name="submit"),
    path("<int:pk>/resubmit/", views.ProcessResubmitView.as_view(), name="resubmit"),
    path("<int:pk>/withdraw/", views.ProcessWithdrawView.as_view(), name="withdraw"),
    path("steps/<int:pk>/decide/", views.StepDecideView.as_view(), name="decide"),
]
