"""Labels as PDF: items, lots and bins, drawn with reportlab's barcode module (never by hand).

- Item and lot labels carry a GS1-128 barcode — FNC1, then (01) GTIN-14, (17) expiry
  YYMMDD and (10) lot, the variable-length lot last so no separator is needed — and a QR
  code with the same data as a GS1 Digital Link URI (https://id.gs1.org/01/…/10/…?17=…),
  except on labels under 30 mm tall, where the GS1-128 takes the whole width to stay
  scannable.
  An item with no GTIN gets a plain Code 128 of its SKU instead.
- Bin labels carry a Code 128 and a QR code of the location's code, in large type.

Sizes: `4x6` (4×6 in, the common thermal shipping label), `2x1` (2×1 in, small shelf and
item labels) — one label a page — and `a4`: A4 sheets of 3×8 labels of 70×37 mm.
"""

from __future__ import annotations

import io
import string
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from urllib.parse import quote

from reportlab.graphics import renderPDF
from reportlab.graphics.barcode.code128 import Code128
from reportlab.graphics.barcode.qr import QrCodeWidget
from reportlab.graphics.shapes import Drawing
from reportlab.lib.pagesizes import A4
from reportlab.lib.units import inch, mm
from reportlab.pdfgen.canvas import Canvas

from onhand.domain.errors import InvalidInput

FNC1 = "\xf1"  # reportlab's Code128 writes this as the FNC1 symbol character
DIGITAL_LINK = "https://id.gs1.org"
# GS1 AI encodable character set 82 (the lot's AI 10 accepts it, at most 20 characters).
GS1_CSET82 = frozenset(string.ascii_letters + string.digits + "!\"%&'()*+,-./:;<=>?_")
MAX_LABELS = 500


@dataclass(frozen=True)
class LabelSize:
    name: str
    width: float  # points
    height: float
    columns: int = 1  # on a sheet
    rows: int = 1


SIZES = {
    "4x6": LabelSize("4×6 in", 4 * inch, 6 * inch),
    "2x1": LabelSize("2×1 in", 2 * inch, 1 * inch),
    "a4": LabelSize("A4, 3×8 labels of 70×37 mm", 70 * mm, 37 * mm, columns=3, rows=8),
}


@dataclass(frozen=True)
class Label:
    title: str  # large: the SKU or the bin's code
    subtitle: str  # the item's or bin's name; lot and expiry
    barcode: str  # what the Code 128 encodes (FNC1 first for GS1-128)
    readable: str  # the barcode's human-readable line
    qr: str


def _yymmdd(day: date) -> str:
    return day.strftime("%y%m%d")


def gs1_element_string(gtin: str, lot: str | None = None, expiry: date | None = None) -> str:
    """The element string in parentheses form, e.g. `(01)09506000134352(17)301231(10)H-1`."""
    parts = [f"(01){gtin.zfill(14)}"]
    if expiry is not None:
        parts.append(f"(17){_yymmdd(expiry)}")
    if lot is not None:
        if len(lot) > 20 or not set(lot) <= GS1_CSET82:
            raise InvalidInput("lot", f"lot {lot!r} cannot be written in a GS1 barcode (at most 20 letters, "
                                      "digits and GS1 punctuation)")
        parts.append(f"(10){lot}")
    return "".join(parts)


def item_label(*, sku: str, name: str, gtin: str | None, lot: str | None = None,
               expiry: date | None = None) -> Label:
    details = " · ".join(part for part in (f"lot {lot}" if lot else "", f"exp {expiry}" if expiry else "") if part)
    subtitle = f"{name} · {details}" if details else name
    if gtin is None:
        text = f"{sku}/{lot}" if lot else sku
        return Label(sku, subtitle, text, text, text)
    readable = gs1_element_string(gtin, lot, expiry)
    data = FNC1 + readable.replace("(", "").replace(")", "")
    link = f"{DIGITAL_LINK}/01/{gtin.zfill(14)}"
    if lot is not None:
        link += f"/10/{quote(lot, safe='')}"
    if expiry is not None:
        link += f"?17={_yymmdd(expiry)}"
    return Label(sku, subtitle, data, readable, link)


def bin_label(*, code: str, name: str) -> Label:
    return Label(code, name, code, code, code)


def _fit(text: str, font: str, size: float, width: float, canvas: Canvas) -> float:
    """The font size (at most `size`) at which `text` fits `width`."""
    measured = canvas.stringWidth(text, font, size)
    return size if measured <= width else max(4.0, size * width / measured)


