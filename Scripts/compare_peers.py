#!/usr/bin/env python3
"""Compare Thresher with peer extractors on the shared corpus (quality and speed).

Run through ``Scripts/compare-peers`` (it prepares the throw-away venv with the
peers).  Usage:

    compare_peers.py [CORPUS] [--corpora LIST] [--thresher PATH | --no-thresher]
                     [--predictions NAME=FILE ...] [--cache DIR] [--json FILE]
                     [--misfires FILE] [--no-speed] [--limit N] [--repeat N]
                     [--resamples N] [--seed S]

Quality: Zyte token-shingle metric (Scripts/zyte_metric.py) per corpus per tool on
  * cleaneval    split == dev
  * googletrends split == dev
  * zyte         all 121 pages (all split == train)
  * dragnet      all 964 pages (all split == train)
Columns:
  * the peers (below), run on every page of every selected corpus;
  * ``thresher``: ``thresher extract`` with its default model, on cleaneval and
    googletrends dev only (the default model trains on the zyte pages, and the
    dragnet pages are all split train, i.e. training material);
  * one column per ``--predictions NAME=FILE``: FILE is JSONL, one
    ``{"id": ..., "source": ..., "text": ...}`` per line, the text Thresher extracted
    for a held-out page (cross-validation).  A file is used for every selected corpus
    it has at least one quality page of (``source`` = corpus name); quality pages of
    that corpus missing from it are PROBLEMS and score as empty extractions.  Lines
    for other pages of a known corpus (e.g. cleaneval train) are ignored, with a note.
Per corpus and column: precision, recall, F1 (means over pages where defined, F1 of
the two means), misfires (pages whose gold has at least one token and whose page
F1 is below 0.5; page F1 = 2PR/(P+R), 0 when the extraction has no token), and for
every Thresher column (``thresher`` and each predictions NAME) a paired bootstrap
95% interval of corpus F1(column) - F1(trafilatura) and - F1(readability):
``--resamples`` resamples of the corpus pages with replacement (default 1000), the
same resamples for every column of a corpus, seeded by ``--seed`` and the corpus name.
``--misfires FILE`` writes a TSV of every misfire of every Thresher column;
``--json FILE`` writes every figure, including each page's P/R/F1 per column.

Speed (unless --no-speed): all pages of the selected corpora among cleaneval,
googletrends and zyte (938 pages when all three are selected: the recorded speed set;
dragnet is left out so the figures stay comparable).  trafilatura and resiliparse run
single-process on page bytes already in memory, timing only the extraction calls (sum
of per-call perf_counter intervals); Thresher is timed as the whole command (process
start, reading and gunzipping the pages, writing jsonl), with --jobs 1 and 2.
Speed runs are never served from the cache.

Cache (``--cache DIR``): each peer's text per page in
``DIR/<tool>/<version>/<corpus>.jsonl``, one ``{"id", "sha1", "text", "failed",
"seconds"}`` per line.  ``<version>`` names the versions of the packages the tool
uses and a hash of this script's code for the tool, so upgrading a package or
changing an adapter starts a new cache; ``sha1`` (of the page bytes) guards against
a changed page.  The per-corpus seconds shown for a peer are the extraction times
measured when each page was computed (possibly in an earlier run).

Peer set-up (versions are printed):
  * trafilatura      trafilatura.extract(bytes, include_comments=False)
  * trafilatura-prec same with favor_precision=True
  * justext          justext.justext(bytes, English stoplist, library default
                     thresholds, encoding=detected); non-boilerplate paragraphs
                     joined by blank lines
  * readability      readability.Document(bytes).summary(html_partial=True), turned
                     into text block by block (blank line between block elements)
  * resiliparse      extract_plain_text(HTMLTree.parse_from_bytes(bytes, enc),
                     main_content=True, comments=False)
trafilatura and readability decode the bytes themselves.  Where a tool needs an
encoding name (justext, resiliparse) it gets ``detect_charset``: BOM, else strict
UTF-8 if the bytes are valid UTF-8, else the CleanEval ``charset_hint`` (WHATWG
label mapping: latin-1/ascii -> cp1252), else a <meta> charset, else cp1252.
Page failures (exceptions) count as empty output and are counted.

Exit status 1 when there is any problem (Thresher missing or failing where it is
needed, predictions missing pages or malformed), else 0.
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import hashlib
import inspect
import json
import logging
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from importlib import metadata
from pathlib import Path
from typing import Callable, Dict, Iterable, List, Optional, Sequence, Tuple

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.dont_write_bytecode = True  # keep __pycache__ out of the repo
sys.path.insert(0, str(HERE))
import zyte_metric  # noqa: E402

CORPORA = ["cleaneval", "googletrends", "zyte", "dragnet"]
QUALITY_SPLIT = {"cleaneval": "dev", "googletrends": "dev", "zyte": None, "dragnet": None}  # None = all
THRESHER_CORPORA = ["cleaneval", "googletrends"]  # where the default model has not trained
SPEED_CORPORA = ["cleaneval", "googletrends", "zyte"]  # the recorded speed set
PEERS = ["trafilatura", "trafilatura-prec", "justext", "readability", "resiliparse"]
SPEED_PEERS = ["trafilatura", "resiliparse"]
REFERENCES = ["trafilatura", "readability"]  # bootstrap differences are taken against these
THRESHER = "thresher"
MISFIRE_F1 = 0.5

PROBLEMS: List[str] = []

PageKey = Tuple[str, str]  # (corpus, page id)


def problem(msg: str) -> None:
    """Record a problem; the run ends with exit status 1 when there is any."""
    PROBLEMS.append(msg)
    print("PROBLEM: " + msg, file=sys.stderr, flush=True)


def log(msg: str) -> None:
    """Progress line on stderr."""
    print(msg, file=sys.stderr, flush=True)


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


# ---------------------------------------------------------------- corpus

class Page:
    """One page of a manifest: its record (paths made absolute) and its bytes."""
    __slots__ = ("corpus", "record", "data", "quality", "sha1")

    def __init__(self, corpus: str, record: dict, data: bytes, quality: bool):
        self.corpus = corpus
        self.record = record
        self.data = data
        self.quality = quality
        self.sha1 = hashlib.sha1(data).hexdigest()

    @property
    def id(self) -> str:
        return str(self.record["id"])

    @property
    def key(self) -> PageKey:
        return (self.corpus, self.id)

    @property
    def gold(self) -> str:
        return self.record.get("main_text") or ""


def load_corpus(corpus_dir: Path, corpus: str, with_all_pages: bool, limit: Optional[int]) -> List[Page]:
    """Pages of one manifest: the quality pages, plus the others when with_all_pages.

    With ``limit``, the first ``limit`` quality pages and (for with_all_pages) the pages
    among the first ``limit`` manifest lines.
    """
    manifest = corpus_dir / f"{corpus}.jsonl"
    if not manifest.exists():
        problem(f"{manifest} missing: corpus {corpus} skipped")
        return []
    want = QUALITY_SPLIT[corpus]
    pages: List[Page] = []
    n_quality = 0
    with manifest.open(encoding="utf-8") as f:
        for index, line in enumerate(f):
            if not line.strip():
                continue
            rec = json.loads(line)
            quality = want is None or rec.get("split") == want
            keep = (quality and (not limit or n_quality < limit)) or \
                   (with_all_pages and (not limit or index < limit))
            if not keep:
                continue
            quality = quality and (not limit or n_quality < limit)
            n_quality += quality
            # make file paths absolute so a temporary manifest elsewhere resolves them
            for field in ("html", "annotated_html"):
                if rec.get(field):
                    rec[field] = str((manifest.parent / rec[field]).resolve())
            with gzip.open(rec["html"], "rb") as g:
                pages.append(Page(corpus, rec, g.read(), quality))
    return pages


# ---------------------------------------------------------------- peer texts and cache

class PeerCache:
    """Per-page peer output on disk: DIR/<tool>/<version>/<corpus>.jsonl (append-only)."""

    def __init__(self, root: Path):
        self.root = root
        self.loaded: Dict[Tuple[str, str, str], Dict[str, dict]] = {}

    def _path(self, tool: str, version: str, corpus: str) -> Path:
        return self.root / tool / version / f"{corpus}.jsonl"

    def entries(self, tool: str, version: str, corpus: str) -> Dict[str, dict]:
        """id -> cached entry for one tool version and corpus (last line wins; bad lines skipped)."""
        key = (tool, version, corpus)
        if key not in self.loaded:
            found: Dict[str, dict] = {}
            path = self._path(tool, version, corpus)
            if path.exists():
                with path.open(encoding="utf-8") as f:
                    for line in f:
                        try:
                            entry = json.loads(line)
                            found[str(entry["id"])] = entry
                        except (ValueError, KeyError, TypeError):
                            continue  # e.g. a line cut short by an interrupted run
            self.loaded[key] = found
        return self.loaded[key]

    def store(self, tool: str, version: str, page: Page, entry: dict) -> None:
        """Append one page's entry (flushed at once, so an interrupted run keeps its work)."""
        path = self._path(tool, version, page.corpus)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a+", encoding="utf-8") as f:
            f.seek(0, 2)
            if f.tell() > 0:
                f.seek(f.tell() - 1)
                if f.read(1) != "\n":
                    f.write("\n")  # end a line an interrupted run left open
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.entries(tool, version, page.corpus)[page.id] = entry


