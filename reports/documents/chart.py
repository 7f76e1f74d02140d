"""The dimension profile as a PNG for the editable documents, drawn with Pillow.

The same chart as the PDF's (bars of each dimension's index 0–4, a mark at the previous
assessment's index), as a raster image because Word and LibreOffice both embed PNG
everywhere. Pillow is already WeasyPrint's dependency: no plotting library for one bar chart.
"""

import io
from functools import cache
from pathlib import Path

from django.utils.translation import gettext as _
from PIL import Image, ImageDraw, ImageFont

from reports.report import Report

DPI = 200
WIDTH_CM = 16.0
ROW_CM = 0.9  # the name above its bar
TOP_CM = 0.6  # the scale's numbers
BAR_COLOUR = (31, 78, 140)
PREVIOUS_COLOUR = (164, 64, 11)
GRID_COLOUR = (206, 212, 218)
TEXT_COLOUR = (17, 17, 17)
FONT_FILES = (
    Path("/usr/share/fonts/truetype/dejavu/DejaVuSans.ttf"),
    Path("/usr/share/fonts/truetype/liberation/LiberationSans-Regular.ttf"),
)


def _px(cm: float) -> int:
    return round(cm / 2.54 * DPI)


@cache
def _font(size: int) -> ImageFont.FreeTypeFont | ImageFont.ImageFont:
    """DejaVu Sans when installed (Debian's fonts-dejavu-core), else Pillow's own font."""
    for path in FONT_FILES:
        if path.exists():
            return ImageFont.truetype(str(path), size)
    return ImageFont.load_default(size=size)


def profile_chart_png(report: Report) -> tuple[bytes, float, float]:
    """The profile chart as PNG bytes with its width and height in centimetres."""
    rows = report.dimensions
    height_cm = TOP_CM + ROW_CM * len(rows) + 0.2
    width, height = _px(WIDTH_CM), _px(height_cm)
    image = Image.new("RGB", (width, height), "white")
    draw = ImageDraw.Draw(image)
    left, right = _px(0.2), width - _px(0.4)
    scale = (right - left) / 4
    top = _px(TOP_CM)
    small, normal = _font(_px(0.3)), _font(_px(0.34))
    for number in range(5):
        x = left + number * scale
        draw.line([(x, top - _px(0.1)), (x, height - _px(0.1))], fill=GRID_COLOUR, width=2)
        draw.text((x, top - _px(0.15)), str(number), fill=TEXT_COLOUR, font=small, anchor="mb")
    row_height = _px(ROW_CM)
    for place, row in enumerate(rows):
        y = top + place * row_height
        name = row.dimension.name
        if row.index is None:
            name += f" — {_('not yet known')}"
        draw.text((left, y + _px(0.05)), name, fill=TEXT_COLOUR, font=normal, anchor="la")
        bar_top = y + _px(0.48)
        if row.index is not None:
            draw.rectangle(
                [left, bar_top, left + row.index * scale, bar_top + _px(0.3)], fill=BAR_COLOUR
            )
        if row.previous_index is not None:
            x = left + row.previous_index * scale
            mark = [x - 3, bar_top - _px(0.06), x + 3, bar_top + _px(0.36)]
            draw.rectangle(mark, fill=PREVIOUS_COLOUR)
    out = io.BytesIO()
    image.save(out, format="PNG", dpi=(DPI, DPI), optimize=False)
    return out.getvalue(), WIDTH_CM, round(height_cm, 2)
