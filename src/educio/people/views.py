"""Person pages: tree + table with export, detail (full data, logged), create/edit, parts of the record, import."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from typing import Any, ClassVar

from django import forms
from django.contrib import messages
from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.db.models import QuerySet
from django.http import FileResponse, Http404, HttpRequest, HttpResponse, HttpResponseBase
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views import View
from django.views.generic import TemplateView

from educio.accounts.masking import mask_email, mask_phone
from educio.accounts.mixins import PermissionRequiredMixin
from educio.accounts.roles import Perm
from educio.accounts.scope import covers, has_perm
from educio.appointments.selectors import appointment_list, nomination_list
from educio.audit.models import EventKind
from educio.audit.services import security_event_record
from educio.documents.xlsx import XLSX_CONTENT_TYPE, Column, ImportReport, build_workbook
from educio.forms import add_service_errors
from educio.imports import ImportView
from educio.listing import TableView
from educio.orgs import selectors as org_selectors
from educio.orgs.models import Organization
from educio.people import imports, selectors, services
from educio.people.filters import PersonFilterSet
from educio.people.forms import CertificateForm, ExperienceForm, HonourForm, PersonForm
from educio.people.models import Person, Position
from educio.people.uploads import CONTENT_TYPES, extension
from educio.policies.eligibility import Vocabulary
from educio.policies.selectors import effective_pack
from educio.rectifications.selectors import recognitions_of_person

POSITION_LABELS = dict(Position.choices)


def personal_data_view_record(request: HttpRequest, person: Person, what: str) -> None:
    """Log that the user saw ``person``'s personal data in full (DESIGN.md §4)."""
    security_event_record(
        kind=EventKind.PERSONAL_DATA_VIEW,
        request=request,
        user=request.user,
        org_path=person.organization.path,
        detail=_("查看人员 %(name)s(%(org)s)的%(what)s")
        % {"name": person.name, "org": person.organization.name, "what": what},
    )


def unit_vocabulary(organization: Organization) -> Vocabulary | None:
    """Experience kinds (and the rest of the vocabulary) of the pack in force at the unit; None without a pack."""
    pack = effective_pack(organization)
    return Vocabulary.of(pack.spec) if pack else None


class PersonListView(TableView):
    """Tree of units on the left, the persons of the selected subtree on the right; phones masked.

    Export needs ``APPOINTMENT_EXPORT``, not only ``PERSON_VIEW``: a roster of
    persons taken out of the system is the appointment files' personal data, and
    a role that may look persons up (a future liaison, say) need not carry a list
    of them away. The export is masked like the page and logged.
    """

    permission = Perm.PERSON_VIEW
    export_permission = Perm.APPOINTMENT_EXPORT
    export_title = "人员信息"
    selector = staticmethod(selectors.person_list)
    filterset_class = PersonFilterSet
    template_name = "people/person_list.html"
    sort_fields = {
        "name": "name",
        "gender": "gender",
        "unit": "organization__path",
        "admin_position": "admin_position",
        "title": "title_level",
        "updated": "updated_at",
    }
    default_sort = "unit"
    selected: Organization | None = None

    def scoped_queryset(self) -> QuerySet[Person]:
        queryset = selectors.person_list(user=self.request.user)
        org_id = self.request.GET.get("org", "")
        self.selected = None
        if org_id.isdigit():
            self.selected = org_selectors.org_get(user=self.request.user, pk=int(org_id), perm=Perm.PERSON_VIEW)
            queryset = queryset.filter(organization__path__startswith=self.selected.path)
        return queryset

    def ordering_fields(self) -> list[str]:
        return [*super().ordering_fields(), "name"]

    def manage_unit(self, tree: list[org_selectors.TreeNode]) -> Organization | None:
        """Where 新增/导入 put persons: the selected unit, or the user's only top unit."""
        unit = self.selected or (tree[0].org if len(tree) == 1 else None)
        return unit if unit is not None and covers(self.request.user, Perm.PERSON_MANAGE, unit) else None

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        tree = org_selectors.org_tree(user=self.request.user, selected=self.selected, perm=Perm.PERSON_VIEW)
        context.update(tree=tree, selected=self.selected, manage_unit=self.manage_unit(tree))
        return context

    def export_columns(self) -> Sequence[Column]:
        headers = ["姓名", "性别", "所在单位", "出生年份", "民族", "政治面貌", "学历", "现任行政职务"]
        headers += ["任职岗位", "专业技术职务", "手机号码", "电子邮箱", "状态"]
        return [Column(h, 12 if len(h) < 5 else 20) for h in headers]

    def export_row(self, obj: Person) -> Sequence[Any]:
        return [
            obj.name,
            obj.gender,
            obj.organization.name,
            obj.birth_date.year if obj.birth_date else "",
            obj.ethnicity,
            obj.political_status,
            obj.education,
            obj.admin_position,
            "、".join(str(POSITION_LABELS.get(p, p)) for p in obj.positions or []),
            obj.professional_title,
            mask_phone(obj.phone),
            mask_email(obj.email),
            _("在职") if obj.is_active else _("离职"),
        ]


