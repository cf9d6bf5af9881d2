"""The 推荐表 being filled: the page, autosave with the live eligibility check, uploads and submission."""

from __future__ import annotations

from typing import Any

from django.contrib import messages
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.http import FileResponse, Http404, HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views import View

from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import filter_in_scope
from educio.appointments import formspec, selectors, services
from educio.appointments.forms import NominationDataForm, SubmitForm, honours_from_post
from educio.appointments.models import Nomination, NominationAttachment
from educio.appointments.views._common import _editable, account
from educio.forms import add_service_errors
from educio.policies.eligibility import FindingStatus
from educio.workflow.models import StepState


def _eligibility_context(nomination: Nomination, data: dict[str, Any] | None = None) -> dict[str, Any]:
    result = services.nomination_eligibility(nomination, data=data)
    return {
        "eligibility": result,
        "manual_findings": [f for f in result.findings if f.status == FindingStatus.MANUAL],
        "checked_findings": [f for f in result.findings if f.status != FindingStatus.MANUAL],
    }


class NominationEditView(PermissionRequiredMixin, View):
    """The 推荐表 as printed by the pack, autosaved as it is typed, with the eligibility check beside it."""

    permission = Perm.NOMINATION_MANAGE

    def fetch(self, request: HttpRequest, pk: int) -> Nomination:
        nomination = selectors.nomination_get(user=request.user, pk=pk, perm=Perm.NOMINATION_MANAGE)
        if not _editable(request.user, nomination):
            raise Http404
        return nomination

    def render_page(
        self,
        request: HttpRequest,
        nomination: Nomination,
        *,
        data_form: NominationDataForm | None = None,
        submit_form: SubmitForm | None = None,
        honours: list[dict[str, str]] | None = None,
        errors: dict[str, str] | None = None,
        status: int = 200,
    ) -> HttpResponse:
        spec = formspec.form_of(nomination)
        data_form = data_form or NominationDataForm(initial=nomination.data, form_spec=spec)
        rows = honours if honours is not None else nomination.honours
        attachments = list(nomination.attachments.all())
        deadline = selectors.deadline_for(nomination.organization, nomination.post)
        context = {
            "nomination": nomination,
            "spec": spec,
            "data_form": data_form,
            "submit_form": submit_form
            or SubmitForm(
                initial={"justification": nomination.justification, "confirmer_name": account(request).full_name}
            ),
            "honour_rows": [*rows, {}, {}] if spec.honours else [],
            "attachments": attachments,
            "attachment_slots": [(a, [f for f in attachments if f.slot == a.id]) for a in spec.attachments],
            "deadline": deadline,
            "late": deadline is not None and deadline.passed and getattr(nomination, "status", "") == "draft",
            "errors": errors or {},
            "returned_step": next(
                (s for s in selectors.latest_round_steps(nomination) if s.state == StepState.RETURNED), None
            ),
            **_eligibility_context(nomination, data=dict(data_form.data) if data_form.is_bound else None),
        }
        return render(request, "appointments/nomination_edit.html", context, status=status)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        return self.render_page(request, self.fetch(request, pk))

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        """保存: the same as autosave, with the page shown again (and errors next to their fields)."""
        nomination = self.fetch(request, pk)
        spec = formspec.form_of(nomination)
        data_form = NominationDataForm(request.POST, form_spec=spec)
        honours = honours_from_post(spec, request.POST)
        try:
            services.nomination_save(
                actor=request.user,
                nomination=nomination,
                data=request.POST.dict(),
                honours=honours,
                justification=request.POST.get("justification"),
            )
        except ValidationError as exc:
            add_service_errors(data_form, exc)
            return self.render_page(
                request, nomination, data_form=data_form, honours=honours, errors=_error_map(exc), status=400
            )
        messages.success(request, _("已保存。"))
        return redirect("appointments:nomination_edit", pk=nomination.pk)


