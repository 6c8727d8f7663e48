"""Printing pages as PDF with WeasyPrint, in every language OpenKAM speaks.

The print templates extend `print/base.html`, whose style sheet registers the Sarabun fonts
shipped by the `fontpkg-sarabun` package (Thai, Vietnamese and Serbian Latin glyphs, Latin of
course) with @font-face `file://` URLs, so a PDF never depends on the fonts a machine happens to
have. WeasyPrint is imported on first use: it takes about half a second to import.
"""

from __future__ import annotations

import functools
import importlib.resources
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from django.http import HttpRequest, HttpResponse
from django.template.loader import render_to_string
from django.utils.safestring import mark_safe

FONT_FAMILY = "Sarabun"
# (file in the package, CSS weight, CSS style)
_FONT_FILES = (
    ("Sarabun-Regular.ttf", 400, "normal"),
    ("Sarabun-Italic.ttf", 400, "italic"),
    ("Sarabun-SemiBold.ttf", 600, "normal"),
    ("Sarabun-Bold.ttf", 700, "normal"),
    ("Sarabun-BoldItalic.ttf", 700, "italic"),
)


@functools.cache
def font_files() -> tuple[tuple[Path, int, str], ...]:
    """The Sarabun TTF files on disk, with their weight and style."""
    root = importlib.resources.files("fontpkg_sarabun") / "files"
    found = []
    for name, weight, style in _FONT_FILES:
        with importlib.resources.as_file(root / name) as path:
            found.append((Path(path), weight, style))
    return tuple(found)


@functools.cache
def font_face_css() -> str:
    """@font-face rules for the print style sheet."""
    return "\n".join(
        f'@font-face {{ font-family: "{FONT_FAMILY}"; src: url("{path.as_uri()}"); '
        f"font-weight: {weight}; font-style: {style}; }}"
        for path, weight, style in font_files()
    )


@functools.cache
def _fetcher():
    """Fetches the font files and nothing else: no network, no other file."""
    from weasyprint import URLFetcher

    allowed = {path.as_uri() for path, _weight, _style in font_files()}

    class FontsOnly(URLFetcher):
        def fetch(self, url, headers=None):
            if url not in allowed:
                raise ValueError(f"not fetched while printing: {url}")
            return super().fetch(url, headers)

    return FontsOnly(allowed_protocols=["file"])


def render_pdf(
    request: HttpRequest | None, template_name: str, context: Mapping[str, Any]
) -> bytes:
    """The template rendered (with the request, in its language) and printed as PDF bytes.
    Only the local font files and nothing from the network are loaded."""
    from weasyprint import HTML

    html = render_to_string(
        template_name,
        # our own CSS from the font files' URIs (percent-encoded: no quote or tag can occur)
        {**context, "font_face_css": mark_safe(font_face_css())},  # noqa: S308
        request=request,
    )
    base_url = request.build_absolute_uri("/") if request is not None else None
    document = HTML(string=html, base_url=base_url, url_fetcher=_fetcher())
    from weasyprint.text.fonts import FontConfiguration

    return document.write_pdf(font_config=FontConfiguration())


def pdf_response(
    request: HttpRequest,
    template_name: str,
    context: Mapping[str, Any],
    *,
    filename: str,
    inline: bool = True,
) -> HttpResponse:
    """An `application/pdf` answer named `filename` (".pdf" added when missing)."""
    if not filename.lower().endswith(".pdf"):
        filename = f"{filename}.pdf"
    response = HttpResponse(render_pdf(request, template_name, context), "application/pdf")
    disposition = "inline" if inline else "attachment"
    response["Content-Disposition"] = _content_disposition(disposition, filename)
    return response


def _content_disposition(disposition: str, filename: str) -> str:
    from urllib.parse import quote

    ascii_name = filename.encode("ascii", "ignore").decode() or "document.pdf"
    ascii_name = ascii_name.replace('"', "").replace("\\", "")
    return f"{disposition}; filename=\"{ascii_name}\"; filename*=UTF-8''{quote(filename)}"
