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
    for other pages (other splits such as cleaneval train, other sources) are ignored, with a note.
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
uses and a hash of the tool's adapter code (peers_extractors.py), so upgrading a
package or changing an adapter starts a new cache; ``sha1`` (of the page bytes)
guards against a changed page.  The per-corpus seconds shown for a peer are the extraction times
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

Code: this file parses the options and runs the steps; peers_common.py (settings,
problem log), peers_inputs.py (pages, predictions files), peers_extractors.py (peer
adapters, cache versions), peers_run.py (peer texts and cache, Thresher runs),
peers_metric.py (scores, bootstrap), peers_report.py (tables, misfires TSV, JSON).
"""

from __future__ import annotations

import argparse
import logging
import shutil
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Dict

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.dont_write_bytecode = True  # keep __pycache__ out of the repo
sys.path.insert(0, str(HERE))
from peers_common import (  # noqa: E402
    CORPORA, MISFIRE_F1, PEERS, PROBLEMS, REFERENCES, SPEED_CORPORA, SPEED_PEERS, THRESHER,
    THRESHER_CORPORA, PageKey, log, problem,
)
from peers_extractors import make_peers, versions  # noqa: E402
from peers_inputs import assign_predictions, load_corpus, parse_prediction_arg, read_predictions  # noqa: E402
from peers_metric import bootstrap_differences, score_column  # noqa: E402
from peers_report import print_corpus, print_speed, print_summary, write_json, write_misfires  # noqa: E402
from peers_run import PeerCache, PeerTexts, peer_quality, thresher_quality, thresher_speed  # noqa: E402


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


def main(argv=None) -> int:
    """Run the comparison and print the report; the exit status (1 when there is a problem)."""
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
        predictions[name] = assign_predictions(name, read_predictions(name, path), corpora)
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
        write_json(Path(args.json), out)
        print(f"wrote {args.json}")
    if PROBLEMS:
        print(f"\n{len(PROBLEMS)} problem(s):\n" + "\n".join("  " + p for p in PROBLEMS))
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())
