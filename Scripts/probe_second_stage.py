#!/usr/bin/env python3
"""Offline probe of a page-level second stage; run through ``Scripts/probe-second-stage``.

    probe_second_stage.py CVDIR [CORPUS] [--thresher PATH]

CVDIR holds the folds of ``Scripts/crossval-zyte --keep CVDIR`` (heldout_k.jsonl, model_k.json).
For each fold k the held-out Zyte pages are scored with model_k (out-of-fold first-stage
probabilities, after smoothing), segmented (containers, signatures) and labelled by alignment.
Second-stage features per block: its editorial and comment probabilities, log words, link
density, its neighbours' editorial probabilities; for its parent, grandparent and great-
grandparent: their blocks' word-weighted mean editorial probability, their share of the page's
editorial word mass, log of their block count; whether it lies in the container with the most
editorial mass; log template copies of its element, parent, grandparent. A logistic regression
(scikit-learn, standardised features) is trained on the other folds' blocks and applied to fold k
(nested: neither stage saw fold k), then the editorial blocks are extracted (later exact repeats
of six words or more dropped, as Thresher does) and scored with the Zyte token metric.
Then a second stage trained on all Zyte folds is applied to the cleaneval and googletrends dev
pages as scored by the shipped default model: does it transfer?
"""

from __future__ import annotations

import argparse
import collections
import json
import math
import subprocess
import sys
import tempfile
from pathlib import Path

from sklearn.linear_model import LogisticRegression
from sklearn.preprocessing import StandardScaler

HERE = Path(__file__).resolve().parent
sys.dont_write_bytecode = True
sys.path.insert(0, str(HERE))
import zyte_metric  # noqa: E402


def thresher_lines(binary: str, args: list[str]) -> list[dict]:
    out = subprocess.run([binary, *args], check=True, capture_output=True, text=True).stdout
    return [json.loads(line) for line in out.split("\n") if line.strip()]


def pages_of(binary: str, data: str, extra: list[str], model: str | None) -> collections.OrderedDict:
    """Blocks of every page: (score row, block row, label row), checked to line up."""
    scored = thresher_lines(binary, ["score", *(["--model", model] if model else []), data, *extra])
    blocks = thresher_lines(binary, ["blocks", "--format", "jsonl", data, *extra])
    with tempfile.TemporaryDirectory() as folder:
        labelled = Path(folder) / "labels.jsonl"
        subprocess.run([binary, "label", data, *extra, "--out", str(labelled)], check=True, capture_output=True)
        labels = [json.loads(line) for line in labelled.read_text(encoding="utf-8").split("\n") if line.strip()]
    pages: collections.OrderedDict = collections.OrderedDict()
    for s, b, l in zip(scored, blocks, labels):
        assert s["page"] == b["page"] == l["page"] and s["block"] == b["block"] == l["block"], "rows do not line up"
        pages.setdefault(s["page"], []).append((s, b, l))
    return pages


def features(rows: list) -> tuple[list[list[float]], list[int]]:
    n = len(rows)
    p = [r[0]["probs"]["editorial"] for r in rows]
    words = [len(r[0]["text"].split()) for r in rows]
    mass, weight, count = collections.Counter(), collections.Counter(), collections.Counter()
    for i, r in enumerate(rows):
        for c in r[1].get("containers", [])[1:4]:
            mass[c] += words[i] * p[i]
            weight[c] += words[i]
            count[c] += 1
    total = sum(words[i] * p[i] for i in range(n)) or 1.0
    best = max(mass, key=lambda c: (mass[c], -c)) if mass else None
    copies, seen = collections.Counter(), set()
    for r in rows:
        for number, signature in zip(r[1].get("containers", []), r[1].get("signatures", [])):
            if number not in seen:
                seen.add(number)
                copies[signature] += 1
    X = []
    for i, r in enumerate(rows):
        containers, signatures = r[1].get("containers", []), r[1].get("signatures", [])
        f = [p[i], r[0]["probs"].get("comment", 0.0), math.log1p(words[i]), r[1]["link_chars"] / max(1, r[1]["chars"]),
             p[i - 1] if i > 0 else 0.0, p[i + 1] if i + 1 < n else 0.0]
        for level in (1, 2, 3):
            c = containers[level] if len(containers) > level else None
            f += [0.0, 0.0, 0.0] if c is None else [mass[c] / max(1, weight[c]), mass[c] / total, math.log1p(count[c])]
        f.append(1.0 if best is not None and best in containers else 0.0)
        f += [math.log1p(copies[signatures[j]]) if len(signatures) > j else 0.0 for j in range(3)]
        X.append(f)
    return X, [1 if r[2]["label"] == "editorial" else 0 for r in rows]