def extract_page(fn: Extractor, page: Page) -> dict:
    """Run one peer on one page: the cache entry (text, failed, seconds of the call)."""
    t0 = time.perf_counter()
    try:
        text, failed = fn(page.data, page.record.get("charset_hint")), False
    except Exception:  # noqa: BLE001 - a peer failing on a page counts as empty output
        text, failed = "", True
    seconds = time.perf_counter() - t0
    return {"id": page.id, "sha1": page.sha1, "text": text, "failed": failed, "seconds": seconds}


class PeerTexts:
    """Peer output per page, from memory, the optional disk cache, or a fresh run."""

    def __init__(self, peers: Dict[str, Extractor], cache: Optional[PeerCache]):
        self.peers = peers
        self.cache = cache
        self.version = {name: peer_version(name, fn) for name, fn in peers.items()}
        self.memory: Dict[str, Dict[PageKey, dict]] = {name: {} for name in peers}

    def _cached(self, tool: str, page: Page) -> Optional[dict]:
        entry = self.memory[tool].get(page.key)
        if entry is None and self.cache is not None:
            entry = self.cache.entries(tool, self.version[tool], page.corpus).get(page.id)
        if entry is not None and entry.get("sha1") == page.sha1:
            return entry
        return None

    def _remember(self, tool: str, page: Page, entry: dict) -> None:
        self.memory[tool][page.key] = entry
        if self.cache is not None:
            self.cache.store(tool, self.version[tool], page, entry)

    def get(self, tool: str, pages: Sequence[Page]) -> Tuple[Dict[PageKey, dict], int]:
        """Entries of ``tool`` for ``pages``, running it where needed; also the number run now."""
        out: Dict[PageKey, dict] = {}
        computed = 0
        for page in pages:
            entry = self._cached(tool, page)
            if entry is None:
                entry = extract_page(self.peers[tool], page)
                self._remember(tool, page, entry)
                computed += 1
            out[page.key] = entry
        return out, computed

    def time_run(self, tool: str, pages: Sequence[Page]) -> dict:
        """Speed: run ``tool`` on every page (never from the cache); keeps the texts too."""
        seconds, failures = 0.0, 0
        for page in pages:
            entry = extract_page(self.peers[tool], page)
            seconds += entry["seconds"]
            failures += entry["failed"]
            if self._cached(tool, page) is None:
                self._remember(tool, page, entry)
        return {"seconds": seconds, "failures": failures}


