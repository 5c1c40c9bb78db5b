#!/usr/bin/env python3
"""5-fold cross-validation of Thresher on the Zyte pages, folded by page.

Run through ``Scripts/crossval-zyte``.  Usage:

    crossval_zyte.py [CORPUS] [--thresher PATH] [--json FILE] [--folds N]
                     [--keep DIR] [--train-arg ARG ...]

CORPUS defaults to ../shared/corpus next to the repository; --thresher defaults to
.build/release/thresher in the repository.

Folds: every record of CORPUS/zyte.jsonl goes to fold int(sha1(id).hexdigest(), 16) % N.
For each fold k, in a temporary folder:
  * train_k.jsonl   = the records of the other folds, heldout_k.jsonl = those of fold k
    (records copied verbatim except ``html``, made absolute);
  * thresher train train_k.jsonl CORPUS/cleaneval.jsonl CORPUS/googletrends.jsonl
        REPO/TrainingData --split train --allow-outside --out model_k.json [--train-arg ...]
  * thresher evaluate --model model_k.json heldout_k.jsonl --allow-outside --json eval_k.json
  * thresher extract --model model_k.json --format jsonl heldout_k.jsonl --allow-outside
    whose text is scored against ``main_text`` with Scripts/zyte_metric.py; and the same extract
    with ``--body-only`` (headline, figures and link lines left out, as Zyte's articleBody).

Headline figure: the Zyte benchmark metric pooled over ALL held-out pages (each page
scored by the model that did not see it): mean per-page precision, mean per-page
recall, F1 of the two means; then the same with ``--body-only``.  Per fold: the same metric on that fold's pages, plus
Thresher's own evaluate figures (block accuracy, block editorial F1, its token metric).

Sanity checks (reported as problems, and the exit status is 1 if any): every thresher
command exits 0, extract returns exactly the held-out ids, evaluate counts the
held-out pages, the folds partition the records.
"""

from __future__ import annotations

