"""The apology letter (道歉信) for a grade B or C complaint: A4, on the center's letterhead, the
body from the template a supervisor edits in settings, signed by the signatory; a grade C letter
also carries the general manager's signature line (seed 000: 总经理签名的道歉信)."""

from __future__ import annotations

import io
from dataclasses import dataclass
from datetime import datetime

from reportlab.lib.pagesizes import A4
from reportlab.lib.units import mm
from reportlab.pdfgen.canvas import Canvas

from app import localtime, settings
from app.complaints import complaint_detail
from app.context import Context
from app.documents.fitting import fullwidth_punctuation, wrap
from app.documents.fonts import cjk_font
from app.errors import N_, IllegalTransition
from app.models import ComplaintGrade

MARGIN = 25 * mm


@dataclass(frozen=True)
class ApologyLetter:
    customer_name: str
    complaint_no: str
    grade: ComplaintGrade
    order_nos: tuple[str, ...]
    received_at: datetime
    facts: str
    remedy: str
    center_name: str
    letterhead: tuple[str, ...]
    signatory: str
    general_manager: str
    dated: datetime

    def fields(self) -> dict[str, str]:
        """The named fields a template may use (settings.APOLOGY_TEMPLATE_FIELDS)."""
        return {
            "customer_name": self.customer_name,
            "complaint_no": self.complaint_no,
            "order_nos": "、".join(self.order_nos) or "—",
            "received_date": _chinese_date(self.received_at),
            "facts": self.facts.strip().rstrip("。") + "。",
            "remedy": self.remedy.strip().rstrip("。"),
            "center_name": self.center_name,
        }

    def body(self, template: str) -> str:
        return template.format(**self.fields())


def _chinese_date(moment: datetime) -> str:
    local = localtime.local(moment)
    return f"{local.year}年{local.month}月{local.day}日"


def apology_pdf(letter: ApologyLetter, template: str) -> bytes:
    """Typeset as a Chinese business letter: the salutation flush left, each paragraph indented
    two characters, full-width punctuation, numbers never broken across lines, then 此致 indented
    two characters on its own line and 敬礼! flush left under it, the signature and the date
    flush right."""
    buffer = io.BytesIO()
    canvas = Canvas(buffer, pagesize=A4, pageCompression=1)
    canvas.setTitle(f"道歉信 {letter.complaint_no}")
    canvas.setCreator("RepairFloor")
    font = cjk_font()
    width, height = A4
    inner = width - 2 * MARGIN
    y = height - MARGIN
    head = letter.letterhead or (letter.center_name,)
    canvas.setFont(font, 16)
    canvas.drawCentredString(width / 2, y, head[0])
    canvas.setFont(font, 9)
    for line in head[1:]:
        y -= 13
        canvas.drawCentredString(width / 2, y, line)
    y -= 8
    canvas.setLineWidth(0.8)
    canvas.line(MARGIN, y, width - MARGIN, y)
    y -= 34
    canvas.setFont(font, 18)
    canvas.drawCentredString(width / 2, y, "致歉信")
    y -= 30
    size, leading = 11.5, 20
    indent = 2 * size  # 空两格
    canvas.setFont(font, size)

    def line_at(x: float, text: str) -> None:
        nonlocal y
        if y < MARGIN + 20:
            canvas.showPage()
            canvas.setFont(font, size)
            y = height - MARGIN
        canvas.drawString(x, y, text)
        y -= leading

    for number, paragraph in enumerate(fullwidth_punctuation(letter.body(template)).splitlines()):
        salutation = number == 0 and paragraph.startswith("尊敬")
        first = "" if salutation else "\u3000\u3000"  # the indent, measured as two characters
        for line in wrap(first + paragraph.strip(), font, size, inner):
            line_at(MARGIN, line)
    y -= 6
    line_at(MARGIN + indent, "此致")
    line_at(MARGIN, "敬礼！")
    if y < MARGIN + 100:
        canvas.showPage()
        canvas.setFont(font, size)
        y = height - MARGIN
    y -= leading
    right = width - MARGIN
    canvas.drawRightString(right, y, f"{letter.center_name}  {letter.signatory}")
    if letter.grade is ComplaintGrade.C:
        y -= leading * 1.5
        name = letter.general_manager or "\u3000" * 4
        canvas.drawRightString(right, y, f"总经理签名：{name}  ____________")
    y -= leading
    canvas.drawRightString(right, y, _chinese_date(letter.dated))
    canvas.setFont(font, 8)
    canvas.drawString(MARGIN, MARGIN - 10, f"投诉编号 {letter.complaint_no}")
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()


def apology_letter(ctx: Context, complaint_id: int) -> tuple[ApologyLetter, str]:
    """The letter for a complaint, with the template from settings; refused for grade A (an
    apology by phone) and before the customer has chosen a remedy. Dated today; needs
    HANDLE_COMPLAINTS (the complaint's detail is read)."""
    detail = complaint_detail(ctx, complaint_id)
    complaint = detail.complaint
    if complaint.grade is ComplaintGrade.A:
        raise IllegalTransition(N_("A grade A complaint gets an apology by phone, not a letter."))
    if not complaint.chosen_remedy:
        raise IllegalTransition(
            N_("Record the remedy the customer chose before printing the apology letter.")
        )
    with ctx.db.read() as session:
        center = settings.get(session, settings.CENTER_NAME)
        letterhead = settings.get(session, settings.LETTERHEAD_LINES)
        address = settings.get(session, settings.CENTER_ADDRESS)
        phone = settings.get(session, settings.CENTER_PHONE)
        signatory = settings.get(session, settings.LETTER_SIGNATORY)
        manager = settings.get(session, settings.GENERAL_MANAGER_NAME)
        template = settings.get(session, settings.APOLOGY_TEMPLATE)
    lines = tuple(line for line in letterhead.splitlines() if line.strip())
    if not lines:
        contact = "  ".join(filter(None, [address, f"电话 {phone}" if phone else ""]))
        lines = tuple(filter(None, [center, contact]))
    letter = ApologyLetter(
        customer_name=detail.customer_name,
        complaint_no=complaint.complaint_no,
        grade=complaint.grade,
        order_nos=tuple(detail.order_nos),
        received_at=complaint.received_at,
        facts=complaint.facts or complaint.description,
        remedy=complaint.chosen_remedy,
        center_name=center,
        letterhead=lines,
        signatory=signatory,
        general_manager=manager,
        dated=ctx.now(),
    )
    return letter, template


def apology_letter_pdf(ctx: Context, complaint_id: int) -> bytes:
    letter, template = apology_letter(ctx, complaint_id)
    return apology_pdf(letter, template)