# ---------------------------------------------------------------- Thresher

def write_manifest(path: Path, pages: Sequence[Page]) -> None:
    """A temporary manifest of the pages' records (html paths are absolute)."""
    with path.open("w", encoding="utf-8") as f:
        for p in pages:
            f.write(json.dumps(p.record, ensure_ascii=False) + "\n")


def run_thresher(binary: Path, manifest: Path, jobs: Optional[int], out_path: Path) -> dict:
    """Run ``thresher extract --format jsonl`` on a manifest; texts by page id and wall time."""
    # The temporary manifest holds absolute page paths, outside its own folder.
    cmd = [str(binary), "extract", "--format", "jsonl", "--allow-outside"]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    cmd.append(str(manifest))
    t0 = time.perf_counter()
    try:
        with out_path.open("wb") as out:
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"ok": False, "error": f"{type(e).__name__}: {e}", "cmd": cmd}
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()[-2000:]
        return {"ok": False, "error": f"exit {proc.returncode}: {err}", "cmd": cmd, "seconds": wall}
    texts: Dict[str, str] = {}
    bad = 0
    with out_path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                texts[str(obj["page"])] = obj.get("text") or ""
            except (ValueError, KeyError, TypeError):
                bad += 1
    return {"ok": True, "texts": texts, "seconds": wall, "bad_lines": bad, "cmd": cmd}


def thresher_quality(binary: Path, pages: Sequence[Page], tmpdir: Path) -> Optional[Dict[PageKey, str]]:
    """Default-model texts of the quality pages of one corpus; None (and a problem) on failure.

    Pages without an output line are problems and score as empty extractions.
    """
    corpus = pages[0].corpus
    manifest = tmpdir / f"{corpus}-quality.jsonl"
    write_manifest(manifest, pages)
    r = run_thresher(binary, manifest, None, tmpdir / f"{corpus}-quality.out.jsonl")
    if not r["ok"]:
        problem(f"thresher failed on {corpus}: {' '.join(r['cmd'])}\n  {r['error']}")
        return None
    if r["bad_lines"]:
        problem(f"thresher wrote {r['bad_lines']} unreadable line(s) on {corpus}")
    missing = [p.id for p in pages if p.id not in r["texts"]]
    if missing:
        problem(f"thresher output has no line for {len(missing)} {corpus} page(s): {', '.join(missing[:10])}")
    log(f"  ran thresher on {len(pages)} {corpus} pages in {r['seconds']:.1f}s")
    return {p.key: r["texts"].get(p.id, "") for p in pages}


