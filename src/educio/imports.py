"""The Excel import page every import in EduCIO uses: upload, check every row, save all or nothing.

A subclass says what the rows go into (``target``), which service imports
them (``run_import``) and what a success looks like (``succeeded``); the page
shows the row-by-row error report of ``documents.xlsx.ImportReport``.
"""

from __future__ import annotations

from abc import ABC, abstractmethod
from typing import Any, ClassVar

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.documents.xlsx import ImportFileError, ImportReport
from educio.forms import add_service_errors
from educio.orgs.forms import ImportForm


class ImportView(PermissionRequiredMixin, View, ABC):
    template_name: ClassVar[str]
    # The name the page's template knows the target by (parent, unit, event ...).
    target_name: ClassVar[str]

    @abstractmethod
    def target(self, request: HttpRequest, **kwargs: Any) -> Any:
        """What the rows are imported into, fetched in the user's scope (404 outside it)."""

    @abstractmethod
    def run_import(self, request: HttpRequest, target: Any, upload: UploadedFile) -> ImportReport:
        """Call the app's import service."""

    @abstractmethod
    def succeeded(self, request: HttpRequest, target: Any, report: ImportReport) -> HttpResponse:
        """Say how many rows were saved and go back to where they show."""

    def get(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        context = {"form": ImportForm(), self.target_name: self.target(request, **kwargs)}
        return render(request, self.template_name, context)

    def post(self, request: HttpRequest, **kwargs: Any) -> HttpResponse:
        target = self.target(request, **kwargs)
        form = ImportForm(request.POST, request.FILES)
        context: dict[str, Any] = {"form": form, self.target_name: target}
        if form.is_valid():
            try:
                report = self.run_import(request, target, form.cleaned_data["file"])
            except ImportFileError as exc:
                form.add_error("file", str(exc))
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                if not report.errors:
                    return self.succeeded(request, target, report)
                context["report"] = report
        return render(request, self.template_name, context, status=400)