def _error_map(exc: ValidationError) -> dict[str, str]:
    """Errors by field id; the form-wide one under ``general`` (templates cannot read ``__all__``)."""
    if hasattr(exc, "error_dict"):
        return {
            ("general" if k == NON_FIELD_ERRORS else k): " ".join(e.messages[0] for e in v)
            for k, v in exc.error_dict.items()
        }
    return {"general": " ".join(exc.messages)}


class NominationAutosaveView(NominationEditView):
    """htmx: save the draft as typed and return the save status and the live eligibility panel."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = self.fetch(request, pk)
        spec = formspec.form_of(nomination)
        errors: dict[str, str] = {}
        try:
            nomination = services.nomination_save(
                actor=request.user,
                nomination=nomination,
                data=request.POST.dict(),
                honours=honours_from_post(spec, request.POST),
                justification=request.POST.get("justification"),
            )
        except ValidationError as exc:
            errors = _error_map(exc)
        labels = {f.id: f.label for f in spec.fields}
        context = {
            "nomination": nomination,
            "errors": [(labels.get(k, ""), v) for k, v in errors.items()],
            "saved_at": None if errors else timezone.localtime(),
            **_eligibility_context(nomination, data=request.POST.dict()),
        }
        return render(request, "appointments/_autosave.html", context)


class NominationUploadView(NominationEditView):
    """POST the photo or one attachment (multipart); errors come back as a message on the form page."""

    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = self.fetch(request, pk)
        upload = request.FILES.get("file")
        slot = request.POST.get("slot", "")
        try:
            if upload is None:
                raise ValidationError(_("请选择要上传的文件。"))
            if slot == "photo":
                services.nomination_set_photo(actor=request.user, nomination=nomination, upload=upload)
            else:
                services.nomination_attach(actor=request.user, nomination=nomination, slot=slot, upload=upload)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已上传。"))
        return redirect(reverse("appointments:nomination_edit", kwargs={"pk": nomination.pk}) + "#materials")


class AttachmentDeleteView(PermissionRequiredMixin, View):
    permission = Perm.NOMINATION_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        attachment = attachment_get(request.user, pk, Perm.NOMINATION_MANAGE)
        try:
            services.nomination_detach(actor=request.user, attachment=attachment)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        return redirect(reverse("appointments:nomination_edit", kwargs={"pk": attachment.nomination_id}) + "#materials")


def attachment_get(user: Any, pk: int, perm: str) -> NominationAttachment:
    queryset = filter_in_scope(
        NominationAttachment.objects.select_related("nomination__organization", "nomination__process"),
        user,
        perm,
        "nomination__organization",
    )
    return get_object_or_404(queryset, pk=pk)


class AttachmentDownloadView(PermissionRequiredMixin, View):
    permission = Perm.NOMINATION_VIEW

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        attachment = attachment_get(request.user, pk, Perm.NOMINATION_VIEW)
        return FileResponse(attachment.file.open("rb"), as_attachment=True, filename=attachment.original_name)


class NominationPhotoView(PermissionRequiredMixin, View):
    permission = Perm.NOMINATION_VIEW

    def get(self, request: HttpRequest, pk: int) -> FileResponse:
        nomination = selectors.nomination_get(user=request.user, pk=pk)
        if not nomination.photo:
            raise Http404
        return FileResponse(nomination.photo.open("rb"))


class NominationSubmitView(NominationEditView):
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        nomination = self.fetch(request, pk)
        form = SubmitForm(request.POST)
        if form.is_valid():
            try:
                services.nomination_submit(
                    actor=request.user,
                    nomination=nomination,
                    confirmed=form.cleaned_data["confirmed"],
                    confirmer_name=form.cleaned_data["confirmer_name"],
                    justification=form.cleaned_data["justification"],
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
                return self.render_page(request, nomination, submit_form=form, errors=_error_map(exc), status=400)
            messages.success(request, _("推荐表已报送,审核进度可在本页查看。"))
            return redirect("appointments:nomination_detail", pk=nomination.pk)
        return self.render_page(request, nomination, submit_form=form, status=400)