class PersonTreeChildrenView(PermissionRequiredMixin, View):
    """htmx: the children of one tree node, loaded when it is opened."""

    permission = Perm.PERSON_VIEW

    def get(self, request: HttpRequest, org_pk: int) -> HttpResponse:
        parent = org_selectors.org_get(user=request.user, pk=org_pk, perm=Perm.PERSON_VIEW)
        children = org_selectors.org_children(user=request.user, parent=parent, perm=Perm.PERSON_VIEW)
        nodes = [org_selectors.TreeNode(c) for c in children]
        return render(request, "people/_tree_nodes.html", {"nodes": nodes, "selected": None})


class PersonDetailView(PermissionRequiredMixin, TemplateView):
    """The whole record, personal data in full (the only page that shows it so; each view is logged)."""

    permission = Perm.PERSON_VIEW
    template_name = "people/person_detail.html"

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        user = self.request.user
        person = get_object_or_404(selectors.with_record(selectors.person_list(user=user)), pk=kwargs["pk"])
        personal_data_view_record(self.request, person, _("完整个人信息"))
        pack = effective_pack(person.organization)
        vocabulary = Vocabulary.of(pack.spec) if pack else None
        certificate_kinds = selectors.certificate_kinds(pack)
        experience_kinds = dict(vocabulary.experiences) if vocabulary else {}
        can_manage = covers(user, Perm.PERSON_MANAGE, person.organization)
        return {
            **super().get_context_data(**kwargs),
            "person": person,
            "experiences": labelled(person.experiences.all(), experience_kinds),
            "honours": list(person.honours.all()),
            "certificates": labelled(person.certificates.all(), certificate_kinds),
            "position_labels": [POSITION_LABELS.get(p, p) for p in person.positions or []],
            "pack": pack,
            "eligibility": selectors.person_eligibility(person, pack) if pack else [],
            "can_manage": can_manage,
            **(self.part_forms(certificate_kinds, experience_kinds) if can_manage else {}),
            **self.history(person),
            "recognitions": recognitions_of_person(person, user=user),
        }

    @staticmethod
    def part_forms(certificate_kinds: dict[str, str], experience_kinds: dict[str, str]) -> dict[str, Any]:
        return {
            "experience_form": ExperienceForm(kinds=experience_kinds),
            "honour_form": HonourForm(),
            "certificate_form": CertificateForm(kinds=certificate_kinds),
        }

    def history(self, person: Person) -> dict[str, Any]:
        """The person's nominations and appointments, each shown under its own unit's scope (not the person's)."""
        user = self.request.user
        nominations = nomination_list(user=user).filter(person=person)
        appointments = appointment_list(user=user).filter(person=person)
        return {
            "nominations": list(nominations) if has_perm(user, Perm.NOMINATION_VIEW) else None,
            "appointments": list(appointments) if has_perm(user, Perm.APPOINTMENT_VIEW) else None,
        }


def labelled(rows: Any, labels: dict[str, str]) -> list[Any]:
    """Rows with ``kind_label``: the pack's name for their kind, or the code where the pack does not know it."""
    rows = list(rows)
    for row in rows:
        row.kind_label = labels.get(row.kind, row.kind)
    return rows


class PersonFormMixin(PermissionRequiredMixin):
    permission = Perm.PERSON_MANAGE
    template_name = "people/person_form.html"
    request: HttpRequest

    def render_form(self, form: PersonForm, status: int = 200, **context: Any) -> HttpResponse:
        return render(self.request, self.template_name, {"form": form, **context}, status=status)


