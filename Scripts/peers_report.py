"""The compare_peers report: per-corpus tables, summary, speed table, misfires TSV, JSON."""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Dict, List, Optional

from peers_common import QUALITY_SPLIT
from peers_inputs import Page


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


def write_json(path: Path, figures: dict) -> None:
    """All figures as indented JSON with sorted keys."""
    path.write_text(json.dumps(figures, indent=1, sort_keys=True) + "\n", encoding="utf-8")
