#!/usr/bin/env python3
"""Compare Thresher with peer extractors on the shared corpus (quality and speed).

Run through ``Scripts/compare-peers`` (it prepares the throw-away venv with the
peers).  Usage:

    compare_peers.py [CORPUS] [--thresher PATH] [--json FILE] [--no-speed]
                     [--limit N] [--repeat N]

Quality: zyte token-shingle metric (Scripts/zyte_metric.py) per dataset per tool on
  * cleaneval   split == dev
  * googletrends split == dev
  * zyte        all pages (all are split == train); peers only: Thresher's zyte
                figure comes from cross-validation elsewhere, since it trains on them.
Speed: all pages of the three corpora.  Python tools run single-process on page
bytes already in memory, timing only the extraction calls (sum of per-call
perf_counter intervals); Thresher is timed as the whole command
(process start, reading and gunzipping the pages, writing jsonl).

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
"""

from __future__ import annotations

import argparse
import codecs
import gzip
import json
import logging
import os
import re
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from importlib import metadata
from pathlib import Path
from typing import Callable, Dict, List, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.dont_write_bytecode = True  # keep __pycache__ out of the repo
sys.path.insert(0, str(HERE))
import zyte_metric  # noqa: E402

DATASETS = ["cleaneval", "googletrends", "zyte"]
QUALITY_SPLIT = {"cleaneval": "dev", "googletrends": "dev", "zyte": None}  # None = all pages
PEERS = ["trafilatura", "trafilatura-prec", "justext", "readability", "resiliparse"]
SPEED_PEERS = ["trafilatura", "resiliparse"]
THRESHER = "thresher"


# ---------------------------------------------------------------- decoding

def _codec(label: Optional[str]) -> Optional[str]:
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

def make_peers() -> Dict[str, Callable[[bytes, Optional[str]], str]]:
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


def versions() -> Dict[str, str]:
    out = {"python": sys.version.split()[0]}
    for dist in ("trafilatura", "jusText", "readability-lxml", "resiliparse", "lxml"):
        try:
            out[dist] = metadata.version(dist)
        except metadata.PackageNotFoundError:
            out[dist] = "missing"
    return out


# ---------------------------------------------------------------- corpus

class Page:
    __slots__ = ("dataset", "record", "data", "quality")

    def __init__(self, dataset: str, record: dict, data: bytes, quality: bool):
        self.dataset = dataset
        self.record = record
        self.data = data
        self.quality = quality

    @property
    def id(self) -> str:
        return str(self.record["id"])


def load_corpus(corpus: Path, limit: Optional[int]) -> List[Page]:
    pages: List[Page] = []
    for ds in DATASETS:
        manifest = corpus / f"{ds}.jsonl"
        if not manifest.exists():
            print(f"warning: {manifest} missing, dataset skipped", file=sys.stderr)
            continue
        n = 0
        with manifest.open(encoding="utf-8") as f:
            for line in f:
                if not line.strip():
                    continue
                rec = json.loads(line)
                # make file paths absolute so a temporary manifest elsewhere resolves them
                for key in ("html", "annotated_html"):
                    if rec.get(key):
                        rec[key] = str((manifest.parent / rec[key]).resolve())
                with gzip.open(rec["html"], "rb") as g:
                    data = g.read()
                want = QUALITY_SPLIT[ds]
                quality = want is None or rec.get("split") == want
                pages.append(Page(ds, rec, data, quality))
                n += 1
                if limit and n >= limit:
                    break
    return pages


# ---------------------------------------------------------------- running

def run_peer(name: str, fn, pages: List[Page]) -> dict:
    texts: Dict[tuple, str] = {}
    failures: Dict[str, int] = {}
    failed = set()
    seconds = 0.0
    for p in pages:
        t0 = time.perf_counter()
        try:
            text = fn(p.data, p.record.get("charset_hint"))
        except Exception:  # noqa: BLE001 - a peer failing on a page counts as empty output
            text = ""
            failures[p.dataset] = failures.get(p.dataset, 0) + 1
            failed.add((p.dataset, p.id))
        seconds += time.perf_counter() - t0
        texts[(p.dataset, p.id)] = text
    return {"texts": texts, "failures": failures, "failed": failed, "seconds": seconds}


def write_manifest(path: Path, pages: List[Page]) -> None:
    with path.open("w", encoding="utf-8") as f:
        for p in pages:
            f.write(json.dumps(p.record, ensure_ascii=False) + "\n")


def run_thresher(binary: Path, manifest: Path, jobs: Optional[int], out_path: Path) -> dict:
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


