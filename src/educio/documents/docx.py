"""Word documents rendered from .docx templates that a bureau may replace with its own (docxtpl).

A template is a Word file holding Jinja tags (``{{ value.name }}``,
``{%tr for o in opinions %}``). Templates come from two places: the built-in
defaults an app registers here (``register_default``), and the files units
upload (``documents.models.DocumentTemplate``). Uploaded templates are
untrusted text: they are rendered in Jinja's sandbox, so a tag can read the
context it is given and nothing else.

Each kind of document registers a sample context (``register_sample``); an
upload is rendered once with it, so a template with a syntax error is refused
at upload time rather than when a school prints its form.
"""

from __future__ import annotations

import io
import re
import struct
import zipfile
import zlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

from django.core.exceptions import ValidationError
from django.utils.translation import gettext as _
from docx.image.image import Image as DocxImage
from docx.shared import Mm
from docxtpl import DocxTemplate, InlineImage
from jinja2 import TemplateError
from jinja2.sandbox import SandboxedEnvironment

if TYPE_CHECKING:
    from django_stubs_ext import StrOrPromise

DOCX_CONTENT_TYPE = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
MAX_TEMPLATE_BYTES = 5 * 1024 * 1024
# A 5 MB zip can inflate to gigabytes; a real form template is a few hundred kilobytes unpacked.
MAX_UNPACKED_BYTES = 60 * 1024 * 1024

# Characters XML cannot hold, and the ones docxtpl turns into layout (\a paragraph, \f page, \t tab).
_NOT_TEXT = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def text(value: Any, *, multiline: bool = False) -> str:
    """A value as text safe to hand to a template: each line of a multi-line value becomes a paragraph."""
    if value is None:
        return ""
    cleaned = _NOT_TEXT.sub("", str(value)).replace("\r\n", "\n").replace("\r", "\n")
    if multiline:
        return "\a".join(line.strip() for line in cleaned.strip().split("\n") if line.strip())
    return " ".join(cleaned.split("\n")).strip()


@dataclass(frozen=True)
class Image:
    """A picture placed where the template prints its variable, scaled to fit the box (mm)."""

    data: bytes
    max_width_mm: float
    max_height_mm: float

    def size_mm(self) -> tuple[float, float]:
        picture = DocxImage.from_blob(self.data)
        width, height = picture.px_width or 1, picture.px_height or 1
        scale = min(self.max_width_mm / width, self.max_height_mm / height)
        return width * scale, height * scale

    def __str__(self) -> str:  # what a template shows if it prints the image as text
        return ""


def image_or_empty(data: bytes, max_width_mm: float, max_height_mm: float) -> Image | str:
    """The picture, or "" when the bytes are not an image Word can place (the box is then printed empty)."""
    try:
        DocxImage.from_blob(data)
    except Exception:  # python-docx raises several kinds for bytes it cannot read as a picture
        return ""
    return Image(data, max_width_mm, max_height_mm)


def placeholder_png(width: int = 25, height: int = 35) -> bytes:
    """A plain grey PNG, for sample contexts (no imaging library needed)."""
    row = b"\x00" + b"\xcc" * width
    raw = zlib.compress(row * height)

    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body) & 0xFFFFFFFF)

    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", header) + chunk(b"IDAT", raw) + chunk(b"IEND", b"")


# --- built-in templates and sample contexts ----------------------------------------------------


@dataclass(frozen=True)
class DefaultTemplate:
    """A template shipped with the platform; ``pack_id`` empty means it fits every pack."""

    key: str
    kind: str
    pack_id: str
    label: StrOrPromise
    path: Path

    @property
    def filename(self) -> str:
        return self.path.name

    def read(self) -> bytes:
        return self.path.read_bytes()


_DEFAULTS: dict[str, DefaultTemplate] = {}
_SAMPLES: dict[str, Callable[[], dict[str, Any]]] = {}


