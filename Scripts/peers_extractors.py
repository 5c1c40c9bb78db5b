"""The peer extractors: charset detection, the adapters, and their versions (cache keys)."""

from __future__ import annotations

import codecs
import hashlib
import inspect
import re
import sys
from importlib import metadata
from typing import Callable, Dict, Iterable, List, Optional


# ---------------------------------------------------------------- decoding

def _codec(label: Optional[str]) -> Optional[str]:
    """Python codec name for a charset label (WHATWG aliases for latin-1), or None."""
    if not label:
        return None
    label = label.strip().strip('"\'').lower()
    if label in ("unset", "") or label.startswith("unknown"):
        return None
    # WHATWG: these labels all mean windows-1252
    if label in ("iso-8859-1", "iso8859-1", "latin1", "latin-1", "l1", "us-ascii", "ascii",
                 "ansi_x3.4-1968", "iso-1252", "cp819", "ibm819", "iso_8859-1", "x-cp1252"):
        return "cp1252"
    if label in ("euc_kr", "ks_c_5601-1987"):
        label = "euc-kr"
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


_META_RE = re.compile(rb'<meta[^>]{0,400}?charset\s*=\s*["\']?\s*([-\w.:]+)', re.I)


def detect_charset(data: bytes, hint: Optional[str] = None) -> str:
    """Encoding name for page bytes: BOM, valid UTF-8, the hint, a <meta> charset, cp1252."""
    if data.startswith(codecs.BOM_UTF8):
        return "utf-8"
    if data.startswith(codecs.BOM_UTF16_LE) or data.startswith(codecs.BOM_UTF16_BE):
        return "utf-16"
    try:
        data.decode("utf-8")
        return "utf-8"
    except UnicodeDecodeError:
        pass
    enc = _codec(hint)
    if enc:
        return enc
    m = _META_RE.search(data[:8192])
    if m:
        enc = _codec(m.group(1).decode("ascii", "replace"))
        if enc and enc != "utf-8":
            return enc
    return "cp1252"


# ---------------------------------------------------------------- html -> text helper

_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "body", "caption", "center", "dd", "details",
    "dialog", "dir", "div", "dl", "dt", "fieldset", "figcaption", "figure", "footer", "form",
    "h1", "h2", "h3", "h4", "h5", "h6", "header", "hgroup", "hr", "html", "li", "main", "menu",
    "nav", "ol", "p", "pre", "section", "summary", "table", "tbody", "td", "tfoot", "th", "thead",
    "tr", "ul",
}
_SKIP_TAGS = {"script", "style", "noscript", "template"}


def html_fragment_to_text(html: str) -> str:
    """Text of an HTML fragment, one paragraph per block element, blank-line separated."""
    import lxml.etree
    import lxml.html

    if not html or not html.strip():
        return ""
    root = lxml.html.fromstring(html)
    parts: List[str] = []
    skip_depth = 0
    for event, el in lxml.etree.iterwalk(root, events=("start", "end")):
        tag = el.tag.lower() if isinstance(el.tag, str) else None
        if event == "start":
            if tag in _SKIP_TAGS or tag is None:
                skip_depth += 1
                continue
            if skip_depth:
                continue
            if tag in _BLOCK_TAGS:
                parts.append("\n\n")
            elif tag == "br":
                parts.append("\n\n")
            if el.text:
                parts.append(el.text)
        else:
            if tag in _SKIP_TAGS or tag is None:
                skip_depth -= 1
            elif not skip_depth and tag in _BLOCK_TAGS:
                parts.append("\n\n")
            if not skip_depth and el.tail and el is not root:
                parts.append(el.tail)
    paras = (" ".join(p.split()) for p in re.split(r"\n\s*\n", "".join(parts)))
    return "\n\n".join(p for p in paras if p)


# ---------------------------------------------------------------- peers

Extractor = Callable[[bytes, Optional[str]], str]

# Distributions whose versions name a peer's cache folder.
PEER_DISTS = {
    "trafilatura": ("trafilatura", "jusText", "lxml"),
    "trafilatura-prec": ("trafilatura", "jusText", "lxml"),
    "justext": ("jusText", "lxml"),
    "readability": ("readability-lxml", "lxml", "lxml_html_clean"),
    "resiliparse": ("resiliparse",),
}
# Code besides the adapter itself that decides a peer's output (hashed into the cache key).
_CHARSET_CODE = (detect_charset, _codec, _META_RE.pattern)
PEER_HELPERS = {
    "trafilatura": (),
    "trafilatura-prec": (),
    "justext": _CHARSET_CODE,
    "readability": (html_fragment_to_text, sorted(_BLOCK_TAGS), sorted(_SKIP_TAGS)),
    "resiliparse": _CHARSET_CODE,
}


def make_peers() -> Dict[str, Extractor]:
    """The peer adapters: name -> function(page bytes, charset hint) -> text."""
    import justext
    import trafilatura
    from readability import Document
    from resiliparse.extract.html2text import extract_plain_text
    from resiliparse.parse.html import HTMLTree

    stoplist = justext.get_stoplist("English")

    def run_trafilatura(data: bytes, hint: Optional[str]) -> str:
        return trafilatura.extract(data, include_comments=False) or ""

    def run_trafilatura_prec(data: bytes, hint: Optional[str]) -> str:
        return trafilatura.extract(data, include_comments=False, favor_precision=True) or ""

    def run_justext(data: bytes, hint: Optional[str]) -> str:
        paras = justext.justext(data, stoplist, encoding=detect_charset(data, hint))
        return "\n\n".join(p.text for p in paras if not p.is_boilerplate)

    def run_readability(data: bytes, hint: Optional[str]) -> str:
        return html_fragment_to_text(Document(data).summary(html_partial=True))

    def run_resiliparse(data: bytes, hint: Optional[str]) -> str:
        tree = HTMLTree.parse_from_bytes(data, detect_charset(data, hint), errors="replace")
        return extract_plain_text(tree, main_content=True, comments=False) or ""

    return {
        "trafilatura": run_trafilatura,
        "trafilatura-prec": run_trafilatura_prec,
        "justext": run_justext,
        "readability": run_readability,
        "resiliparse": run_resiliparse,
    }


def dist_version(dist: str) -> str:
    """Installed version of a distribution, or 'missing'."""
    try:
        return metadata.version(dist)
    except metadata.PackageNotFoundError:
        return "missing"


def versions() -> Dict[str, str]:
    """Versions of Python and the peer packages, as printed and written to the JSON."""
    out = {"python": sys.version.split()[0]}
    for dist in ("trafilatura", "jusText", "readability-lxml", "resiliparse", "lxml", "lxml_html_clean"):
        out[dist] = dist_version(dist)
    return out


def code_fingerprint(objects: Iterable) -> str:
    """Short hash of the source of functions (and the repr of other values)."""
    h = hashlib.sha1()
    for obj in objects:
        text = inspect.getsource(obj) if callable(obj) else repr(obj)
        h.update(text.encode("utf-8"))
    return h.hexdigest()[:10]


def peer_version(name: str, fn: Extractor) -> str:
    """Cache key version of a peer: its package versions plus a hash of its adapter code."""
    dists = "_".join(f"{d}-{dist_version(d)}" for d in PEER_DISTS[name])
    code = code_fingerprint((fn,) + tuple(PEER_HELPERS[name]))
    return re.sub(r"[^A-Za-z0-9._+-]", "_", f"{dists}_code-{code}")
