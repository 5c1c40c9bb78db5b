"""The inputs of compare_peers: corpus pages and --predictions files."""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import re
from pathlib import Path
from typing import Dict, List, Optional, Tuple

from peers_common import CORPORA, PEERS, QUALITY_SPLIT, THRESHER, PageKey, log, problem


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
        """The page id, as a string."""
        return str(self.record["id"])

    @property
    def key(self) -> PageKey:
        """(corpus, page id)."""
        return (self.corpus, self.id)

    @property
    def gold(self) -> str:
        """The gold main text ('' when there is none)."""
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


def assign_predictions(name: str, texts: Dict[PageKey, str], corpora: Dict[str, List[Page]]) -> Dict[str, Dict[PageKey, str]]:
    """Split a predictions file by corpus: corpus -> texts of its quality pages.

    A corpus is covered when the file holds at least one of its quality pages; its quality
    pages missing from the file are problems and score as empty.  Lines of other pages (other
    splits, other sources) are ignored with a note.
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
    # Pages of a selected corpus that are not quality pages (its train split, which a pooled
    # cross-validation also scores) and pages of other sources (TrainingData/) are not measured here.
    unknown = [k for k in texts if k not in known and k not in skipped]
    if unknown:
        log(f"  note: {name}: {len(unknown)} line(s) for pages outside the quality sets or of other sources ignored: "
            + ", ".join(f"{s}/{i}" for s, i in unknown[:5]))
    return out