import argparse
import json
import os
import re
import shutil
import sys
import tempfile
from pathlib import Path
from typing import Dict, List, Optional

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.dont_write_bytecode = True  # keep __pycache__ out of the repo
sys.path.insert(0, str(HERE))
from crossval_common import PROBLEMS, add_common_arguments, fmt, fold_of, log, problem, run  # noqa: E402
import zyte_metric  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    add_common_arguments(ap)
    ap.add_argument("--json", help="write every figure to this JSON file")
    ap.add_argument("--train-arg", action="append", default=[],
                    help="extra argument for thresher train (repeat; e.g. --train-arg=--c --train-arg=0.1)")
    args = ap.parse_args()

    thresher = str(Path(args.thresher).resolve())
    corpus = Path(args.corpus).resolve()
    zyte_path = corpus / "zyte.jsonl"
    if not os.access(thresher, os.X_OK):
        sys.exit(f"crossval-zyte: no executable thresher at {thresher}")
    if not zyte_path.is_file():
        sys.exit(f"crossval-zyte: no {zyte_path}")

    records = []
    with open(zyte_path, encoding="utf-8") as f:
        for line in f:
            if line.strip():
                records.append(json.loads(line))
    ids = [r["id"] for r in records]
    if len(set(ids)) != len(ids):
        problem("duplicate ids in zyte.jsonl")
    by_fold: Dict[int, List[dict]] = {k: [] for k in range(args.folds)}
    for r in records:
        r = dict(r)
        r["html"] = str((zyte_path.parent / r["html"]).resolve())
        by_fold[fold_of(r["id"], args.folds)].append(r)
    assert sum(len(v) for v in by_fold.values()) == len(records)
    log(f"{len(records)} zyte pages; fold sizes "
        + ", ".join(str(len(by_fold[k])) for k in range(args.folds)))

    if args.keep:
        work = Path(args.keep).resolve()
        work.mkdir(parents=True, exist_ok=True)
    else:
        work = Path(tempfile.mkdtemp(prefix="thresher-cv-zyte-"))
    log(f"work folder {work}")

    gold = {r["id"]: r.get("main_text") or "" for r in records}
    fold_results = []
    pooled_pairs = []  # (gold, pred)
    body_pairs = []  # (gold, pred with --body-only)
    per_page = []
    try:
        for k in range(args.folds):
            held = by_fold[k]
            if not held:
                problem(f"fold {k} is empty under sha1(id) % {args.folds}: skipped")
                continue
            train = [r for j in range(args.folds) if j != k for r in by_fold[j]]
            log(f"fold {k}: train on {len(train)} zyte pages (+ cleaneval, googletrends, TrainingData), "
                f"hold out {len(held)}")
            train_m, held_m = work / f"train_{k}.jsonl", work / f"heldout_{k}.jsonl"
            for path, rs in ((train_m, train), (held_m, held)):
                with open(path, "w", encoding="utf-8") as f:
                    for r in rs:
                        f.write(json.dumps(r, ensure_ascii=False) + "\n")
            model, evj, extj = work / f"model_{k}.json", work / f"eval_{k}.json", work / f"extract_{k}.jsonl"

            tr = run([thresher, "train", str(train_m), str(corpus / "cleaneval.jsonl"),
                      str(corpus / "googletrends.jsonl"), str(REPO / "TrainingData"),
                      "--split", "train", "--allow-outside", "--out", str(model)] + args.train_arg,
                     work / f"train_{k}.log")
            m = re.search(r"trained on (\d+) blocks of (\d+) pages", tr["log"])
            train_info = {"seconds": round(tr["seconds"], 1), "rc": tr["rc"],
                          "blocks": int(m.group(1)) if m else None, "pages": int(m.group(2)) if m else None,
                          "summary": next((l for l in tr["log"].splitlines() if l.startswith("trained on")), None)}
            log(f"  train: {train_info['summary']} ({train_info['seconds']} s)")
            if tr["rc"] != 0 or not model.is_file():
                fold_results.append({"fold": k, "pages": len(held), "train": train_info, "failed": True})
                for r in held:
                    pooled_pairs.append((gold[r["id"]], ""))
                    body_pairs.append((gold[r["id"]], ""))
                    per_page.append({"id": r["id"], "fold": k, "missing": True})
                continue

            ev = run([thresher, "evaluate", "--model", str(model), str(held_m), "--allow-outside",
                      "--json", str(evj)], work / f"eval_{k}.log")
            evaluation = None
            if ev["rc"] == 0 and evj.is_file():
                evaluation = json.loads(evj.read_text(encoding="utf-8"))
                evaluation.pop("precision_recall_curve", None)
                if evaluation.get("pages") != len(held):
                    problem(f"fold {k}: evaluate counted {evaluation.get('pages')} pages, "
                            f"the held-out manifest has {len(held)}")
                if evaluation.get("token_pages") not in (None, len(held)):
                    problem(f"fold {k}: evaluate scored tokens over {evaluation.get('token_pages')} pages, "
                            f"expected {len(held)}")

            ex = run([thresher, "extract", "--model", str(model), "--format", "jsonl", str(held_m),
                      "--allow-outside"], work / f"extract_{k}.log", stdout_path=extj)
            held_ids = [r["id"] for r in held]
            pred = read_extract(extj, k, held_ids)
            body_path = work / f"extract_body_{k}.jsonl"
            run([thresher, "extract", "--model", str(model), "--format", "jsonl", "--body-only", str(held_m),
                 "--allow-outside"], work / f"extract_body_{k}.log", stdout_path=body_path)
            body = read_extract(body_path, k, held_ids)
            body_pairs.extend((gold[i], body.get(i, "")) for i in held_ids)

            pairs = []
            for i in held_ids:
                t, p = gold[i], pred.get(i, "")
                pairs.append((t, p))
                pp, pr = zyte_metric.page_scores(t, p)
                per_page.append({"id": i, "fold": k, "precision": pp, "recall": pr,
                                 "pred_tokens": len(zyte_metric.tokenize(p)),
                                 "gold_tokens": len(zyte_metric.tokenize(t)),
                                 **({"missing": True} if i not in pred else {})})
            pooled_pairs.extend(pairs)
            zm = zyte_metric.evaluate(pairs)
            s = (evaluation or {}).get("summary", {})
            log(f"  fold {k}: zyte P {fmt(zm['precision'])} R {fmt(zm['recall'])} F1 {fmt(zm['f1'])}; "
                f"thresher evaluate token F1 {fmt(s.get('token_f1'))}, block acc {fmt(s.get('accuracy'))}")
            fold_results.append({"fold": k, "pages": len(held), "train": train_info,
                                 "zyte_metric": zm, "evaluate": evaluation,
                                 "evaluate_seconds": round(ev["seconds"], 1),
                                 "extract_seconds": round(ex["seconds"], 1)})
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    pooled = zyte_metric.evaluate(pooled_pairs)
    pooled_body = zyte_metric.evaluate(body_pairs)
    if pooled["pages"] != len(records):
        problem(f"pooled {pooled['pages']} pages, expected {len(records)}")

    # ---- table
    print()
    print(f"Thresher {args.folds}-fold cross-validation on {zyte_path} (by page; fold = sha1(id) % {args.folds})")
    print(f"thresher: {thresher}")
    print()
    print("        |       |  Zyte token metric (zyte_metric.py)  | thresher evaluate")
    print("fold    | pages | precision  recall    F1      exact  | token F1  block acc  block ed. F1 | train s")
    print("--------+-------+--------------------------------------+-------------------------------+--------")
    for fr in fold_results:
        zm = fr.get("zyte_metric") or {}
        s = (fr.get("evaluate") or {}).get("summary", {})
        print(f"{fr['fold']:<7} | {fr['pages']:>5} | {fmt(zm.get('precision'))}     {fmt(zm.get('recall'))}    "
              f"{fmt(zm.get('f1'))}  {fmt(zm.get('accuracy'))} | {fmt(s.get('token_f1'))}    "
              f"{fmt(s.get('accuracy'))}     {fmt(s.get('block_editorial_f1'))}        | {fr['train']['seconds']:>6}")
    print("--------+-------+--------------------------------------+-------------------------------+--------")
    print(f"{'pooled':<7} | {pooled['pages']:>5} | {fmt(pooled['precision'])}     {fmt(pooled['recall'])}    "
          f"{fmt(pooled['f1'])}  {fmt(pooled['accuracy'])} |")
    print()
    print(f"HEADLINE (pooled over all {pooled['pages']} held-out pages): precision {fmt(pooled['precision'])}, "
          f"recall {fmt(pooled['recall'])}, F1 {fmt(pooled['f1'])}")
    print(f"with --body-only (the article body, as Zyte's articleBody): precision {fmt(pooled_body['precision'])}, "
          f"recall {fmt(pooled_body['recall'])}, F1 {fmt(pooled_body['f1'])}")
    if PROBLEMS:
        print(f"\n{len(PROBLEMS)} problem(s):")
        for p in PROBLEMS:
            print("  - " + p)

    if args.json:
        out = {"corpus": str(zyte_path), "thresher": thresher, "folds": args.folds,
               "fold_rule": f"int(sha1(id).hexdigest(), 16) % {args.folds}",
               "train_extra_args": args.train_arg,
               "pooled": pooled, "pooled_body_only": pooled_body, "per_fold": fold_results, "per_page": per_page, "problems": PROBLEMS}
        Path(args.json).write_text(json.dumps(out, indent=1, ensure_ascii=False) + "\n", encoding="utf-8")
        print(f"\nfigures written to {args.json}")
    return 1 if PROBLEMS else 0


def read_extract(path: Path, k: int, held_ids: List[str]) -> Dict[str, str]:
    """The text per page of a `thresher extract --format jsonl` output; oddities become problems."""
    pred: Dict[str, str] = {}
    with open(path, encoding="utf-8") as f:
        for n, line in enumerate(f, 1):
            if not line.strip():
                continue
            try:
                o = json.loads(line)
            except json.JSONDecodeError as e:
                problem(f"fold {k}: {path.name} line {n} is not JSON: {e}")
                continue
            if o.get("page") in pred:
                problem(f"fold {k}: {path.name} returned page {o.get('page')} twice")
            pred[o.get("page")] = o.get("text") or ""
    missing = [i for i in held_ids if i not in pred]
    extra = [i for i in pred if i not in set(held_ids)]
    if missing or extra:
        problem(f"fold {k}: {path.name} has {len(pred)} pages for {len(held_ids)} held out; "
                f"missing {missing[:5]}{'...' if len(missing) > 5 else ''}, "
                f"unexpected {extra[:5]}{'...' if len(extra) > 5 else ''}")
    return pred


if __name__ == "__main__":
    sys.exit(main())
