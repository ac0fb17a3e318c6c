"""The order timeline as text (for the phone agent's clipboard) and as an A4 PDF, with every
label through the caller's translate function, as on screen."""

from __future__ import annotations

from collections.abc import Callable

from app.errors import N_
from app.localtime import local_text
from app.search.timeline import OrderHeader, Timeline, TimelineEvent, Translate, identity
from app.vocabulary import label


def timeline_text(timeline: Timeline, translate: Translate = identity) -> str:
    """The timeline as plain text, for the clipboard (the phone agent pastes it into a chat)."""
    lines = [*header_lines(timeline.header, translate), ""]
    for event in timeline.events:
        lines.append(event_line(event, translate))
    return "\n".join(lines) + "\n"


def event_line(event: TimelineEvent, translate: Translate = identity) -> str:
    when = local_text(event.at)
    who = " / ".join(part for part in (event.who, event.station) if part)
    detail = event.detail(translate)
    return "  ".join(part for part in (when, event.label(translate), who, detail) if part)


def header_lines(header: OrderHeader, translate: Translate = identity) -> list[str]:
    return [line for line in (make(header, translate) for make in _HEADER_LINES) if line]


def _flags(header: OrderHeader, translate: Translate) -> str:
    flags = []
    if header.is_repeat:
        flags.append(translate(N_("repeat repair")))
    if header.is_rework:
        flags.append(translate(N_("rework within 90 days")))
    return ", ".join(flags)


_HEADER_LINES: tuple[Callable[[OrderHeader, Translate], str], ...] = (
    lambda h, t: t(N_("Order {order_no}, {state}")).format(
        order_no=h.order_no, state=t(label(h.state))
    ),
    lambda h, t: t(N_("Serial {serial}, model {model}")).format(serial=h.serial, model=h.model),
    lambda h, t: (
        t(N_("Swapped out: {serials}")).format(serials=", ".join(h.old_serials))
        if h.old_serials
        else ""
    ),
    lambda h, t: t(N_("Customer {customer}, phone {phone}")).format(
        customer=h.customer, phone=h.phone
    ),
    lambda h, t: (
        t(N_("In warranty until {date}")).format(date=h.warranty_until or "")
        if h.in_warranty
        else t(N_("Out of warranty"))
    ),
    lambda h, t: (
        t(N_("Fault: {fault}")).format(fault=h.fault_description) if h.fault_description else ""
    ),
    lambda h, t: _flags(h, t),
)


def timeline_document(timeline: Timeline, translate: Translate = identity) -> bytes:
    """The timeline as an A4 PDF (texts through ``translate``, as on screen)."""
    from app.documents.timeline import timeline_pdf

    rows = [
        (
            local_text(event.at),
            event.label(translate),
            " / ".join(part for part in (event.who, event.station) if part),
            event.detail(translate),
        )
        for event in timeline.events
    ]
    title = translate(N_("Repair order {order_no}: timeline")).format(
        order_no=timeline.header.order_no
    )
    return timeline_pdf(title, header_lines(timeline.header, translate), rows)