def thresher_speed(binary: Path, pages: Sequence[Page], repeat: int, tmpdir: Path) -> Dict[str, dict]:
    """Whole-command timings of ``thresher extract`` over the speed pages, --jobs 1 and 2."""
    manifest = tmpdir / "speed.jsonl"
    write_manifest(manifest, pages)
    mb = sum(len(p.data) for p in pages) / 1e6
    speed: Dict[str, dict] = {}
    for jobs in (1, 2):
        best = None
        for _ in range(max(1, repeat)):
            r = run_thresher(binary, manifest, jobs, tmpdir / "speed.out.jsonl")
            if not r["ok"]:
                best = r
                break
            if best is None or r["seconds"] < best["seconds"]:
                best = r
        key = f"thresher-jobs{jobs}"
        if not best["ok"]:
            problem(f"thresher speed run failed: {' '.join(best['cmd'])}\n  {best['error']}")
            continue
        speed[key] = {"pages": len(pages), "mb": mb, "seconds": best["seconds"],
                      "output_lines": len(best["texts"]), "whole_command": True}
        if len(best["texts"]) < len(pages):
            problem(f"{key} wrote {len(best['texts'])} page lines for {len(pages)} pages")
    return speed


# ---------------------------------------------------------------- predictions files

def parse_prediction_arg(value: str) -> Tuple[str, Path]:
    """``NAME=FILE`` of --predictions, checked (argparse type)."""
    name, sep, file = value.partition("=")
    if not sep or not name or not file:
        raise argparse.ArgumentTypeError(f"expected NAME=FILE, got {value!r}")
    if not re.fullmatch(r"[A-Za-z0-9._+-]+", name):
        raise argparse.ArgumentTypeError(f"column name {name!r}: use letters, digits, . _ + -")
    if name in PEERS or name == THRESHER:
        raise argparse.ArgumentTypeError(f"column name {name!r} is taken by a built-in column")
    path = Path(file)
    if not path.is_file():
        raise argparse.ArgumentTypeError(f"predictions file {file} not found")
    return name, path


def read_predictions(name: str, path: Path) -> Dict[PageKey, str]:
    """(source, id) -> text of a predictions file; malformed or repeated lines are problems."""
    texts: Dict[PageKey, str] = {}
    with path.open(encoding="utf-8") as f:
        for lineno, line in enumerate(f, 1):
            if not line.strip():
                continue
            where = f"{name} ({path}:{lineno})"
            try:
                obj = json.loads(line)
                key = (str(obj["source"]), str(obj["id"]))
            except (ValueError, KeyError, TypeError) as e:
                problem(f"{where}: unreadable line ({type(e).__name__}: {e})")
                continue
            text = obj.get("text")
            if not isinstance(text, str):
                problem(f"{where}: page {key[0]}/{key[1]} has no string 'text' (scored as empty)")
                text = ""
            if key in texts:
                problem(f"{where}: page {key[0]}/{key[1]} repeated (the last line is used)")
            texts[key] = text
    return texts


def assign_predictions(name: str, texts: Dict[PageKey, str], corpora: Dict[str, List[Page]],
                       limited: bool) -> Dict[str, Dict[PageKey, str]]:
    """Split a predictions file by corpus: corpus -> texts of its quality pages.

    A corpus is covered when the file holds at least one of its quality pages; its quality
    pages missing from the file are problems and score as empty.  Lines of pages that are
    in no loaded manifest are problems (a note only with --limit).
    """
    known = {p.key: p for pages in corpora.values() for p in pages}
    out: Dict[str, Dict[PageKey, str]] = {}
    for corpus, pages in corpora.items():
        quality = [p for p in pages if p.quality]
        if not any(p.key in texts for p in quality):
            continue
        missing = [p.id for p in quality if p.key not in texts]
        if missing:
            problem(f"{name}: {len(missing)} of the {len(quality)} {corpus} pages missing "
                    f"(scored as empty): {', '.join(missing[:10])}" + (" ..." if len(missing) > 10 else ""))
        out[corpus] = {p.key: texts.get(p.key, "") for p in quality}
    outside = [k for k in texts if k in known and not known[k].quality]
    if outside:
        log(f"  note: {name}: {len(outside)} line(s) for pages outside the quality sets ignored")
    skipped = [k for k in texts if k not in known and k[0] not in corpora and k[0] in CORPORA]
    if skipped:
        log(f"  note: {name}: {len(skipped)} line(s) for corpora not selected ignored")
    unknown = [k for k in texts if k not in known and k not in skipped]
    if unknown:
        msg = (f"{name}: {len(unknown)} line(s) for pages in no manifest: "
               + ", ".join(f"{s}/{i}" for s, i in unknown[:10]))
        if limited:
            log(f"  note (--limit): {msg}")
        else:
            problem(msg)
    return out