def extract(rows: list, keep: list[bool]) -> str:
    seen, out = set(), []
    for r, k in zip(rows, keep):
        text = r[0]["text"]
        if not k:
            continue
        if len(text.split()) >= 6:
            if text in seen:
                continue
            seen.add(text)
        out.append(text)
    return "\n\n".join(out)


def fit(X: list, y: list) -> tuple:
    scaler = StandardScaler().fit(X)
    return scaler, LogisticRegression(C=0.01, max_iter=2000).fit(scaler.transform(X), y)


def report(name: str, pairs: list) -> None:
    m = zyte_metric.evaluate(pairs)
    print(f"{name:48s} P {m['precision']:.4f}  R {m['recall']:.4f}  F1 {m['f1']:.4f}")


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cvdir")
    ap.add_argument("corpus", nargs="?", default=str(HERE.parent.parent / "shared" / "corpus"))
    ap.add_argument("--thresher", default=str(HERE.parent / ".build" / "release" / "thresher"))
    args = ap.parse_args()
    cv, corpus = Path(args.cvdir), Path(args.corpus)
    folds = []
    for k in range(5):
        held = cv / f"heldout_{k}.jsonl"
        gold = {json.loads(l)["id"]: json.loads(l)["main_text"] for l in held.read_text(encoding="utf-8").split("\n") if l.strip()}
        pages = pages_of(args.thresher, str(held), ["--allow-outside"], str(cv / f"model_{k}.json"))
        folds.append([(pid, rows, *features(rows), gold[pid]) for pid, rows in pages.items()])
    report("zyte CV, first stage (as shipped)",
           [(g, extract(rows, [r[0]["label"] == "editorial" for r in rows])) for fold in folds for _, rows, _, _, g in fold])
    pairs = []
    for k, fold in enumerate(folds):
        scaler, model = fit([x for j, f in enumerate(folds) if j != k for page in f for x in page[2]],
                            [v for j, f in enumerate(folds) if j != k for page in f for v in page[3]])
        for _, rows, X, _, g in fold:
            pairs.append((g, extract(rows, [q >= 0.5 for q in model.predict_proba(scaler.transform(X))[:, 1]])))
    report("zyte CV, second stage (nested)", pairs)
    scaler, model = fit([x for f in folds for page in f for x in page[2]], [v for f in folds for page in f for v in page[3]])
    for name in ("cleaneval", "googletrends"):
        manifest = corpus / f"{name}.jsonl"
        gold = {}
        for line in manifest.read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                continue
            record = json.loads(line)
            if record.get("split") == "dev":
                gold[record["id"]] = record["main_text"]
        pages = pages_of(args.thresher, str(manifest), ["--split", "dev"], None)
        first, second = [], []
        for pid, rows in pages.items():
            X, _ = features(rows)
            first.append((gold[pid], extract(rows, [r[0]["label"] == "editorial" for r in rows])))
            second.append((gold[pid], extract(rows, [q >= 0.5 for q in model.predict_proba(scaler.transform(X))[:, 1]])))
        report(f"{name} dev, default model", first)
        report(f"{name} dev, + second stage trained on zyte", second)
    return 0


if __name__ == "__main__":
    sys.exit(main())
