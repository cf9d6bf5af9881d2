"""Word templates: the nearest active upload up the tree wins, bad uploads are refused, and the pages are scoped."""

from __future__ import annotations

import io
import zipfile
from typing import Any

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.core.files.uploadedfile import SimpleUploadedFile
from django.test import Client
from django.urls import reverse
from docx import Document

from educio.accounts.tests.factories import user_with_role
from educio.documents import docx as documents_docx
from educio.documents import services
from educio.documents.models import DocumentTemplate, TemplateKind
from educio.documents.selectors import template_for
from educio.testing.content import response_text

pytestmark = pytest.mark.django_db

NOMINATION = TemplateKind.NOMINATION_FORM


def docx_bytes(*paragraphs: str) -> bytes:
    document = Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def upload_of(content: bytes, name: str = "模板.docx") -> SimpleUploadedFile:
    return SimpleUploadedFile(name, content, content_type=documents_docx.DOCX_CONTENT_TYPE)


def upload(actor: Any, org: Any, *paragraphs: str, kind: str = NOMINATION, pack_id: str = "") -> DocumentTemplate:
    content = docx_bytes(*paragraphs or ("{{ title }} {{ value.name }}",))
    return services.template_upload(
        actor=actor, organization=org, kind=kind, pack_id=pack_id, upload=upload_of(content)
    )


def rendered_text(chosen: Any, context: dict[str, Any]) -> str:
    return "\n".join(p.text for p in Document(io.BytesIO(chosen.render(context))).paragraphs)


class TestTemplateFor:
    def test_a_countys_template_is_used_for_its_schools_and_not_for_another_countys(self, tree, county_admin):
        template = upload(county_admin, tree.county, "一区专用 {{ value.name }}")

        mine = template_for(tree.school, NOMINATION, "jiaozuo-2022")
        other = template_for(tree.other_school, NOMINATION, "jiaozuo-2022")

        assert mine.uploaded == template
        assert rendered_text(mine, {"value": {"name": "张三"}}) == "一区专用 张三"
        assert other.uploaded is None
        assert other.default.key == "nomination_form-jiaozuo-2022"

    def test_the_nearest_unit_wins_and_at_one_unit_the_packs_own_template_wins(self, tree, county_admin, city_admin):
        upload(city_admin, tree.city, "市级通用")
        city_specific = upload(city_admin, tree.city, "市级焦作", pack_id="jiaozuo-2022")
        county_any = upload(county_admin, tree.county, "区级通用")

        assert template_for(tree.other_school, NOMINATION, "jiaozuo-2022").uploaded == city_specific
        assert template_for(tree.school, NOMINATION, "jiaozuo-2022").uploaded == county_any
        # A template made for another pack's form is never used for this one.
        assert template_for(tree.other_school, NOMINATION, "helan-2024").uploaded.original_name == "模板.docx"
        assert template_for(tree.other_school, NOMINATION, "helan-2024").uploaded.pack_id == ""

    def test_a_deactivated_template_falls_back_to_the_default(self, tree, county_admin):
        template = upload(county_admin, tree.county)
        services.template_deactivate(actor=county_admin, template=template)

        chosen = template_for(tree.school, NOMINATION, "helan-2024")
        assert chosen.uploaded is None
        assert chosen.default.key == "nomination_form"  # the generic layout: 贺兰 has no layout of its own

    def test_the_other_kind_of_document_is_not_affected(self, tree, county_admin):
        upload(county_admin, tree.county)
        assert template_for(tree.school, TemplateKind.APPOINTMENT_NOTICE).uploaded is None

    def test_an_upload_whose_file_is_gone_prints_with_the_default(self, tree, county_admin):
        template = upload(county_admin, tree.county)
        template.file.storage.delete(template.file.name)

        chosen = template_for(tree.school, NOMINATION, "jiaozuo-2022")

        assert chosen.uploaded == template
        assert chosen.read() == chosen.default.read()

    def test_lookup_costs_one_query(self, tree, county_admin, django_assert_num_queries):
        upload(county_admin, tree.county)
        with django_assert_num_queries(1):
            template_for(tree.school, NOMINATION, "jiaozuo-2022")