def register_default(*, kind: str, path: Path, label: StrOrPromise, pack_id: str = "") -> DefaultTemplate:
    kind = str(kind)  # a TextChoices member prints as its value, but a dict key must be the plain string
    key = f"{kind}-{pack_id}" if pack_id else kind
    default = DefaultTemplate(key=key, kind=kind, pack_id=pack_id, label=label, path=path)
    _DEFAULTS[key] = default
    return default


def register_sample(kind: str, build: Callable[[], dict[str, Any]]) -> None:
    _SAMPLES[str(kind)] = build


def default_templates() -> list[DefaultTemplate]:
    return sorted(_DEFAULTS.values(), key=lambda d: (d.kind, d.pack_id))


def default_template_by_key(key: str) -> DefaultTemplate | None:
    return _DEFAULTS.get(key)


def default_template(kind: str, pack_id: str = "") -> DefaultTemplate:
    """The built-in template laid out for ``pack_id``'s form, else the generic one of ``kind``."""
    found = _DEFAULTS.get(f"{kind}-{pack_id}") if pack_id else None
    found = found or _DEFAULTS.get(kind)
    if found is None:
        raise LookupError(f"no built-in template is registered for {kind!r}")
    return found


def sample_context(kind: str) -> dict[str, Any]:
    build = _SAMPLES.get(kind)
    return build() if build else {}


# --- rendering ---------------------------------------------------------------------------------


def _with_images(doc: DocxTemplate, value: Any) -> Any:
    """The context with every ``Image`` turned into docxtpl's inline picture of that document."""
    if isinstance(value, Image):
        width, height = value.size_mm()
        return InlineImage(doc, image_descriptor=io.BytesIO(value.data), width=Mm(width), height=Mm(height))
    if isinstance(value, Mapping):
        return {k: _with_images(doc, v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_with_images(doc, v) for v in value]
    return value


def render(template: bytes, context: Mapping[str, Any]) -> bytes:
    """The filled document. Raises jinja2's ``TemplateError`` for a broken template."""
    doc = DocxTemplate(io.BytesIO(template))
    doc.render(_with_images(doc, context), jinja_env=SandboxedEnvironment(autoescape=True), autoescape=True)
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


def _check_package(data: bytes) -> None:
    if len(data) > MAX_TEMPLATE_BYTES:
        raise ValidationError(_("模板文件过大,不能超过 5 MB。"))
    not_docx = ValidationError(_("文件不是有效的 Word (.docx) 文档。请用 Word 或 WPS 另存为 .docx 后重新上传。"))
    if not data.startswith(b"PK\x03\x04"):
        raise not_docx
    try:
        with zipfile.ZipFile(io.BytesIO(data)) as package:
            members = package.infolist()
    except zipfile.BadZipFile:
        raise not_docx from None
    names = {m.filename for m in members}
    if "word/document.xml" not in names or "[Content_Types].xml" not in names:
        raise not_docx
    if sum(m.file_size for m in members) > MAX_UNPACKED_BYTES:
        raise ValidationError(_("模板文件解压后过大,请删除其中的大图片后重新上传。"))


def template_error_message(exc: BaseException) -> str:
    """A Chinese explanation of why a template cannot be rendered, with docxtpl's own words."""
    if isinstance(exc, TemplateError):
        near = "".join(getattr(exc, "docx_context", None) or []).strip()
        message = _("模板标签有误:%(msg)s。") % {"msg": exc.message or exc.__class__.__name__}
        if near:
            message += _("出错位置附近的文字:“%(near)s”。") % {"near": near[:120]}
        return message
    return _("模板无法生成文档:%(msg)s。") % {"msg": str(exc)[:200] or exc.__class__.__name__}


def check_template(data: bytes, kind: str) -> None:
    """Refuse a file that is not a .docx, or whose tags do not render with the kind's sample context."""
    _check_package(data)
    try:
        render(data, sample_context(kind))
    except Exception as exc:  # anything a template can make docxtpl, Jinja or lxml raise
        raise ValidationError(template_error_message(exc)) from exc
