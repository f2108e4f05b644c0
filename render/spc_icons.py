"""Variation and assurance icons, drawn by the project as SVG with words for screen readers."""
from __future__ import annotations

import base64
from html import escape

from analysis.spc import COMMON_CAUSE_WORDS, PROVISIONAL_LIMITS, PROVISIONAL_SENTENCE, SPECIAL_CAUSE_WORDS
from render.chart_theme import DARK_BLUE, MID_GREY, ORANGE, PURPLE

NO_TARGET_GREY = "#6F777B"  # 4.6:1 on white, like every icon colour here (at least 3:1, WCAG 1.4.11)

VARIATION = {
    "common_cause": (MID_GREY, "~", COMMON_CAUSE_WORDS),
    "improvement_high": (DARK_BLUE, "H", f"{SPECIAL_CAUSE_WORDS['improvement']}: high"),
    "improvement_low": (DARK_BLUE, "L", f"{SPECIAL_CAUSE_WORDS['improvement']}: low"),
    "concern_high": (ORANGE, "H", f"{SPECIAL_CAUSE_WORDS['concern']}: high"),
    "concern_low": (ORANGE, "L", f"{SPECIAL_CAUSE_WORDS['concern']}: low"),
    "neutral_high": (PURPLE, "H", f"{SPECIAL_CAUSE_WORDS['neither']}: high"),
    "neutral_low": (PURPLE, "L", f"{SPECIAL_CAUSE_WORDS['neither']}: low"),
}
ASSURANCE = {
    "consistent_pass": (DARK_BLUE, "P", "Will consistently meet the target"),
    "consistent_fail": (ORANGE, "F", "Will consistently miss the target"),
    "inconsistent": (MID_GREY, "?", "Will hit or miss the target at random"),
    None: (NO_TARGET_GREY, "–", "No target to assure against"),
}


def icon_svg(colour: str, glyph: str, label: str, *, size: int = 44, provisional: bool = False) -> str:
    dash = ' stroke-dasharray="4 3"' if provisional else ""
    title = icon_words(label, provisional=provisional)
    return (
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{size}" height="{size}" viewBox="0 0 44 44" role="img" '
        f'aria-label="{escape(title)}"><title>{escape(title)}</title>'
        f'<circle cx="22" cy="22" r="19" fill="white" stroke="{colour}" stroke-width="4"{dash}/>'
        f'<text x="22" y="29" text-anchor="middle" font-family="sans-serif" font-size="20" font-weight="700" '
        f'fill="{colour}">{escape(glyph)}</text></svg>'
    )


def icon_data_uri(colour: str, glyph: str, label: str, *, size: int = 30, provisional: bool = False) -> str:
    svg = icon_svg(colour, glyph, label, size=size, provisional=provisional)
    return "data:image/svg+xml;base64," + base64.b64encode(svg.encode("utf-8")).decode("ascii")


def icon_words(label: str, *, provisional: bool = False) -> str:
    return f"{label} ({PROVISIONAL_LIMITS})" if provisional else label


def icon_class(kind: str, icon: str | None, *, provisional: bool = False) -> str:
    """A CSS class naming one icon (kind: "v" variation, "a" assurance), for a table that draws it many times: the
    image is in the class's one rule (a data URI survives HTML sanitisers that strip inline SVG), not in every row."""
    return f"ic-{kind}-{icon or 'none'}" + ("-p" if provisional else "")


def icon_class_rule(selector: str, css_class: str, colour: str, glyph: str, label: str, *, size: int,
                    provisional: bool = False) -> str:
    """The one CSS rule holding an icon's image, for every element of its class under selector."""
    uri = icon_data_uri(colour, glyph, label, size=size, provisional=provisional)
    return f'{selector} .{css_class} {{background-image: url("{uri}");}}'


def icon_span(css_class: str, label: str, *, provisional: bool = False) -> str:
    """An icon drawn by its class's rule (icon_class_rule): an image named by its words, shown on hover too."""
    words = escape(icon_words(label, provisional=provisional))
    return f'<span class="ic {css_class}" role="img" aria-label="{words}" title="{words}"></span>'


def variation_svg(icon: str, *, provisional: bool = False) -> str:
    colour, glyph, label = VARIATION[icon]
    return icon_svg(colour, glyph, label, provisional=provisional)


def assurance_svg(icon: str | None, *, provisional: bool = False) -> str:
    colour, glyph, label = ASSURANCE[icon]
    return icon_svg(colour, glyph, label, provisional=provisional)


def icons_html(variation: str, assurance: str | None, *, provisional: bool = False) -> str:
    """Both icons with their meaning in visible words beside them."""
    v_label, a_label = VARIATION[variation][2], ASSURANCE[assurance][2]
    note = f" {PROVISIONAL_SENTENCE}" if provisional else ""
    return (
        f'<div style="display:flex;gap:0.6rem;align-items:center">{variation_svg(variation, provisional=provisional)}'
        f'{assurance_svg(assurance, provisional=provisional)}'
        f'<span>{escape(v_label)}. {escape(a_label)}.{escape(note)}</span></div>'
    )
