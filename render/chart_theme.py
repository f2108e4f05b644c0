"""The charts' colours and the Altair theme every chart uses, with the WCAG contrast arithmetic.

Text (axis labels and titles, legends, chart titles, facet headers, labels drawn on a chart)
is at least 4.5:1 against its background and marks are at least 3:1 (WCAG 2.2 AA, 1.4.3 and
1.4.11). Colours come from the Government Analysis Function palette. The theme is registered
and enabled when this module is imported (by `components` and by render/control_chart.py), so every Altair chart carries
it, in the app (Streamlit's own chart theme yields to a chart's config) and in PNG downloads alike; the control chart,
built as plain Vega-Lite (render/vega_lite.py), sets theme_config() as its config itself.
tests/test_contrast.py walks the specs the components build and checks every colour in them.

Fills that only shade a background (the chosen period, an interval band, a definition change)
are drawn with ``aria=False``: they are decoration, and what they show is said in words too.
"""
from __future__ import annotations

import altair as alt

BACKGROUND = "#FFFFFF"
TEXT = "#0B0C0C"  # 19.8:1 on white
SECONDARY_TEXT = "#505A5F"  # 7.1:1
GRID = "#E1E4E6"  # gridlines help reading but carry nothing on their own

# Government Analysis Function categorical palette, in its order, each at least 3:1 on white.
DARK_BLUE = "#12436D"  # 10.3:1
TURQUOISE = "#28A197"  # 3.2:1
DARK_PINK = "#801650"  # 9.8:1
ORANGE = "#F46A25"  # 3.0:1
DARK_GREY = "#3D3D3D"  # 10.9:1
PLUM = "#A285D1"  # 3.1:1
PALETTE = [DARK_BLUE, TURQUOISE, DARK_PINK, ORANGE, DARK_GREY, PLUM]
MID_GREY = "#707070"  # 5.0:1: common cause, interval whiskers
PURPLE = "#6B3FA0"  # 7.4:1: special cause that is neither improvement nor concern
LIGHT_BLUE = "#5694CA"  # 3.2:1: the lightest fill of a sequential (tile map) scale

THEME_NAME = "dashboard"
# A chart that colours marks from its data (a tile map) names the colours in these columns: a mark's
# fill, and the colour of text drawn on that fill (tests/test_contrast.py checks each row's pair).
FILL_FIELD, TEXT_COLOUR_FIELD = "fill", "text_colour"


def relative_luminance(colour: str) -> float:
    """WCAG 2.2 relative luminance of an sRGB colour written #RRGGBB (or #RGB)."""
    hex_digits = colour.lstrip("#")
    if len(hex_digits) == 3:
        hex_digits = "".join(c * 2 for c in hex_digits)
    if len(hex_digits) != 6:
        raise ValueError(f"not a #RRGGBB colour: {colour!r}")
    channels = [int(hex_digits[i:i + 2], 16) / 255 for i in (0, 2, 4)]
    linear = [c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4 for c in channels]
    return 0.2126 * linear[0] + 0.7152 * linear[1] + 0.0722 * linear[2]


def contrast_ratio(first: str, second: str) -> float:
    """(L1 + 0.05) / (L2 + 0.05), the lighter colour's luminance over the darker's: 1 to 21."""
    lighter, darker = sorted((relative_luminance(first), relative_luminance(second)), reverse=True)
    return (lighter + 0.05) / (darker + 0.05)


def blend(colour: str, opacity: float, background: str = BACKGROUND) -> str:
    """The colour a translucent mark shows over the background."""
    front, back = colour.lstrip("#"), background.lstrip("#")
    mixed = [round(opacity * int(front[i:i + 2], 16) + (1 - opacity) * int(back[i:i + 2], 16)) for i in (0, 2, 4)]
    return "#" + "".join(f"{c:02X}" for c in mixed)


def mix(start: str, end: str, share: float) -> str:
    """A colour share of the way from start to end, linear in sRGB (Vega's "rgb" interpolation)."""
    return blend(end, min(1.0, max(0.0, share)), start)


def text_colour_on(fill: str) -> str:
    """Black or white text, whichever contrasts more with the fill. One of them always reaches 4.5:1
    (at worst 4.58:1, for a fill of luminance 0.18); with TEXT's near-black in place of black, mid fills
    would get 4.43:1."""
    return "#000000" if contrast_ratio("#000000", fill) >= contrast_ratio("#FFFFFF", fill) else "#FFFFFF"


def theme_config() -> dict:
    text = {"labelColor": TEXT, "titleColor": TEXT}
    return {
        "background": BACKGROUND,
        "axis": {**text, "gridColor": GRID, "domainColor": SECONDARY_TEXT, "tickColor": SECONDARY_TEXT},
        "legend": text,
        "header": text,
        "title": {"color": TEXT, "subtitleColor": SECONDARY_TEXT},
        "text": {"color": TEXT},
        "mark": {"color": DARK_BLUE},
        "range": {"category": PALETTE},
        "view": {"continuousWidth": 300, "continuousHeight": 300},  # Altair's defaults, kept for PNGs
    }


@alt.theme.register(THEME_NAME, enable=True)
def dashboard_theme() -> alt.theme.ThemeConfig:
    return alt.theme.ThemeConfig(config=theme_config())