# ---------------------------------------------------------------- scoring

def page_f1(precision: Optional[float], recall: Optional[float]) -> Optional[float]:
    """Page token F1: None when the gold has no token, 0 when the extraction has none."""
    if recall is None:
        return None
    if precision is None or precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def score_column(pages: Sequence[Page], texts: Dict[PageKey, str]) -> dict:
    """Corpus figures of one column: zyte metric, misfires and per-page P/R/F1.

    Same figures as zyte_metric.evaluate, with each page's shingles matched only once.
    """
    triples, accuracies, misfires = [], [], []
    per_page: Dict[str, List[Optional[float]]] = {}
    for p in pages:
        text = texts.get(p.key, "")
        tp, fp, fn = zyte_metric.shingle_matching(p.gold, text)
        prec = zyte_metric.precision_score(tp, fp, fn) if tp + fp > 0 else None
        rec = zyte_metric.recall_score(tp, fp, fn) if tp + fn > 0 else None
        f1 = page_f1(prec, rec)
        triples.append((tp, fp, fn))
        accuracies.append(zyte_metric.accuracy(p.gold, text))
        per_page[p.id] = [prec, rec, f1]
        if f1 is not None and f1 < MISFIRE_F1:
            misfires.append(p.id)
    m = zyte_metric.metrics_from_tp_fp_fns(triples)
    return {"precision": m["precision"], "recall": m["recall"], "f1": m["f1"],
            "accuracy": sum(accuracies) / len(accuracies) if accuracies else None, "pages": len(pages),
            "misfires": len(misfires), "misfire_ids": misfires, "page_scores": per_page}


def corpus_f1(per_page: Sequence[Tuple[Optional[float], Optional[float]]], sample: Sequence[int]) -> float:
    """F1 of the mean precision and mean recall over the sampled pages (zyte_metric's rule)."""
    ps = [per_page[i][0] for i in sample if per_page[i][0] is not None]
    rs = [per_page[i][1] for i in sample if per_page[i][1] is not None]
    if not ps or not rs:
        return 0.0
    p, r = sum(ps) / len(ps), sum(rs) / len(rs)
    return 2 * p * r / (p + r) if p + r > 0 else 0.0


def bootstrap_samples(n: int, resamples: int, seed: str) -> List[List[int]]:
    """``resamples`` lists of n page indices drawn with replacement, from a fixed seed."""
    rng = random.Random(seed)
    return [rng.choices(range(n), k=n) for _ in range(resamples)]


def quantile(sorted_xs: Sequence[float], q: float) -> float:
    """Quantile with linear interpolation between order statistics (numpy's default)."""
    pos = q * (len(sorted_xs) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo)


def bootstrap_differences(page_ids: Sequence[str], scores: Dict[str, dict], columns: Sequence[str],
                          resamples: int, seed: str) -> Dict[str, Dict[str, dict]]:
    """column -> reference -> F1 difference and its 95% percentile interval (paired by page)."""
    if not page_ids or resamples < 1:
        return {}
    samples = bootstrap_samples(len(page_ids), resamples, seed)
    full = list(range(len(page_ids)))
    per_page = {t: [tuple(scores[t]["page_scores"][i][:2]) for i in page_ids]
                for t in list(columns) + REFERENCES if t in scores}
    f1s = {t: [corpus_f1(pp, s) for s in samples] for t, pp in per_page.items()}
    out: Dict[str, Dict[str, dict]] = {}
    for col in columns:
        for ref in REFERENCES:
            if col not in per_page or ref not in per_page:
                continue
            diffs = sorted(a - b for a, b in zip(f1s[col], f1s[ref]))
            out.setdefault(col, {})[ref] = {
                "diff": corpus_f1(per_page[col], full) - corpus_f1(per_page[ref], full),
                "lo": quantile(diffs, 0.025), "hi": quantile(diffs, 0.975),
            }
    return out


# ---------------------------------------------------------------- report

def fmt(x: Optional[float], digits: int = 3) -> str:
    """A figure, or '-' where it is undefined."""
    return f"{x:.{digits}f}" if isinstance(x, (int, float)) else "-"


def short(x: Optional[float]) -> str:
    """A figure as BENCHMARKS.md writes it: .864 (no leading zero), or '-'."""
    text = fmt(x)
    return text[1:] if text.startswith("0.") else text