def score(pairs) -> dict:
    m = zyte_metric.evaluate(pairs)
    return {k: m[k] for k in ("precision", "recall", "f1", "accuracy", "pages")}


# ---------------------------------------------------------------- report

def fmt(x: Optional[float], w: int = 5) -> str:
    return f"{x:.3f}".rjust(w) if isinstance(x, (int, float)) else "-".rjust(w)


def print_quality(results: dict, tools: List[str], counts: Dict[str, int]) -> None:
    print("\n== Quality: Zyte token-shingle metric (P / R / F1; means over pages) ==")
    width = 19
    head = "dataset (pages)".ljust(22) + "".join(t.rjust(width) for t in tools)
    print(head)
    print("-" * len(head))
    for ds in DATASETS:
        if ds not in counts:
            continue
        row = f"{ds} ({counts[ds]})".ljust(22)
        for t in tools:
            m = results.get(ds, {}).get(t)
            if m is None:
                cell = "n/a"
            else:
                cell = f"{fmt(m['precision'])}/{fmt(m['recall'])}/{fmt(m['f1'])}"
                cell = cell.replace(" ", "")
            row += cell.rjust(width)
        print(row)
    fails = [(ds, t, m["failures"]) for ds, d in results.items() for t, m in d.items() if m.get("failures")]
    for ds, t, n in fails:
        print(f"  note: {t} failed (exception -> empty output) on {n} {ds} page(s)")
    if "zyte" in counts:
        print("  zyte: Thresher trains on these pages; its zyte figure comes from cross-validation.")


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"),
                    help="corpus folder with zyte/cleaneval/googletrends.jsonl (default ../shared/corpus)")
    ap.add_argument("--thresher", default=str(REPO / ".build" / "release" / "thresher"),
                    help="Thresher binary (default .build/release/thresher in the repo)")
    ap.add_argument("--json", help="write all figures to this JSON file")
    ap.add_argument("--no-speed", action="store_true", help="skip the speed section")
    ap.add_argument("--limit", type=int, help="first N pages of each manifest only (for testing)")
    ap.add_argument("--repeat", type=int, default=1,
                    help="speed: run each Thresher timing N times and keep the fastest (default 1)")
    args = ap.parse_args(argv)

    logging.disable(logging.CRITICAL)  # trafilatura/readability log warnings per page
    warnings.simplefilter("ignore")

    corpus = Path(args.corpus).resolve()
    binary = Path(args.thresher).resolve()
    vers = versions()
    print(f"corpus: {corpus}")
    print("peers: " + ", ".join(f"{k} {v}" for k, v in vers.items()))

    t_load = time.perf_counter()
    pages = load_corpus(corpus, args.limit)
    qpages = [p for p in pages if p.quality]
    counts: Dict[str, int] = {}
    for p in qpages:
        counts[p.dataset] = counts.get(p.dataset, 0) + 1
    total_bytes = sum(len(p.data) for p in pages)
    print(f"loaded {len(pages)} pages ({total_bytes / 1e6:.1f} MB of HTML) in "
          f"{time.perf_counter() - t_load:.1f}s; quality set: "
          + ", ".join(f"{ds} {n}" for ds, n in counts.items()))

    peers = make_peers()
    results: Dict[str, Dict[str, dict]] = {ds: {} for ds in counts}
    speed: Dict[str, dict] = {}
    gold = {(p.dataset, p.id): p.record.get("main_text") or "" for p in qpages}

    for name, fn in peers.items():
        timed = name in SPEED_PEERS and not args.no_speed
        run_pages = pages if timed else qpages
        t0 = time.perf_counter()
        r = run_peer(name, fn, run_pages)
        print(f"  ran {name} on {len(run_pages)} pages in {time.perf_counter() - t0:.1f}s"
              + (f" ({sum(r['failures'].values())} failures)" if r["failures"] else ""), flush=True)
        for ds in counts:
            keys = [(p.dataset, p.id) for p in qpages if p.dataset == ds]
            m = score((gold[k], r["texts"][k]) for k in keys)
            m["failures"] = sum(1 for k in keys if k in r["failed"])
            results[ds][name] = m
        if timed:
            speed[name] = {"pages": len(run_pages), "mb": total_bytes / 1e6, "seconds": r["seconds"],
                           "failures": sum(r["failures"].values())}

    # ---- Thresher
    thresher_info: dict = {"binary": str(binary)}
    tmpdir = Path(tempfile.mkdtemp(prefix="thresher-peers-"))
    try:
        if not binary.exists():
            thresher_info["status"] = "missing"
            print(f"\nThresher binary not found at {binary}: showing peers only.")
        else:
            thresher_info["status"] = "ok"
            for ds in counts:
                if ds == "zyte":
                    continue
                man = tmpdir / f"{ds}-quality.jsonl"
                write_manifest(man, [p for p in qpages if p.dataset == ds])
                r = run_thresher(binary, man, None, tmpdir / f"{ds}-quality.out.jsonl")
                if not r["ok"]:
                    thresher_info["status"] = "failed"
                    thresher_info.setdefault("errors", []).append(f"{ds}: {r['error']}")
                    print(f"\nThresher failed on {ds}: {' '.join(r['cmd'])}\n  {r['error']}")
                    continue
                keys = [p.id for p in qpages if p.dataset == ds]
                missing = [k for k in keys if k not in r["texts"]]
                m = score((gold[(ds, k)], r["texts"].get(k, "")) for k in keys)
                m["failures"] = len(missing)
                m["bad_lines"] = r["bad_lines"]
                results[ds][THRESHER] = m
                if missing:
                    print(f"  note: Thresher output has no line for {len(missing)} {ds} page(s)")
            if not args.no_speed:
                man = tmpdir / "all.jsonl"
                write_manifest(man, pages)
                for jobs in (1, 2):
                    best = None
                    for _ in range(max(1, args.repeat)):
                        r = run_thresher(binary, man, jobs, tmpdir / "all.out.jsonl")
                        if not r["ok"]:
                            best = r
                            break
                        if best is None or r["seconds"] < best["seconds"]:
                            best = r
                    key = f"thresher-jobs{jobs}"
                    if not best["ok"]:
                        thresher_info["status"] = "failed"
                        thresher_info.setdefault("errors", []).append(f"{key}: {best['error']}")
                        print(f"\nThresher speed run failed: {' '.join(best['cmd'])}\n  {best['error']}")
                        continue
                    speed[key] = {"pages": len(pages), "mb": total_bytes / 1e6, "seconds": best["seconds"],
                                  "output_lines": len(best["texts"]), "whole_command": True}
                    if len(best["texts"]) < len(pages):
                        print(f"  note: {key} wrote {len(best['texts'])} page lines for {len(pages)} pages")
    finally:
        shutil.rmtree(tmpdir, ignore_errors=True)

    tools = PEERS + ([THRESHER] if any(THRESHER in d for d in results.values()) else [])
    print_quality(results, tools, counts)

    if speed:
        print(f"\n== Speed: all {len(pages)} pages, {total_bytes / 1e6:.1f} MB of HTML (MB = 10^6 bytes) ==")
        print("  Python peers: one process, bytes in memory, extraction calls only; "
              "Thresher: whole command (start-up, gunzip, output).")
        print("tool".ljust(18) + "pages".rjust(7) + "seconds".rjust(10) + "pages/s".rjust(10) + "MB/s".rjust(9))
        for name, s in speed.items():
            s["pages_per_s"] = s["pages"] / s["seconds"] if s["seconds"] > 0 else None
            s["mb_per_s"] = s["mb"] / s["seconds"] if s["seconds"] > 0 else None
            print(name.ljust(18) + str(s["pages"]).rjust(7) + f"{s['seconds']:.2f}".rjust(10)
                  + f"{s['pages_per_s']:.1f}".rjust(10) + f"{s['mb_per_s']:.2f}".rjust(9))
        tra = speed.get("trafilatura", {}).get("mb_per_s")
        ratios = {}
        for jobs in (1, 2):
            th = speed.get(f"thresher-jobs{jobs}", {}).get("mb_per_s")
            if tra and th:
                ratios[f"thresher-jobs{jobs}/trafilatura"] = th / tra
                print(f"ratio Thresher (--jobs {jobs}) MB/s / trafilatura MB/s = {th / tra:.2f}")
        if not ratios:
            print("ratio Thresher / trafilatura: n/a (no Thresher timing)")
        speed_ratios = ratios
    else:
        speed_ratios = {}

    if args.json:
        out = {
            "corpus": str(corpus),
            "versions": vers,
            "thresher": thresher_info,
            "quality_pages": counts,
            "quality": results,
            "speed": speed,
            "speed_ratios": speed_ratios,
            "total_pages": len(pages),
            "total_html_mb": total_bytes / 1e6,
        }
        Path(args.json).write_text(json.dumps(out, indent=2, sort_keys=True) + "\n", encoding="utf-8")
        print(f"\nwrote {args.json}")
    # A comparison without Thresher's figures is no comparison.
    return 1 if thresher_info.get("status") in ("failed", "missing") else 0


if __name__ == "__main__":
    sys.exit(main())
