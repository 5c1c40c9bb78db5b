#!/usr/bin/env python3
"""5-fold cross-validation of Thresher on the hand-labelled text scrapes of TrainingData/text.

Run through ``Scripts/crossval-scrapes``.  Usage:

    crossval_scrapes.py [CORPUS] [--thresher PATH] [--folds N] [--keep DIR]

Fold of a scrape: int(sha1(file name).hexdigest(), 16) % N.  Fold k trains on the train splits
of CORPUS's zyte, cleaneval and googletrends manifests plus TrainingData/ without fold k's
scrapes (``thresher train``, default options), then scores fold k's scrapes twice: with the
model as trained and with its smoothing pass removed.  Reports block accuracy and editorial
precision, recall and F1 pooled over all held-out lines, for both: whether the sequence pass
helps on scrapes in general, not only on the seed page.
"""

from __future__ import annotations

import argparse
import json
import shutil
import sys
import tempfile
from pathlib import Path

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.dont_write_bytecode = True  # keep __pycache__ out of the repo
sys.path.insert(0, str(HERE))
from crossval_common import PROBLEMS, add_common_arguments, fold_of, log, run  # noqa: E402


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    add_common_arguments(ap)
    args = ap.parse_args()
    corpus = Path(args.corpus)
    if not (corpus / "zyte.jsonl").exists():
        log(f"crossval-scrapes: no {corpus / 'zyte.jsonl'}")
        return 2
    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="thresher-cv-scrapes-"))
    work.mkdir(parents=True, exist_ok=True)
    scrapes = sorted((REPO / "TrainingData" / "text").glob("*.labels.tsv"))
    gold = {s.name: [l.split("\t", 1)[0] for l in s.read_text(encoding="utf-8").splitlines() if l.strip()] for s in scrapes}
    totals = {kind: {"lines": 0, "right": 0, "tp": 0, "fp": 0, "fn": 0} for kind in ("smoothed", "raw")}
    for k in range(args.folds):
        held = [s for s in scrapes if fold_of(s.name, args.folds) == k]
        if not held:
            continue
        data, test = work / f"training_{k}", work / f"held_{k}"
        for folder in (data / "text", test):
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir(parents=True)
        shutil.copytree(REPO / "TrainingData" / "html", data / "html", dirs_exist_ok=True)
        for s in scrapes:
            shutil.copy(s, (test if s in held else data / "text") / s.name)
        log(f"fold {k}: hold out {len(held)} scrapes")
        model, raw = work / f"model_{k}.json", work / f"model_{k}_raw.json"
        run([args.thresher, "train", *(str(corpus / f"{c}.jsonl") for c in ("zyte", "cleaneval", "googletrends")),
             str(data), "--split", "train", "--out", str(model)], work / f"train_{k}.log")
        record = json.loads(model.read_text(encoding="utf-8"))
        record["smoothing"] = None
        raw.write_text(json.dumps(record), encoding="utf-8")
        for kind, m in (("smoothed", model), ("raw", raw)):
            scores = work / f"scores_{k}_{kind}.jsonl"
            run([args.thresher, "score", "--model", str(m), str(test)], work / f"score_{k}_{kind}.log", stdout_path=scores)
            for line in scores.read_text(encoding="utf-8").splitlines():
                row = json.loads(line)
                stem = Path(row["page"]).name.split(".")[0]
                name = next(n for n in gold if n.split(".")[0] == stem)
                truth, guess = gold[name][row["block"]], row["label"]
                t = totals[kind]
                t["lines"] += 1
                t["right"] += truth == guess
                t["tp"] += truth == guess == "editorial"
                t["fp"] += guess == "editorial" != truth
                t["fn"] += truth == "editorial" != guess
    print(f"Thresher {args.folds}-fold cross-validation over {len(scrapes)} scrapes of TrainingData/text")
    for kind, t in totals.items():
        p = t["tp"] / max(1, t["tp"] + t["fp"])
        r = t["tp"] / max(1, t["tp"] + t["fn"])
        f1 = 2 * t["tp"] / max(1, 2 * t["tp"] + t["fp"] + t["fn"])
        print(f"{kind:9s} lines {t['lines']}  accuracy {t['right'] / max(1, t['lines']):.3f}  "
              f"editorial P {p:.3f} R {r:.3f} F1 {f1:.3f}")
    if not args.keep:
        shutil.rmtree(work, ignore_errors=True)
    return 1 if PROBLEMS else 0


if __name__ == "__main__":
    sys.exit(main())