def corpus_title(corpus: str, n: int) -> str:
    """'cleaneval dev (148)' or 'dragnet (964)'."""
    split = QUALITY_SPLIT[corpus]
    return f"{corpus}{' ' + split if split else ''} ({n})"


def print_corpus(corpus: str, n: int, columns: List[str], results: Dict[str, dict],
                 boot: Dict[str, Dict[str, dict]], resamples: int) -> None:
    """One corpus: a row per column, then the bootstrap intervals of the Thresher columns."""
    split = QUALITY_SPLIT[corpus]
    print(f"\n== {corpus}{' ' + split if split else ''}: {n} pages ==")
    print("tool".ljust(18) + "precision".rjust(10) + "recall".rjust(8) + "F1".rjust(7)
          + "misfires".rjust(10) + "failures".rjust(10) + "seconds".rjust(9))
    for col in columns:
        m = results.get(col)
        if m is None:
            continue
        secs = m.get("seconds")
        print(col.ljust(18) + fmt(m["precision"]).rjust(10) + fmt(m["recall"]).rjust(8)
              + fmt(m["f1"]).rjust(7) + str(m["misfires"]).rjust(10)
              + str(m.get("failures", "-")).rjust(10) + (fmt(secs, 1) if secs is not None else "-").rjust(9))
    if boot:
        print(f"  F1 difference, 95% bootstrap interval ({resamples} resamples of the pages, paired):")
        for col, refs in boot.items():
            for ref, d in refs.items():
                print(f"    {col:<16} - {ref:<12} {d['diff']:+.3f}  [{d['lo']:+.3f}, {d['hi']:+.3f}]")


def print_summary(counts: Dict[str, int], columns: List[str], quality: Dict[str, Dict[str, dict]]) -> None:
    """A markdown table, P/R/F1 (misfires) per corpus and column, as BENCHMARKS.md shows them."""
    print("\n== Summary (P/R/F1, misfires in brackets) ==")
    print("| corpus (pages) | " + " | ".join(columns) + " |")
    print("|---" * (len(columns) + 1) + "|")
    for corpus, n in counts.items():
        cells = []
        for col in columns:
            m = quality[corpus].get(col)
            cells.append("" if m is None else "/".join(short(m[k]) for k in ("precision", "recall", "f1"))
                         + f" ({m['misfires']})")
        print(f"| {corpus_title(corpus, n)} | " + " | ".join(cells) + " |")


def print_speed(speed: Dict[str, dict], n_pages: int, mb: float, corpora: List[str]) -> Dict[str, float]:
    """The speed table and the Thresher / trafilatura MB/s ratios (returned)."""
    print(f"\n== Speed: all {n_pages} pages of {', '.join(corpora)}, {mb:.1f} MB of HTML (MB = 10^6 bytes) ==")
    print("  Python peers: one process, bytes in memory, extraction calls only; "
          "Thresher: whole command (start-up, gunzip, output).")
    print("tool".ljust(18) + "pages".rjust(7) + "seconds".rjust(10) + "pages/s".rjust(10) + "MB/s".rjust(9))
    for name, s in speed.items():
        s["pages_per_s"] = s["pages"] / s["seconds"] if s["seconds"] > 0 else None
        s["mb_per_s"] = s["mb"] / s["seconds"] if s["seconds"] > 0 else None
        print(name.ljust(18) + str(s["pages"]).rjust(7) + f"{s['seconds']:.2f}".rjust(10)
              + fmt(s["pages_per_s"], 1).rjust(10) + fmt(s["mb_per_s"], 2).rjust(9))
    ratios: Dict[str, float] = {}
    tra = speed.get("trafilatura", {}).get("mb_per_s")
    for jobs in (1, 2):
        th = speed.get(f"thresher-jobs{jobs}", {}).get("mb_per_s")
        if tra and th:
            ratios[f"thresher-jobs{jobs}/trafilatura"] = th / tra
            print(f"ratio Thresher (--jobs {jobs}) MB/s / trafilatura MB/s = {th / tra:.2f}")
    if not ratios:
        print("ratio Thresher / trafilatura: n/a (no Thresher timing)")
    return ratios


def write_misfires(path: Path, corpora: Dict[str, List[Page]], quality: Dict[str, Dict[str, dict]],
                   thresher_columns: List[str]) -> int:
    """TSV of every misfire of every Thresher column, with trafilatura's page F1 beside it."""
    def cell(x: Optional[float]) -> str:
        return "" if x is None else f"{x:.4f}"

    def clean(s: Optional[str]) -> str:
        return re.sub(r"[\t\r\n]+", " ", s or "")

    rows = 0
    with path.open("w", encoding="utf-8") as f:
        f.write("corpus\ttool\tpage\turl\tprecision\trecall\tf1\ttrafilatura_f1\n")
        for corpus, results in quality.items():
            urls = {p.id: p.record.get("url") for p in corpora[corpus]}
            tra = results.get("trafilatura", {}).get("page_scores", {})
            for col in thresher_columns:
                if col not in results:
                    continue
                for pid in results[col]["misfire_ids"]:
                    prec, rec, f1 = results[col]["page_scores"][pid]
                    f.write("\t".join([corpus, col, clean(pid), clean(urls.get(pid)), cell(prec), cell(rec), cell(f1),
                                       cell(tra[pid][2]) if pid in tra else ""]) + "\n")
                    rows += 1
    return rows


