"""Great Expectations data docs that open offline, from disk, with no request leaving the machine.

GX 1.24's page templates load jQuery, Popper, Bootstrap, bootstrap-table, bootstrap-datepicker,
Font Awesome and Vega from public CDNs, and its logo from S3. Without them a page is unstyled and the
index lists no validation at all: bootstrap-table draws those rows from data in the page. GX ships
none of these libraries, so `data_docs_assets/` keeps a copy of each, at the version the pages ask
for, with its licence (its README says where each file comes from). `localise_data_docs` runs after
every docs build (`validate_warehouse`, used by `airoi build` and by the Dagster checks alike): it
copies them into the docs' `static/vendor/` and points every page at them by relative URL, so the
folder still works when it is moved, zipped or served from anywhere.
"""

from __future__ import annotations

import logging
import re
import shutil
from pathlib import Path

ASSETS_DIR = Path(__file__).with_name("data_docs_assets")
#: Where, inside a docs folder, the copies go; beside GX's own static/images, fonts and styles.
VENDOR_DIR = Path("static") / "vendor"

#: Every script and stylesheet the GX 1.24 templates load from a CDN, and its copy in ASSETS_DIR.
REMOTE_ASSETS: dict[str, str] = {
    "https://code.jquery.com/jquery-3.7.1.min.js": "jquery-3.7.1/jquery.min.js",
    "https://cdnjs.cloudflare.com/ajax/libs/popper.js/1.12.9/umd/popper.min.js": (
        "popper.js-1.12.9/popper.min.js"
    ),
    "https://stackpath.bootstrapcdn.com/bootstrap/4.3.1/js/bootstrap.min.js": (
        "bootstrap-4.3.1/js/bootstrap.min.js"
    ),
    "https://maxcdn.bootstrapcdn.com/bootstrap/4.3.1/css/bootstrap.min.css": (
        "bootstrap-4.3.1/css/bootstrap.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.js": (
        "bootstrap-table-1.19.1/bootstrap-table.min.js"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/bootstrap-table.min.css": (
        "bootstrap-table-1.19.1/bootstrap-table.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.1/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.js": (
        "bootstrap-table-1.19.1/extensions/filter-control/bootstrap-table-filter-control.min.js"
    ),
    # The templates take this extension's stylesheet from 1.19.0; its rules are the same in 1.19.1.
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.css": (
        "bootstrap-table-1.19.1/extensions/filter-control/bootstrap-table-filter-control.min.css"
    ),
    "https://unpkg.com/bootstrap-table@1.19.0/dist/extensions/filter-control/"
    "bootstrap-table-filter-control.min.css": (
        "bootstrap-table-1.19.1/extensions/filter-control/bootstrap-table-filter-control.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/js/bootstrap-datepicker.min.js": (
        "bootstrap-datepicker-1.9.0/js/bootstrap-datepicker.min.js"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/bootstrap-datepicker/1.9.0/css/bootstrap-datepicker.min.css": (
        "bootstrap-datepicker-1.9.0/css/bootstrap-datepicker.min.css"
    ),
    "https://cdn.jsdelivr.net/npm/@forevolve/bootstrap-dark@1.1.0/dist/css/bootstrap-prefers-dark.css": (
        "bootstrap-dark-1.1.0/bootstrap-prefers-dark.min.css"
    ),
    "https://cdnjs.cloudflare.com/ajax/libs/font-awesome/6.6.0/css/all.min.css": (
        "fontawesome-free-6.6.0/css/all.min.css"
    ),
    # The CDN serves the newest 5.x (and 6.x for vega-embed) at the time of loading; these are the
    # newest there were when the copies were taken.
    "https://cdn.jsdelivr.net/npm/vega@5": "vega-5.33.1/vega.min.js",
    "https://cdn.jsdelivr.net/npm/vega-lite@5": "vega-lite-5.23.0/vega-lite.min.js",
    "https://cdn.jsdelivr.net/npm/vega-embed@6": "vega-embed-6.29.0/vega-embed.min.js",
}

#: GX's logo: the navigation bar's image, with a cache-busting query, and the background that
#: replaces it in dark mode. GX copies `logo-long.png` into the docs' static/images; it does not ship
#: the dark variant, so dark mode shows the same logo.
_GX_LOGO = re.compile(
    r"https://great-expectations-web-assets\.s3\.us-east-2\.amazonaws\.com/"
    r"(?:logo-long|full_logo_dark)\.png(?:\?[^\"')\s]*)?"
)
#: A relative link into the docs' static/images/. GX counts the folders up to the root one short
#: for the favicon of a validation page; each page gets its own count again.
_GX_IMAGES = re.compile(r"""\b(src|href)=(["'])(?:\.\./)*static/images/""", re.IGNORECASE)
_TAG = re.compile(r"<(?:script|link)\b[^>]*>", re.IGNORECASE)
_URL_ATTRIBUTE = re.compile(r"""\b(src|href)=(["'])(.*?)\2""", re.IGNORECASE)
#: Subresource integrity needs a CORS fetch, which a page opened from disk cannot make: the browser
#: would refuse the local copy. The copies of the two files GX pins a hash for have that hash
#: (tests/test_gx_data_docs.py checks it).
_INTEGRITY = re.compile(r"""\s+(?:integrity|crossorigin)=(["']).*?\1""", re.IGNORECASE)
#: What a page could still load from elsewhere: a script, a stylesheet, an image, a CSS url().
REMOTE_LOAD = re.compile(
    r"""<(?:script|link|img)\b[^>]*\b(?:src|href)=["']((?:https?:)?//[^"']+)"""
    r"""|url\(\s*["']?((?:https?:)?//[^"')]+)""",
    re.IGNORECASE,
)

logger = logging.getLogger(__name__)


def localise_data_docs(docs_dir: Path) -> None:
    """Copy the libraries into `docs_dir` and point its pages at them.

    Every page is looked at, not only this run's: pages of earlier runs stay in the folder and are
    linked from the index. A page already pointing at the copies is left as it is. A remote load
    REMOTE_ASSETS does not know (after a GX upgrade, say) is logged, not fatal: the docs are a view
    of a validation that has already run.
    """
    shutil.copytree(ASSETS_DIR, docs_dir / VENDOR_DIR, dirs_exist_ok=True)
    for page in sorted(docs_dir.rglob("*.html")):
        text = page.read_text(encoding="utf-8")
        local = _localise_page(text, "../" * (len(page.relative_to(docs_dir).parts) - 1))
        if local != text:
            page.write_text(local, encoding="utf-8")
        remote = sorted({url for match in REMOTE_LOAD.finditer(local) for url in match.groups() if url})
        if remote:
            logger.warning("%s still loads from the network: %s", page, ", ".join(remote))


def _localise_page(text: str, to_root: str) -> str:
    """`text` with each known remote script, stylesheet and logo replaced by its copy under `to_root`."""
    vendor = f"{to_root}{VENDOR_DIR.as_posix()}/"

    def tag(match: re.Match[str]) -> str:
        element = match.group(0)
        for attribute in _URL_ATTRIBUTE.finditer(element):
            name, quote, url = attribute.groups()
            if url in REMOTE_ASSETS:
                local = f"{name}={quote}{vendor}{REMOTE_ASSETS[url]}{quote}"
                return _INTEGRITY.sub("", element.replace(attribute.group(0), local, 1))
        return element

    text = _TAG.sub(tag, text)
    text = _GX_IMAGES.sub(lambda match: f"{match.group(1)}={match.group(2)}{to_root}static/images/", text)
    return _GX_LOGO.sub(f"{to_root}static/images/logo-long.png", text)
