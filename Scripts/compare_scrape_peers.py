#!/usr/bin/env python3
"""Peer extractors on plain-text scrapes: which lines would each keep?

Run through ``Scripts/compare-scrape-peers`` (it prepares the peers venv).  Usage:

    compare_scrape_peers.py SCRAPES.jsonl [...] [--scored NAME=FILE ...] [--json FILE] [--limit N]

Input: labelled text scrapes, one JSON object per scraped line (fields ``page``,
``block`` = line index within the page, ``label``, ``text``); each file is a corpus,
named after the file.  For every page the HTML a user would have to hand the peers
is built: ``<html><body>`` + ``<p>html-escaped line</p>`` per line + ``</body></html>``
(UTF-8 bytes, no charset declared: readability-lxml guesses one and turns a few
non-ASCII characters into mojibake on some pages), and every peer of peers_extractors.make_peers() runs on it (one
process, pages in order; an exception counts as empty output).

A line counts as KEPT
  * justext: by jusText's own classification of the line's paragraph (same call as
    the peers_extractors adapter: English stoplist, default thresholds); kept = not
    boilerplate.  Paragraphs are mapped to lines by their xpath /html/body/p[N] and
    checked against the line's text (a mismatch is reported and the line not kept);
  * the other peers: when the line, normalised, occurs as a substring of the
    normalised output.  Normalised = HTML entities decoded and control characters
    (e.g. the stray C1 bytes \x95, \x97 of mis-decoded pages) dropped, as trafilatura
    does, unless that leaves nothing; then runs of whitespace -> one space, trimmed.
    A line of fewer than 3 characters after normalising must instead equal a whole
    normalised output line, so that "|" or "a" do not match anywhere.  A text repeated
    on the page is credited only as many times as it occurs in the output (counting
    non-overlapping occurrences; the first copies in page order count as kept), since
    trafilatura drops repeated lines.  A line contained in another kept line can still
    match spuriously;
  * keep-all (floor): every line;
  * each ``--scored NAME=FILE``: FILE is ``thresher score --format jsonl`` of the same
    scrape files (fields ``page``, ``block``, ``label``); kept = labelled ``editorial``.
Figures per corpus and extractor:
  * line precision / recall / F1 of gold ``editorial`` lines vs every other label,
    pooled over all lines of the corpus;
  * token P / R / F1: the Zyte token-shingle metric as in compare-peers
    (peers_metric.score_column), gold text = the editorial lines joined by blank
    lines, predicted text = the extractor's output (justext: its kept paragraphs;
    keep-all: all lines);
  * pages with an empty output, failures, and seconds (extraction plus line matching);
  * for each scored column, the token F1 difference to every other extractor with a
    paired bootstrap 95% interval (``--resamples`` resamples of the pages, default 1000,
    seeded by the corpus name).
"""

from __future__ import annotations

import argparse
import html
import json
import logging
import re
import sys
import time
import warnings
from collections import Counter, defaultdict
from pathlib import Path
from typing import Dict, List, NamedTuple, Tuple

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
from peers_extractors import make_peers, versions  # noqa: E402
from peers_metric import bootstrap_differences, score_column  # noqa: E402

SHORT = 3  # lines shorter than this (normalised) must match a whole output line
KEEP_ALL = "keep-all"
EDITORIAL = "editorial"


class GoldPage(NamedTuple):
    """What peers_metric.score_column needs of a page."""
    id: str
    key: Tuple[str, str]
    gold: str


CONTROL = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f-\x9f]")


def norm(text: str) -> str:
    """Entities decoded, controls dropped (unless that leaves nothing), whitespace runs -> one space."""
    return " ".join(CONTROL.sub("", html.unescape(text)).split()) or " ".join(text.split())


def load(path: Path, limit: int = None) -> Dict[str, List[dict]]:
    """page id -> its rows in block order (pages in file order)."""
    pages: Dict[str, List[dict]] = {}
    with path.open(encoding="utf-8") as f:
        for line in f:
            if line.strip():
                row = json.loads(line)
                pages.setdefault(str(row["page"]), []).append(row)
    for pid, rows in pages.items():
        rows.sort(key=lambda r: r["block"])
        if [r["block"] for r in rows] != list(range(len(rows))):
            print(f"warning: {path.name} page {pid}: blocks are not 0..{len(rows) - 1}", file=sys.stderr)
    return dict(list(pages.items())[:limit]) if limit else pages


def page_html(lines: List[str]) -> bytes:
    body = "".join(f"<p>{html.escape(line)}</p>" for line in lines)
    return f"<html><body>{body}</body></html>".encode("utf-8")