class TestUploadIsChecked:
    @pytest.mark.parametrize(
        ("name", "content", "message"),
        [
            ("旧版.doc", b"\xd0\xcf\x11\xe0" + b"\0" * 100, "请上传 Word 文档"),
            ("假的.docx", b"PK\x03\x04 not a zip", "不是有效的 Word"),
            ("表格.docx", "xlsx", "不是有效的 Word"),
        ],
        ids=["doc", "fake-zip", "zip-without-document"],
    )
    def test_a_file_that_is_not_a_docx_is_refused(self, tree, county_admin, name, content, message):
        if content == "xlsx":
            buffer = io.BytesIO()
            with zipfile.ZipFile(buffer, "w") as package:
                package.writestr("xl/workbook.xml", "<workbook/>")
            content = buffer.getvalue()
        with pytest.raises(ValidationError, match=message):
            services.template_upload(
                actor=county_admin, organization=tree.county, kind=NOMINATION, upload=upload_of(content, name)
            )
        assert not DocumentTemplate.objects.exists()

    def test_a_template_syntax_error_is_refused_with_docxtpls_words(self, tree, county_admin):
        with pytest.raises(ValidationError) as caught:
            upload(county_admin, tree.county, "姓名:{{ value.name }", "{% for x in %}")
        message = " ".join(caught.value.messages)
        assert "模板标签有误" in message
        assert "unexpected" in message or "expected" in message  # Jinja's own explanation is quoted
        assert not DocumentTemplate.objects.exists()

    def test_a_template_cannot_reach_python_internals(self, tree, county_admin):
        """Templates are untrusted text: the sandbox refuses attribute tricks instead of running them."""
        with pytest.raises(ValidationError, match="模板"):
            upload(county_admin, tree.county, "{{ title.__class__.__mro__[1].__subclasses__() }}")
        assert not DocumentTemplate.objects.exists()

    def test_a_file_over_5_mb_is_refused(self, tree, county_admin):
        big = upload_of(docx_bytes("x"))
        big.size = 5 * 1024 * 1024 + 1
        with pytest.raises(ValidationError, match="5 MB"):
            services.template_upload(actor=county_admin, organization=tree.county, kind=NOMINATION, upload=big)

    def test_a_unit_outside_the_managers_scope_is_refused(self, tree, county_admin):
        with pytest.raises(PermissionDenied):
            upload(county_admin, tree.other_county)
        school_cio = user_with_role("cio", tree.school)
        with pytest.raises(PermissionDenied):
            upload(school_cio, tree.school)

    def test_the_default_templates_pass_their_own_check(self):
        for default in documents_docx.default_templates():
            documents_docx.check_template(default.read(), default.kind)


class TestPages:
    def test_the_list_shows_defaults_and_the_templates_in_and_above_scope_only(self, tree, city_admin, county_admin):
        upload(city_admin, tree.city, "市级")
        DocumentTemplate.objects.filter(organization=tree.city).update(original_name="市级模板.docx")
        upload(county_admin, tree.county)
        DocumentTemplate.objects.filter(organization=tree.county).update(original_name="一区模板.docx")
        other = user_with_role("bureau_admin", tree.other_county)
        upload(other, tree.other_county)
        DocumentTemplate.objects.filter(organization=tree.other_county).update(original_name="二县模板.docx")

        client = Client()
        client.force_login(user_with_role("cio", tree.school))
        text = response_text(client.get(reverse("documents:templates")))

        assert "下载默认模板" in text
        assert "市级模板.docx" in text
        assert "一区模板.docx" in text
        assert "二县模板.docx" not in text

    def test_the_default_template_downloads(self, tree):
        client = Client()
        client.force_login(user_with_role("cio", tree.school))
        response = client.get(reverse("documents:template_default"), {"key": "nomination_form-jiaozuo-2022"})
        assert response.status_code == 200
        content = b"".join(response.streaming_content)
        assert "{{ value.name }}" in "".join(
            cell.text for table in Document(io.BytesIO(content)).tables for row in table.rows for cell in row.cells
        )

    def test_upload_through_the_page_then_deactivate(self, tree, county_admin):
        client = Client()
        client.force_login(county_admin)
        response = client.post(
            reverse("documents:template_upload"),
            {
                "organization": tree.county.pk,
                "kind": NOMINATION,
                "pack_id": "",
                "file": upload_of(docx_bytes("{{ title }}")),
            },
        )
        assert response.status_code == 302, response_text(response)
        template = DocumentTemplate.objects.get()
        assert (template.organization, template.uploaded_by, template.is_active) == (tree.county, county_admin, True)

        response = client.post(reverse("documents:template_deactivate", kwargs={"pk": template.pk}))
        assert response.status_code == 302
        template.refresh_from_db()
        assert not template.is_active

    def test_a_broken_upload_shows_the_reason_on_the_form(self, tree, county_admin):
        client = Client()
        client.force_login(county_admin)
        response = client.post(
            reverse("documents:template_upload"),
            {"organization": tree.county.pk, "kind": NOMINATION, "file": upload_of(docx_bytes("{{ value.name }"))},
        )
        assert response.status_code == 400
        assert "模板标签有误" in response_text(response)
        assert not DocumentTemplate.objects.exists()

    def test_a_template_from_above_cannot_be_deactivated_from_below(self, tree, city_admin, county_admin):
        template = upload(city_admin, tree.city)
        client = Client()
        client.force_login(county_admin)
        response = client.post(reverse("documents:template_deactivate", kwargs={"pk": template.pk}))
        assert response.status_code == 404
        template.refresh_from_db()
        assert template.is_active