# ---------------------------------------------------------------- main

def parse_args(argv=None) -> argparse.Namespace:
    """Command-line options."""
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"),
                    help="corpus folder with the <corpus>.jsonl manifests (default ../shared/corpus)")
    ap.add_argument("--corpora", default=",".join(CORPORA),
                    help=f"comma-separated corpora to run (default {','.join(CORPORA)})")
    ap.add_argument("--thresher", default=str(REPO / ".build" / "release" / "thresher"),
                    help="Thresher binary (default .build/release/thresher in the repo)")
    ap.add_argument("--no-thresher", action="store_true",
                    help="leave out the default-model column and Thresher's timing (no binary needed)")
    ap.add_argument("--predictions", action="append", default=[], type=parse_prediction_arg,
                    metavar="NAME=FILE", help="a column NAME from a JSONL file of {id, source, text} "
                    "(held-out predictions); repeatable")
    ap.add_argument("--cache", help="folder keeping each peer's text per page (created; reused by reruns)")
    ap.add_argument("--json", help="write all figures to this JSON file")
    ap.add_argument("--misfires", help="write the misfires of the Thresher columns to this TSV file")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed section")
    ap.add_argument("--limit", type=int, help="first N quality pages of each corpus only (for testing)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="speed: run each Thresher timing N times and keep the fastest (default 1)")
    ap.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples (default 1000)")
    ap.add_argument("--seed", default="0", help="bootstrap seed (default 0; combined with the corpus name)")
    args = ap.parse_args(argv)
    args.corpora = [c.strip() for c in args.corpora.split(",") if c.strip()]
    unknown = [c for c in args.corpora if c not in CORPORA]
    if unknown or not args.corpora:
        ap.error(f"--corpora: unknown {', '.join(unknown) or '(none given)'}; choose from {', '.join(CORPORA)}")
    names = [n for n, _ in args.predictions]
    if len(set(names)) != len(names):
        ap.error("--predictions: each NAME once")
    return args


def peer_quality(texts: PeerTexts, pages: Sequence[Page]) -> Dict[str, dict]:
    """Every peer on the quality pages of one corpus: scores, failures, seconds."""
    out: Dict[str, dict] = {}
    for tool in texts.peers:
        t0 = time.perf_counter()
        entries, computed = texts.get(tool, pages)
        m = score_column(pages, {k: e["text"] for k, e in entries.items()})
        m["failures"] = sum(1 for e in entries.values() if e["failed"])
        m["seconds"] = sum(e["seconds"] for e in entries.values())
        m["computed"], m["cached"] = computed, len(pages) - computed
        log(f"  {tool} on {len(pages)} {pages[0].corpus} pages: {computed} run now "
            f"({time.perf_counter() - t0:.1f}s), {len(pages) - computed} from cache; "
            f"extraction {m['seconds']:.1f}s")
        out[tool] = m
    return out


def main(argv=None) -> int:
    args = parse_args(argv)
    logging.disable(logging.CRITICAL)  # trafilatura/readability log warnings per page
    warnings.simplefilter("ignore")

    corpus_dir = Path(args.corpus).resolve()
    binary = Path(args.thresher).resolve()
    vers = versions()
    print(f"corpus: {corpus_dir}")
    print("peers: " + ", ".join(f"{k} {v}" for k, v in vers.items()))

    # ---- pages
    t_load = time.perf_counter()
    speed_corpora = [c for c in args.corpora if c in SPEED_CORPORA] if not args.no_speed else []
    corpora = {c: load_corpus(corpus_dir, c, c in speed_corpora, args.limit) for c in args.corpora}
    corpora = {c: pages for c, pages in corpora.items() if pages}
    qpages = {c: [p for p in pages if p.quality] for c, pages in corpora.items()}
    counts = {c: len(pages) for c, pages in qpages.items()}
    speed_pages = [p for c in speed_corpora for p in corpora.get(c, [])]
    print(f"loaded {sum(len(p) for p in corpora.values())} pages in {time.perf_counter() - t_load:.1f}s; "
          "quality pages: " + ", ".join(f"{c} {n}" for c, n in counts.items()))

    # ---- predictions files
    predictions: Dict[str, Dict[str, Dict[PageKey, str]]] = {}  # name -> corpus -> texts
    for name, path in args.predictions:
        predictions[name] = assign_predictions(name, read_predictions(name, path), corpora, bool(args.limit))
        print(f"predictions {name} ({path}): " + (", ".join(predictions[name]) or "covers no selected corpus"))

    # ---- Thresher binary
    want_thresher = not args.no_thresher and (any(c in THRESHER_CORPORA for c in counts) or speed_pages)
    thresher_info: dict = {"binary": str(binary), "status": "not run"}
    if want_thresher:
        thresher_info["status"] = "ok" if binary.exists() else "missing"
        if not binary.exists():
            problem(f"Thresher binary not found at {binary} (use --no-thresher to leave it out)")

    texts = PeerTexts(make_peers(), PeerCache(Path(args.cache)) if args.cache else None)
    if args.cache:
        print(f"cache: {Path(args.cache).resolve()}")

    # ---- speed first: the timed runs also provide those peers' texts
    speed: Dict[str, dict] = {}
    mb = sum(len(p.data) for p in speed_pages) / 1e6
    tmpdir = Path(tempfile.mkdtemp(prefix="thresher-peers-"))
    try:
        for tool in SPEED_PEERS if speed_pages else []:
            r = texts.time_run(tool, speed_pages)
            speed[tool] = {"pages": len(speed_pages), "mb": mb, **r}
            log(f"  timed {tool} on {len(speed_pages)} pages: {r['seconds']:.1f}s")
        if speed_pages and thresher_info["status"] == "ok":
            speed.update(thresher_speed(binary, speed_pages, args.repeat, tmpdir))

        # ---- quality
        quality: Dict[str, Dict[str, dict]] = {}
        for corpus, pages in qpages.items():
            quality[corpus] = peer_quality(texts, pages)
            if corpus in THRESHER_CORPORA and thresher_info["status"] == "ok":
                got = thresher_quality(binary, pages, tmpdir)
                if got is None:
                    thresher_info["status"] = "failed"
                else:
                    quality[corpus][THRESHER] = score_column(pages, got)
            for name, by_corpus in predictions.items():
                if corpus in by_corpus:
                    quality[corpus][name] = score_column(pages, by_corpus[corpus])
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)

    # ---- bootstrap and report
    thresher_columns = [THRESHER] + list(predictions)
    columns = PEERS + thresher_columns
    bootstrap: Dict[str, Dict[str, Dict[str, dict]]] = {}
    for corpus, pages in qpages.items():
        present = [c for c in thresher_columns if c in quality[corpus]]
        bootstrap[corpus] = bootstrap_differences([p.id for p in pages], quality[corpus], present,
                                                  args.resamples, f"{args.seed}/{corpus}")
        print_corpus(corpus, counts[corpus], columns, quality[corpus], bootstrap[corpus], args.resamples)
    print("\nmisfire: gold has a token and page F1 < 0.5 (an empty extraction of such a page included);"
          " failures: peer exceptions (scored as empty output)")
    if "zyte" in counts or "dragnet" in counts:
        print("zyte, dragnet: no `thresher` column (the default model trains on zyte; dragnet is training"
              " material too); Thresher's figures there come from --predictions (cross-validation).")
    print_summary(counts, [c for c in columns if any(c in quality[k] for k in quality)], quality)
    speed_ratios = print_speed(speed, len(speed_pages), mb, speed_corpora) if speed else {}

    if args.misfires:
        rows = write_misfires(Path(args.misfires), corpora, quality, thresher_columns)
        print(f"\nwrote {args.misfires} ({rows} misfires)")
    if args.json:
        out = {
            "corpus": str(corpus_dir), "corpora": list(counts), "versions": vers,
            "peer_cache_versions": texts.version, "cache": args.cache,
            "thresher": thresher_info,
            "predictions": {name: {"file": str(path), "corpora": list(predictions[name])}
                            for name, path in args.predictions},
            "quality_pages": counts, "quality": quality,
            "bootstrap": {"resamples": args.resamples, "seed": args.seed, "interval": 0.95,
                          "references": REFERENCES, "differences": bootstrap},
            "misfire_threshold": MISFIRE_F1,
            "speed": speed, "speed_ratios": speed_ratios, "speed_corpora": speed_corpora,
            "speed_pages": len(speed_pages), "speed_html_mb": mb,
            "problems": PROBLEMS,
        }
        Path(args.json).write_text(json.dumps(out, indent=1, sort_keys=True) + "\n", encoding="utf-8")
        print(f"wrote {args.json}")
    if PROBLEMS:
        print(f"\n{len(PROBLEMS)} problem(s):\n" + "\n".join("  " + p for p in PROBLEMS))
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())