def kept_by_text(lines: List[str], output: str) -> List[bool]:
    """The matching rule of the header comment (copies of a line credited in page order)."""
    flat = norm(output)
    whole = Counter(norm(o) for o in output.splitlines())
    left: Dict[str, int] = {}  # normalised line -> occurrences in the output not yet credited
    kept = []
    for n in map(norm, lines):
        if n not in left:
            left[n] = whole[n] if len(n) < SHORT else flat.count(n)
        kept.append(left[n] > 0)
        left[n] -= 1
    return kept


def justext_kept(lines: List[str], data: bytes) -> Tuple[List[bool], str, int]:
    """jusText's classification per line, its text, and the paragraphs not mapped to a line."""
    import justext
    paras = justext.justext(data, justext.get_stoplist("English"), encoding="utf-8")
    kept, unmapped = [False] * len(lines), 0
    for p in paras:
        m = re.fullmatch(r"/html\[1\]/body\[1\]/p\[(\d+)\]", p.xpath)
        i = int(m.group(1)) - 1 if m else -1
        if 0 <= i < len(lines) and norm(p.text) == norm(lines[i]):
            kept[i] = not p.is_boilerplate
        else:
            unmapped += 1
    return kept, "\n\n".join(p.text for p in paras if not p.is_boilerplate), unmapped


def run_corpus(name: str, pages: Dict[str, List[dict]], peers: dict,
               scored: Dict[str, Dict[Tuple[str, int], str]]) -> Dict[str, dict]:
    """Every extractor and scored column on every page of one corpus: the figures of the header comment."""
    tools = list(peers) + [KEEP_ALL] + list(scored)
    counts = {t: defaultdict(int) for t in tools}
    texts: Dict[str, Dict[Tuple[str, str], str]] = {t: {} for t in tools}
    seconds = defaultdict(float)
    gold_pages = []
    for n, (pid, rows) in enumerate(pages.items(), 1):
        lines = [r["text"] for r in rows]
        gold = [r["label"] == EDITORIAL for r in rows]
        key = (name, pid)
        gold_pages.append(GoldPage(pid, key, "\n\n".join(t for t, g in zip(lines, gold) if g)))
        data = page_html(lines)
        for tool in tools:
            c = counts[tool]
            t0 = time.perf_counter()
            try:
                if tool == KEEP_ALL:
                    kept, text = [True] * len(lines), "\n\n".join(lines)
                elif tool in scored:
                    kept = [scored[tool].get((pid, r["block"])) == EDITORIAL for r in rows]
                    text = "\n\n".join(t for t, k in zip(lines, kept) if k)
                elif tool == "justext":
                    kept, text, unmapped = justext_kept(lines, data)
                    c["unmapped_paragraphs"] += unmapped
                else:
                    text = peers[tool](data, "utf-8")
                    kept = kept_by_text(lines, text)
            except Exception:  # noqa: BLE001 - a failing peer counts as empty output
                kept, text = [False] * len(lines), ""
                c["failures"] += 1
            seconds[tool] += time.perf_counter() - t0
            texts[tool][key] = text
            c["empty_pages"] += not text.strip()
            for k, g in zip(kept, gold):
                c["tp" if k and g else "fp" if k else "fn" if g else "tn"] += 1
        if n % 25 == 0:
            print(f"  {name}: {n}/{len(pages)} pages", file=sys.stderr, flush=True)

    out = {}
    for tool in tools:
        c = counts[tool]
        p = c["tp"] / (c["tp"] + c["fp"]) if c["tp"] + c["fp"] else None
        r = c["tp"] / (c["tp"] + c["fn"]) if c["tp"] + c["fn"] else None
        f1 = 2 * p * r / (p + r) if p and r else 0.0
        tok = score_column(gold_pages, texts[tool])
        out[tool] = {"line_precision": p, "line_recall": r, "line_f1": f1,
                     "lines_kept": c["tp"] + c["fp"], **{k: c[k] for k in ("tp", "fp", "fn", "tn")},
                     "token": {k: tok[k] for k in ("precision", "recall", "f1", "misfires", "page_scores")},
                     "empty_pages": c["empty_pages"], "failures": c["failures"],
                     "unmapped_paragraphs": c["unmapped_paragraphs"], "seconds": seconds[tool]}
    return out


def fmt(x) -> str:
    return "–" if x is None else f"{x:.3f}"


