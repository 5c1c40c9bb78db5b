#!/usr/bin/env python3
"""5-fold cross-validation of Thresher as a clickbait/editorial headline classifier.

Run through ``Scripts/crossval-headlines``.  Usage:

    crossval_headlines.py [CORPUS] [--thresher PATH] [--json FILE] [--folds N]
                          [--class-weight W]... [--fold-digit D] [--keep DIR] [--train-arg ARG]...

CORPUS defaults to ../shared/corpus next to the repository; --thresher defaults to
.build/release/thresher in the repository.

Data: CORPUS/clickbait/headlines-train.tsv, ``label<TAB>headline`` per line, labels
clickbait / editorial.  Line n (1-based, file order, nothing shuffled) becomes page
``h<n>``: one block in Thresher's labelled-block JSONL format
  {"page": "h<n>", "block": 0, "label": ..., "text": headline, "format": "text",
   "tag": "line", "path": "", "depth": 0, "element_tokens": [], "ancestor_tokens": [],
   "link_chars": 0, "source": "headlines"}
Fold of a headline: h // N**D % N with h = int(sha1(headline UTF-8).hexdigest(), 16)
and D = --fold-digit, default 1, i.e. h // 5 % 5 (identical headlines share a fold).
Why not plain h % 5 (D = 0): no headline of headlines-train.tsv has h % 5 == 0 (the
withheld 20 % evaluation part was evidently cut by that very rule), so fold 0 would be
empty and the rest a 4-fold split.  h // 5 % 5 is the next base-5 digit of the same
hash, independent of h % 5.  --fold-digit 0 gives the plain rule; empty folds are
skipped and reported.

Per variant (--class-weight, repeatable; ``default`` = no --class-weight flag, i.e.
thresher's default; default variants: default and none) and fold k:
  thresher train train_k.jsonl --out m_k.json --no-smoothing [--class-weight W] [--train-arg ...]
  thresher evaluate --model m_k.json test_k.jsonl --json e_k.json
and the block accuracy summary.accuracy of e_k.json (share of headlines labelled
right) is reported per fold, as the mean over folds, and pooled (all correct / all
headlines, from the confusion matrices).

Sanity checks (reported as problems; exit status 1 if any): thresher exits 0, train
reports as many blocks and pages as headlines given, evaluate counts every test
headline once, and its accuracy agrees with its own confusion matrix.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True  # keep __pycache__ out of the repo
sys.path.insert(0, str(HERE))
from crossval_common import PROBLEMS, add_common_arguments, fmt, fold_of, log, problem, run  # noqa: E402
LABELS = ("clickbait", "editorial")


def block(n: int, label: str, text: str) -> dict:
    return {"page": f"h{n}", "block": 0, "label": label, "text": text, "format": "text", "tag": "line",
            "path": "", "depth": 0, "element_tokens": [], "ancestor_tokens": [], "link_chars": 0,
            "source": "headlines"}


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(ap)
    ap.add_argument("--json", help="write every figure to this JSON file")
    ap.add_argument("--class-weight", action="append", dest="class_weights",
                    help="variant to run (repeat): default (thresher's default, no flag), none, balanced, "
                         "sqrt (default: default and none)")
    ap.add_argument("--fold-digit", type=int, default=1,
                    help="fold = sha1(headline) // N**D %% N; default 1 (0 = plain %% N, whose fold 0 is "
                         "empty on headlines-train.tsv)")
    ap.add_argument("--train-arg", action="append", default=[],
                    help="extra argument for thresher train (repeat; e.g. --train-arg=--c --train-arg=0.1)")
    args = ap.parse_args()
    variants = args.class_weights or ["default", "none"]

    thresher = str(Path(args.thresher).resolve())
    corpus = Path(args.corpus).resolve()
    tsv = corpus / "clickbait" / "headlines-train.tsv"
    if not os.access(thresher, os.X_OK):
        sys.exit(f"crossval-headlines: no executable thresher at {thresher}")
    if not tsv.is_file():
        sys.exit(f"crossval-headlines: no {tsv}")

    folds: Dict[int, List[dict]] = {k: [] for k in range(args.folds)}
    n_lines = 0
    with open(tsv, encoding="utf-8", newline="") as f:
        for n, line in enumerate(f, 1):
            line = line.rstrip("\r\n")
            if not line.strip():
                continue
            label, sep, text = line.partition("\t")
            if not sep or label not in LABELS:
                sys.exit(f"crossval-headlines: {tsv}:{n}: expected clickbait|editorial<TAB>headline")
            n_lines += 1
            folds[fold_of(text, args.folds, args.fold_digit)].append(block(n, label, text))
    counts = {lab: sum(1 for k in folds for b in folds[k] if b["label"] == lab) for lab in LABELS}
    log(f"{n_lines} headlines ({counts}); fold sizes "
        + ", ".join(str(len(folds[k])) for k in range(args.folds)))
    fold_rule = (f"int(sha1(headline).hexdigest(), 16) // {args.folds ** args.fold_digit} % {args.folds}"
                 if args.fold_digit else f"int(sha1(headline).hexdigest(), 16) % {args.folds}")
    empty = [k for k in range(args.folds) if not folds[k]]
    if empty:
        problem(f"fold(s) {empty} empty under the rule {fold_rule}: skipped")

    if args.keep:
        work = Path(args.keep).resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="thresher-cv-headlines-"))
    log(f"work folder {work}")

    results: Dict[str, dict] = {}
    try:
        for k in range(args.folds):
            if not folds[k]:
                continue
            for name, rows in ((f"train_{k}.jsonl", [b for j in range(args.folds) if j != k for b in folds[j]]),
                               (f"test_{k}.jsonl", folds[k])):
                with open(work / name, "w", encoding="utf-8") as f:
                    for b in rows:
                        f.write(json.dumps(b, ensure_ascii=False) + "\n")

        for variant in variants:
            log(f"variant class-weight={variant}")
            flag = [] if variant == "default" else ["--class-weight", variant]
            per_fold = []
            for k in range(args.folds):
                if not folds[k]:
                    per_fold.append({"fold": k, "test": 0, "skipped": "empty fold", "accuracy": None,
                                     "train_seconds": None})
                    continue
                n_test = len(folds[k])
                n_train = n_lines - n_test
                tag = f"{variant}_{k}"
                model, evj = work / f"m_{tag}.json", work / f"e_{tag}.json"
                tr = run([thresher, "train", str(work / f"train_{k}.jsonl"), "--out", str(model),
                          "--no-smoothing"] + flag + args.train_arg, work / f"train_{tag}.log")
                summary = next((l for l in tr["log"].splitlines() if l.startswith("trained on")), None)
                m = re.search(r"trained on (\d+) blocks of (\d+) pages", tr["log"])
                if tr["rc"] == 0 and (not m or int(m.group(1)) != n_train or int(m.group(2)) != n_train):
                    problem(f"{variant} fold {k}: train reports '{summary}', given {n_train} one-block pages")
                fr = {"fold": k, "test": n_test, "train": n_train, "train_summary": summary,
                      "train_seconds": round(tr["seconds"], 1), "accuracy": None}
                log(f"  train: {summary} ({fr['train_seconds']} s)")
                if tr["rc"] != 0 or not model.is_file():
                    per_fold.append(fr)
                    continue
                ev = run([thresher, "evaluate", "--model", str(model), str(work / f"test_{k}.jsonl"),
                          "--json", str(evj)], work / f"eval_{tag}.log")
                fr["evaluate_seconds"] = round(ev["seconds"], 1)
                if ev["rc"] == 0 and evj.is_file():
                    e = json.loads(evj.read_text(encoding="utf-8"))
                    e.pop("precision_recall_curve", None)
                    acc = e.get("summary", {}).get("accuracy")
                    conf = e.get("confusion", {})
                    total = sum(v for row in conf.values() for v in row.values())
                    correct = sum(row.get(g, 0) for g, row in conf.items())
                    if e.get("pages") != n_test or e.get("blocks") != n_test or total != n_test:
                        problem(f"{variant} fold {k}: evaluate counted pages {e.get('pages')}, blocks "
                                f"{e.get('blocks')}, confusion total {total}; the test file has {n_test}")
                    if acc is None or total == 0 or abs(acc - correct / total) > 1e-9:
                        problem(f"{variant} fold {k}: summary.accuracy {acc} but confusion gives "
                                f"{correct}/{total}")
                    fr.update({"accuracy": acc, "correct": correct, "total": total,
                               "classes": e.get("classes"), "confusion": conf,
                               "macro_f1": e.get("summary", {}).get("macro_f1")})
                    log(f"  fold {k}: accuracy {fmt(acc)} ({correct}/{total})")
                per_fold.append(fr)
            accs = [fr["accuracy"] for fr in per_fold if fr["accuracy"] is not None]
            correct = sum(fr.get("correct", 0) for fr in per_fold)
            total = sum(fr.get("total", 0) for fr in per_fold)
            results[variant] = {
                "train_flags": flag + args.train_arg,
                "per_fold": per_fold,
                "folds_scored": len(accs),
                "mean_accuracy": statistics.mean(accs) if accs else None,
                "stdev_accuracy": statistics.stdev(accs) if len(accs) > 1 else None,
                "pooled_accuracy": correct / total if total else None,
                "pooled_correct": correct, "pooled_total": total,
            }
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    # ---- table
    print()
    print(f"Thresher {args.folds}-fold cross-validation on {tsv}")
    print(f"({n_lines} headlines, each a one-block page; fold = {fold_rule}; "
          f"train --no-smoothing; block accuracy)")
    print(f"thresher: {thresher}")
    print()
    head = "fold     | test  | " + " | ".join(f"cw={v:<17}" for v in variants)
    print(head)
    print("-" * len(head))
    for k in range(args.folds):
        cells = []
        for v in variants:
            fr = results[v]["per_fold"][k]
            cells.append("(empty fold, skipped)" if fr.get("skipped") else
                         f"{fmt(fr['accuracy'])} ({fr['train_seconds']:>5} s) ")
        print(f"{k:<8} | {len(folds[k]):>5} | " + " | ".join(f"{c:<20}" for c in cells))
    print("-" * len(head))
    print(f"{'mean':<8} | {'':>5} | " + " | ".join(f"{fmt(results[v]['mean_accuracy']):<20}" for v in variants))
    print(f"{'stdev':<8} | {'':>5} | " + " | ".join(f"{fmt(results[v]['stdev_accuracy']):<20}" for v in variants))
    print(f"{'pooled':<8} | {n_lines:>5} | " + " | ".join(f"{fmt(results[v]['pooled_accuracy']):<20}"
                                                         for v in variants))
    print()
    for v in variants:
        r = results[v]
        print(f"class-weight {v}: mean accuracy over {r['folds_scored']} folds {fmt(r['mean_accuracy'])}, "
              f"pooled {r['pooled_correct']}/{r['pooled_total']} = {fmt(r['pooled_accuracy'])}")
    if PROBLEMS:
        print(f"\n{len(PROBLEMS)} problem(s):")
        for p in PROBLEMS:
            print("  - " + p)

    if args.json:
        out = {"data": str(tsv), "thresher": thresher, "folds": args.folds, "headlines": n_lines,
               "label_counts": counts, "fold_sizes": [len(folds[k]) for k in range(args.folds)],
               "fold_rule": fold_rule,
               "variants": results, "problems": PROBLEMS}
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())