def _draw(canvas: Canvas, label: Label, x: float, y: float, width: float, height: float) -> None:
    pad = min(width, height) * 0.06
    inner_w, inner_h = width - 2 * pad, height - 2 * pad
    top = y + height - pad
    title_size = _fit(label.title, "Helvetica-Bold", inner_h * 0.16, inner_w, canvas)
    canvas.setFont("Helvetica-Bold", title_size)
    canvas.drawString(x + pad, top - title_size, label.title)
    sub_size = _fit(label.subtitle, "Helvetica", max(inner_h * 0.08, 5.0), inner_w, canvas)
    canvas.setFont("Helvetica", sub_size)
    canvas.drawString(x + pad, top - title_size - sub_size * 1.3, label.subtitle)
    used = title_size + sub_size * 1.6
    readable_size = max(inner_h * 0.07, 5.0)
    tall = height > width * 1.2  # a portrait label: the QR code goes below the barcode
    # On a small label a GS1-128 needs the whole width to stay scannable: no QR code there.
    with_qr = height >= 30 * mm or not label.barcode.startswith(FNC1)
    if not with_qr:
        qr_side = 0.0
    elif tall:
        qr_side = min(inner_w * 0.5, (inner_h - used) * 0.45)
    else:
        qr_side = min(inner_h - used, inner_w * 0.3)
    bar_w = inner_w if tall or not with_qr else inner_w - qr_side - pad
    bar_h = (inner_h - used - qr_side - readable_size * 2) if tall else (inner_h - used - readable_size * 2)
    probe = Code128(label.barcode, barWidth=1, quiet=True)
    module = bar_w / probe.width  # the narrowest bar (X): as wide as the space allows
    barcode = Code128(label.barcode, barWidth=module, barHeight=max(bar_h * 0.9, 8.0), quiet=True,
                      humanReadable=False)
    bar_top = top - used
    left = x + pad + (bar_w - barcode.width) / 2
    barcode.drawOn(canvas, left, bar_top - barcode.barHeight)
    readable_size = _fit(label.readable, "Helvetica", readable_size, bar_w, canvas)
    canvas.setFont("Helvetica", readable_size)
    canvas.drawCentredString(x + pad + bar_w / 2, bar_top - barcode.barHeight - readable_size * 1.2, label.readable)
    if not with_qr:
        return
    drawing = Drawing(qr_side, qr_side)  # the widget drawn at its size: its quiet zone inside
    drawing.add(QrCodeWidget(label.qr, barLevel="M", barWidth=qr_side, barHeight=qr_side))
    if tall:
        renderPDF.draw(drawing, canvas, x + (width - qr_side) / 2, y + pad)
    else:
        renderPDF.draw(drawing, canvas, x + width - pad - qr_side, y + pad)


def labels_pdf(labels: Sequence[Label], size: str, *, title: str) -> bytes:
    """One PDF: on a label printer's size one label a page; on A4 sheets, filling the grid."""
    if size not in SIZES:
        raise InvalidInput("size", f"must be one of {', '.join(SIZES)}")
    if not 1 <= len(labels) <= MAX_LABELS:
        raise InvalidInput("copies", f"print 1 to {MAX_LABELS} labels at a time")
    shape = SIZES[size]
    buffer = io.BytesIO()
    sheet = shape.columns * shape.rows > 1
    page = A4 if sheet else (shape.width, shape.height)
    canvas = Canvas(buffer, pagesize=page, invariant=True)
    canvas.setTitle(title)
    canvas.setCreator("Onhand")
    per_page = shape.columns * shape.rows
    left = (page[0] - shape.columns * shape.width) / 2
    bottom = (page[1] - shape.rows * shape.height) / 2
    drawn: dict[Label, str] = {}  # each different label is drawn once, as a PDF form, and placed per copy
    for index, label in enumerate(labels):
        if label not in drawn:
            drawn[label] = f"label{len(drawn)}"
            canvas.beginForm(drawn[label], 0, 0, shape.width, shape.height)
            _draw(canvas, label, 0, 0, shape.width, shape.height)
            canvas.endForm()
        if index and index % per_page == 0:
            canvas.showPage()
        cell = index % per_page
        column, row = cell % shape.columns, cell // shape.columns
        canvas.saveState()
        canvas.translate(left + column * shape.width, bottom + (shape.rows - 1 - row) * shape.height)
        canvas.doForm(drawn[label])
        canvas.restoreState()
    canvas.showPage()
    canvas.save()
    return buffer.getvalue()