def print_table(results: Dict[str, Dict[str, dict]], sizes: Dict[str, dict]) -> None:
    print("| corpus | extractor | lines kept | line P | line R | line F1 | token P | token R | token F1 "
          "| empty pages | failures | seconds |")
    print("|---|---|--:|--:|--:|--:|--:|--:|--:|--:|--:|--:|")
    for corpus, tools in results.items():
        s = sizes[corpus]
        for tool, r in tools.items():
            t = r["token"]
            print(f"| {corpus} ({s['pages']} p, {s['editorial']}/{s['lines']} ed.) | {tool} | {r['lines_kept']} "
                  f"| {fmt(r['line_precision'])} | {fmt(r['line_recall'])} | {fmt(r['line_f1'])} "
                  f"| {fmt(t['precision'])} | {fmt(t['recall'])} | {fmt(t['f1'])} "
                  f"| {r['empty_pages']} | {r['failures']} | {r['seconds']:.1f} |")


def load_scored(arg: str) -> Tuple[str, Dict[Tuple[str, int], str]]:
    """NAME=FILE of ``thresher score --format jsonl``: (page id, block) -> label."""
    name, sep, path = arg.partition("=")
    if not sep or not name or not path:
        raise argparse.ArgumentTypeError(f"--scored {arg}: expected NAME=FILE")
    labels: Dict[Tuple[str, int], str] = {}
    try:
        with open(path, encoding="utf-8") as f:
            for line in f:
                if line.strip():
                    row = json.loads(line)
                    labels[(str(row["page"]), int(row["block"]))] = row["label"]
    except (OSError, ValueError, KeyError, TypeError) as e:
        raise argparse.ArgumentTypeError(f"--scored {path}: {e}")
    return name, labels


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("scrapes", nargs="+", help="labelled scrape JSONL files (one corpus each)")
    ap.add_argument("--json", help="write all figures (with per-page token scores) to this file")
    ap.add_argument("--limit", type=int, help="first N pages of each file only (for testing)")
    ap.add_argument("--scored", action="append", default=[], type=load_scored, metavar="NAME=FILE",
                    help="a column of thresher score --format jsonl labels of the same scrapes; repeatable")
    ap.add_argument("--resamples", type=int, default=1000, help="bootstrap resamples for the scored columns")
    args = ap.parse_args(argv)
    scored = dict(args.scored)
    logging.disable(logging.CRITICAL)  # trafilatura/readability log warnings per page
    warnings.simplefilter("ignore")

    vers = versions()
    print("peers: " + ", ".join(f"{k} {v}" for k, v in vers.items()), file=sys.stderr)
    peers = make_peers()
    results, sizes = {}, {}
    t0 = time.perf_counter()
    for path in map(Path, args.scrapes):
        name = path.stem
        pages = load(path, args.limit)
        rows = [r for rs in pages.values() for r in rs]
        sizes[name] = {"file": str(path), "pages": len(pages), "lines": len(rows),
                       "editorial": sum(r["label"] == EDITORIAL for r in rows)}
        results[name] = run_corpus(name, pages, peers, scored)
        missing = {col: sum((pid, r["block"]) not in labels for pid, rs in pages.items() for r in rs)
                   for col, labels in scored.items()}
        for col, n in missing.items():
            if n:
                print(f"warning: --scored {col}: {n} lines of {name} have no label (counted as not kept)", file=sys.stderr)
    elapsed = time.perf_counter() - t0

    print_table(results, sizes)
    unmapped = {c: r["justext"]["unmapped_paragraphs"] for c, r in results.items() if "justext" in r}
    if any(unmapped.values()):
        print(f"\njusText paragraphs not mapped to a line (lines left unkept): {unmapped}")
    differences = {c: bootstrap_differences(list(next(iter(r.values()))["token"]["page_scores"]),
                                            {t: x["token"] for t, x in r.items()}, list(scored), args.resamples, c,
                                            references=list(r))
                   for c, r in results.items()} if scored else {}
    for corpus, cols in differences.items():
        for col, others in cols.items():
            print(f"\n{corpus}: token F1 of {col} minus each other column, paired bootstrap 95% interval "
                  f"({args.resamples} resamples): " + ", ".join(
                      f"{o} {d['diff']:+.3f} [{d['lo']:+.3f}, {d['hi']:+.3f}]" for o, d in others.items()))
    print(f"\nline P/R/F1: gold editorial lines vs all others, pooled over the corpus; "
          f"token: Zyte shingle metric; total {elapsed:.0f}s")
    if args.json:
        with open(args.json, "w", encoding="utf-8") as f:
            json.dump({"versions": vers, "short_line_chars": SHORT, "corpora": sizes,
                       "results": results, "differences": differences, "seconds": elapsed}, f, indent=1)
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
