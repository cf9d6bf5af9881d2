"""Render Word documents to PDF and PNG pages, to look at them as they will print.

Not part of the test suite: it needs LibreOffice and poppler-utils
(``apt-get install libreoffice-writer-nogui poppler-utils fonts-noto-cjk``).

    .venv/bin/python scripts/render_docx_pdf.py some.docx other.docx   # files you have
    .venv/bin/python scripts/render_docx_pdf.py --demo                 # the default templates, filled
    .venv/bin/python scripts/render_docx_pdf.py --nomination 12        # a nomination of the database

Each document gives NAME.pdf and NAME-1.png, NAME-2.png ... in --out (default
/tmp/educio-docx). A 推荐表 longer than two pages (正反打印: both sides of one
A4 sheet) is reported.
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "src"))
TIMEOUT_SECONDS = 180


def setup_django() -> None:
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "educio.settings")
    import django

    django.setup()


def demo_documents(out: Path) -> list[Path]:
    """The default templates filled with sample data; the 推荐表 with the longest work record allowed."""
    from educio.appointments import exports
    from educio.documents import docx

    record = "\n".join(
        "本人自2015年起主持学校信息化工作,组织制定学校信息化发展规划和实施方案,推动智慧校园和智慧课堂建设。" * 8
        for _ in range(3)
    )[:2000]
    sample = exports.SAMPLES["nomination_form"]()
    sample["value"] = {**sample["value"], "work_record": docx.text(record, multiline=True)}
    sample["long_rows"] = [{**row, "value": sample["value"]["work_record"]} for row in sample["long_rows"]]
    sample["title"] = "焦作市首席教育信息官推荐表"
    jobs: list[tuple[str, str, dict[str, Any]]] = [
        ("demo-jiaozuo", "nomination_form-jiaozuo-2022", sample),
        ("demo-generic", "nomination_form", sample),
        ("demo-notice", "appointment_notice", exports.SAMPLES["appointment_notice"]()),
    ]
    written = []
    for name, key, context in jobs:
        default = docx.default_template_by_key(key)
        assert default is not None, key
        path = out / f"{name}.docx"
        path.write_bytes(docx.render(default.read(), context))
        written.append(path)
    return written


def nomination_documents(out: Path, pks: list[int]) -> list[Path]:
    from educio.appointments import exports
    from educio.appointments.models import Nomination

    written = []
    for pk in pks:
        nomination = Nomination.objects.select_related("organization", "person", "process").get(pk=pk)
        path = out / f"nomination-{pk}.docx"
        path.write_bytes(exports.nomination_docx(nomination))
        written.append(path)
    return written


def render(path: Path, out: Path, tools: dict[str, str]) -> list[Path]:
    """PDF with LibreOffice, then one PNG per page with pdftoppm."""
    subprocess.run(  # noqa: S603 - fixed tools, run on the files named on the command line
        [tools["libreoffice"], "--headless", "--convert-to", "pdf", "--outdir", str(out), str(path)],
        check=True,
        capture_output=True,
        timeout=TIMEOUT_SECONDS,
    )
    pdf = out / f"{path.stem}.pdf"
    for old in out.glob(f"{path.stem}-*.png"):
        old.unlink()
    command = [tools["pdftoppm"], "-r", "80", "-png", str(pdf), str(out / path.stem)]
    subprocess.run(command, check=True, timeout=60)  # noqa: S603 - fixed tool and arguments
    return sorted(out.glob(f"{path.stem}-*.png"))


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("files", nargs="*", type=Path, help=".docx files to render")
    parser.add_argument("--demo", action="store_true", help="the default templates filled with sample data")
    parser.add_argument("--nomination", type=int, action="append", default=[], help="a nomination's id")
    parser.add_argument("--out", type=Path, default=Path(tempfile.gettempdir()) / "educio-docx")
    args = parser.parse_args()
    tools = {tool: shutil.which(tool) or "" for tool in ("libreoffice", "pdftoppm")}
    missing = [tool for tool, path in tools.items() if not path]
    if missing:
        print(f"missing {', '.join(missing)}: apt-get install libreoffice-writer-nogui poppler-utils", file=sys.stderr)
        return 1
    args.out.mkdir(parents=True, exist_ok=True)
    documents = list(args.files)
    if args.demo or args.nomination:
        setup_django()
        if args.demo:
            documents += demo_documents(args.out)
        documents += nomination_documents(args.out, args.nomination)
    if not documents:
        parser.error("give .docx files, --demo or --nomination")
    too_long = []
    for document in documents:
        pages = render(document, args.out, tools)
        print(f"{document.name}: {len(pages)} page(s) -> {', '.join(p.name for p in pages)}")
        if "notice" not in document.stem and len(pages) > 2:
            too_long.append(document.name)
    if too_long:
        print(f"longer than two sides of A4 (正反打印): {', '.join(too_long)}", file=sys.stderr)
        return 2
    return 0


if __name__ == "__main__":
    sys.exit(main())
