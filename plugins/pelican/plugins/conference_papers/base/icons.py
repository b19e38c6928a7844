"""Font Awesome names -> inline SVG, from the SVGs of the ``fontawesomefree`` package.

Icons are inlined in the page, so no icon font or script is loaded from anywhere.
The names are the ones lab pages already use: ``fas fa-microscope``,
``fa-brands fa-github``, ``fa-solid fa-file-pdf`` (Font Awesome 4 and 5 names
are mapped through the package's own shims).
"""

from __future__ import annotations

import functools
import json
import re
from importlib.resources import files

from markupsafe import Markup, escape

_STYLES = {
    "fa": "solid",
    "fas": "solid",
    "fa-solid": "solid",
    "far": "regular",
    "fa-regular": "regular",
    "fab": "brands",
    "fa-brands": "brands",
}
_ROOT = files("fontawesomefree") / "static" / "fontawesomefree"
_COMMENT = re.compile(r"<!--.*?-->", re.DOTALL)


@functools.cache
def _shims() -> dict[str, tuple[str | None, str]]:
    """Old names (Font Awesome 4/5) to their Font Awesome 6 style and name."""
    raw = json.loads((_ROOT / "metadata" / "shims.json").read_text(encoding="utf-8"))
    return {old: (_STYLES.get(style or ""), new) for old, style, new in raw}


def _exists(style: str, name: str) -> bool:
    return (_ROOT / "svgs" / style / f"{name}.svg").is_file()


@functools.cache
def normalize_icon_name(value: str) -> str | None:
    """``fas fa-microscope`` -> ``fa-solid fa-microscope``; None when unknown."""
    tokens = value.split()
    style = next((_STYLES[t] for t in tokens if t in _STYLES), None)
    names = [t[3:] for t in tokens if t.startswith("fa-") and t not in _STYLES]
    if not names:
        return None
    name = names[0]
    candidates = [style] if style else ["solid", "brands", "regular"]
    if style == "solid":
        candidates.append("regular")
    for candidate in candidates:
        if _exists(candidate, name):
            return f"fa-{candidate} fa-{name}"
    shim = _shims().get(name)
    if shim:
        shim_style, new = shim
        for candidate in [shim_style or style or "solid", "solid", "brands"]:
            if candidate and _exists(candidate, new):
                return f"fa-{candidate} fa-{new}"
    return None


@functools.cache
def icon_svg(value: str, label: str = "") -> Markup:
    """The inline SVG of a Font Awesome name, hidden from screen readers.

    Unknown names give an empty string: the schema has warned about them already.
    """
    normal = normalize_icon_name(value) if value else None
    if normal is None:
        return Markup("")
    style, name = (part[3:] for part in normal.split())
    svg = (_ROOT / "svgs" / style / f"{name}.svg").read_text(encoding="utf-8")
    svg = _COMMENT.sub("", svg).strip()
    attributes = f'class="icon icon-{name}" aria-hidden="true" focusable="false"'
    if label:
        # A meaningful icon (standing alone) gets a name instead of being hidden.
        attributes = f'class="icon icon-{name}" role="img" aria-label="{escape(label)}"'
    return Markup(svg.replace("<svg ", f"<svg {attributes} ", 1))
