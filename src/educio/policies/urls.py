from django.urls import path

from educio.policies import views

app_name = "policies"

urlpatterns = [
    path("", views.PackListView.as_view(), name="list"),
    path("upload/", views.PackUploadView.as_view(), name="upload"),
    path("compliance/", views.ComplianceView.as_view(), name="compliance"),
    path("<int:pk>/", views.PackDetailView.as_view(), name="detail"),
    path("<int:pk>/source/", views.PackSourceView.as_view(), name="source"),
    path("<int:pk>/adopt/", views.PackAdoptView.as_view(), name="adopt"),
    path("adoptions/<int:pk>/end/", views.AdoptionEndView.as_view(), name="adoption_end"),
]