class PersonCreateView(PersonFormMixin, View):
    """Add a person to a unit the user manages."""

    def unit(self, org_pk: int) -> Organization:
        return org_selectors.org_get(user=self.request.user, pk=org_pk, perm=Perm.PERSON_MANAGE)

    def get(self, request: HttpRequest, org_pk: int) -> HttpResponse:
        return self.render_form(PersonForm(), unit=self.unit(org_pk))

    def post(self, request: HttpRequest, org_pk: int) -> HttpResponse:
        unit = self.unit(org_pk)
        form = PersonForm(request.POST, request.FILES)
        if form.is_valid():
            try:
                person = services.person_create(
                    actor=request.user, organization=unit, photo=form.cleaned_data["photo"], **form.service_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已添加人员“%(name)s”。") % {"name": person.name})
                return redirect("people:detail", pk=person.pk)
        return self.render_form(form, status=400, unit=unit)


class PersonUpdateView(PersonFormMixin, View):
    """Edit the record; the form shows the full phone and e-mail, so opening it is logged like the detail page."""

    def person(self, pk: int) -> Person:
        return selectors.person_get(user=self.request.user, pk=pk, perm=Perm.PERSON_MANAGE)

    def get(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.person(pk)
        personal_data_view_record(request, person, _("完整个人信息(编辑)"))
        return self.render_form(PersonForm(instance=person), person=person, unit=person.organization)

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = self.person(pk)
        form = PersonForm(request.POST, request.FILES, instance=Person.objects.get(pk=person.pk))
        if form.is_valid():
            try:
                services.person_update(
                    actor=request.user, person=person, photo=form.cleaned_data["photo"], **form.service_fields()
                )
            except ValidationError as exc:
                add_service_errors(form, exc)
            else:
                messages.success(request, _("已保存。"))
                return redirect("people:detail", pk=person.pk)
        return self.render_form(form, status=400, person=person, unit=person.organization)


class PersonSetActiveView(PermissionRequiredMixin, View):
    permission = Perm.PERSON_MANAGE
    http_method_names = ["post"]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = selectors.person_get(user=request.user, pk=pk, perm=Perm.PERSON_MANAGE)
        active = request.POST.get("active") == "1"
        try:
            services.person_set_active(actor=request.user, person=person, active=active)
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已标记为在职。") if active else _("已标记为离职。"))
        return redirect("people:detail", pk=person.pk)


def _file_response(field: Any, *, download_name: str, attachment: bool) -> FileResponse:
    """A stored upload streamed to the browser, never cached by shared caches; 404 when the file is gone."""
    if not field:
        raise Http404
    try:
        handle = field.open("rb")
    except (FileNotFoundError, OSError) as exc:
        raise Http404 from exc
    ext = extension(field.name)
    response = FileResponse(
        handle,
        as_attachment=attachment,
        filename=f"{download_name}.{ext}",
        content_type=CONTENT_TYPES.get(ext, "application/octet-stream"),
    )
    response["Cache-Control"] = "private, no-store"
    return response


class PersonPhotoView(PermissionRequiredMixin, View):
    """The photo, for the detail page's ``<img>`` (same scope as the page)."""

    permission = Perm.PERSON_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        person = selectors.person_get(user=request.user, pk=pk)
        return _file_response(person.photo, download_name=f"照片-{person.name}", attachment=False)


class CertificateScanView(PermissionRequiredMixin, View):
    """Download a certificate's scan; it shows personal data, so each download is logged."""

    permission = Perm.PERSON_VIEW

    def get(self, request: HttpRequest, pk: int) -> HttpResponseBase:
        certificate = selectors.certificate_get(user=request.user, pk=pk)
        response = _file_response(
            certificate.scan, download_name=f"证书-{certificate.person.name}-{certificate.pk}", attachment=True
        )
        personal_data_view_record(request, certificate.person, _("证书扫描件"))
        return response


# --- parts of the record: small forms on the detail page --------------------------------------------


class PartAddView(PermissionRequiredMixin, View):
    """POST one experience, honour or certificate from the detail page's form, then back to the page."""

    permission = Perm.PERSON_MANAGE
    http_method_names = ["post"]
    form_class: ClassVar[type[forms.Form]]
    service: ClassVar[Callable[..., Any]]
    anchor: ClassVar[str]
    done: ClassVar[Any]
    kinds_from: ClassVar[str] = ""  # "certificates" / "experiences": the pack vocabulary offered in the form

    def form(self, person: Person) -> forms.Form:
        data, files = self.request.POST, self.request.FILES
        if not self.kinds_from:
            return self.form_class(data, files)
        if self.kinds_from == "certificates":
            kinds = selectors.certificate_kinds(effective_pack(person.organization))
        else:
            vocabulary = unit_vocabulary(person.organization)
            kinds = dict(vocabulary.experiences) if vocabulary else {}
        return self.form_class(data, files, kinds=kinds)  # type: ignore[call-arg]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        person = selectors.person_get(user=request.user, pk=pk, perm=Perm.PERSON_MANAGE)
        form = self.form(person)
        if form.is_valid():
            try:
                type(self).service(actor=request.user, person=person, **form.cleaned_data)
            except ValidationError as exc:
                add_service_errors(form, exc)
        if form.errors:
            messages.error(request, form_errors_text(form))
        else:
            messages.success(request, self.done)
        return redirect(reverse("people:detail", kwargs={"pk": person.pk}) + f"#{self.anchor}")


def form_errors_text(form: forms.Form) -> str:
    """A refused small form, as one message: 字段: 原因."""
    parts = []
    for field, errors in form.errors.items():
        label = form.fields[field].label if field in form.fields else ""
        text = "、".join(str(e) for e in errors)
        parts.append(f"{label}:{text}" if label else text)
    return _("未保存:") + ";".join(parts)


class ExperienceAddView(PartAddView):
    form_class = ExperienceForm
    service = staticmethod(services.experience_add)
    anchor = "experiences"
    done = gettext_lazy("已添加工作经历。")
    kinds_from = "experiences"


class HonourAddView(PartAddView):
    form_class = HonourForm
    service = staticmethod(services.honour_add)
    anchor = "honours"
    done = gettext_lazy("已添加荣誉。")


class CertificateAddView(PartAddView):
    form_class = CertificateForm
    service = staticmethod(services.certificate_add)
    anchor = "certificates"
    done = gettext_lazy("已添加证书。")
    kinds_from = "certificates"


class PartRemoveView(PermissionRequiredMixin, View):
    permission = Perm.PERSON_MANAGE
    http_method_names = ["post"]
    getter: ClassVar[Callable[..., Any]]
    service: ClassVar[Callable[..., Any]]
    argument: ClassVar[str]
    anchor: ClassVar[str]

    def post(self, request: HttpRequest, pk: int) -> HttpResponse:
        row = type(self).getter(user=request.user, pk=pk, perm=Perm.PERSON_MANAGE)
        try:
            type(self).service(actor=request.user, **{self.argument: row})
        except ValidationError as exc:
            messages.error(request, " ".join(exc.messages))
        else:
            messages.success(request, _("已删除。"))
        return redirect(reverse("people:detail", kwargs={"pk": row.person_id}) + f"#{self.anchor}")


class ExperienceRemoveView(PartRemoveView):
    getter = staticmethod(selectors.experience_get)
    service = staticmethod(services.experience_remove)
    argument = "experience"
    anchor = "experiences"


class HonourRemoveView(PartRemoveView):
    getter = staticmethod(selectors.honour_get)
    service = staticmethod(services.honour_remove)
    argument = "honour"
    anchor = "honours"


class CertificateRemoveView(PartRemoveView):
    getter = staticmethod(selectors.certificate_get)
    service = staticmethod(services.certificate_remove)
    argument = "certificate"
    anchor = "certificates"


# --- Excel import ---------------------------------------------------------------------------------


class PersonImportView(ImportView):
    """Persons of the unit chosen in the tree (or of the units the sheet names below it)."""

    permission = Perm.PERSON_MANAGE
    template_name = "people/person_import.html"
    target_name = "unit"

    def target(self, request: HttpRequest, **kwargs: Any) -> Organization:
        return org_selectors.org_get(user=request.user, pk=kwargs["org_pk"], perm=Perm.PERSON_MANAGE)

    def run_import(self, request: HttpRequest, target: Any, upload: UploadedFile) -> ImportReport:
        return services.person_import(actor=request.user, upload=upload, organization=target, request=request)

    def succeeded(self, request: HttpRequest, target: Any, report: ImportReport) -> HttpResponse:
        messages.success(request, _("导入成功,新增 %(n)d 人。") % {"n": report.created})
        return redirect(reverse("people:list") + f"?org={target.pk}")


class PersonImportTemplateView(PermissionRequiredMixin, View):
    permission = Perm.PERSON_MANAGE

    def get(self, request: HttpRequest, org_pk: int) -> HttpResponse:
        unit = org_selectors.org_get(user=request.user, pk=org_pk, perm=Perm.PERSON_MANAGE)
        content = build_workbook(
            title="人员导入模板",
            columns=imports.template_columns(),
            rows=[imports.example_row(unit.name)],
            validation_rows=500,
        )
        response = HttpResponse(content, content_type=XLSX_CONTENT_TYPE)
        stamp = timezone.localtime().strftime("%Y%m%d")
        response["Content-Disposition"] = f"attachment; filename*=UTF-8''person-import-template-{stamp}.xlsx"
        return response
