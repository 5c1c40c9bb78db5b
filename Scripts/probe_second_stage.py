#!/usr/bin/env python3
"""Offline probe of a page-level second stage; run through ``Scripts/probe-second-stage``.

    probe_second_stage.py CVDIR [CORPUS] [--thresher PATH] [--all-corpora WORKDIR]

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

With --all-corpora WORKDIR, the same over the train pages of all three corpora: five first-stage
models (each on four fifths of them plus TrainingData/, Zyte pages in CVDIR's folds, the others by
sha1(source + id) % 5) give out-of-fold probabilities for every train page; the second stage is
cross-validated over those folds (reported per corpus) and, trained on all of them, applied to the
dev pages.
"""

from __future__ import annotations

import argparse
import collections
import hashlib
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


def all_corpora(binary: str, cv: Path, corpus: Path, work: Path) -> list:
    """Out-of-fold first-stage pages of the train splits of all corpora, in five folds."""
    work.mkdir(parents=True, exist_ok=True)
    zyte_fold = {}
    for k in range(5):
        for line in (cv / f"heldout_{k}.jsonl").read_text(encoding="utf-8").split("\n"):
            if line.strip():
                zyte_fold[json.loads(line)["id"]] = k
    records = []
    for name in ("zyte", "cleaneval", "googletrends"):
        for line in (corpus / f"{name}.jsonl").read_text(encoding="utf-8").split("\n"):
            if not line.strip():
                continue
            record = json.loads(line)
            if record.get("split") != "train":
                continue
            for key in ("html", "annotated_html"):
                if record.get(key):
                    record[key] = str((corpus / record[key]).resolve())
            k = zyte_fold[record["id"]] if name == "zyte" else int(hashlib.sha1((name + record["id"]).encode()).hexdigest(), 16) % 5
            records.append((k, record))
    folds = []
    for k in range(5):
        train, held = work / f"train_{k}.jsonl", work / f"held_{k}.jsonl"
        train.write_text("".join(json.dumps(r) + "\n" for j, r in records if j != k), encoding="utf-8")
        held.write_text("".join(json.dumps(r) + "\n" for j, r in records if j == k), encoding="utf-8")
        model = work / f"model_{k}.json"
        subprocess.run([binary, "train", str(train), str(HERE.parent / "TrainingData"), "--allow-outside", "--out", str(model)],
                       check=True, capture_output=True)
        gold = {r["id"]: (r["main_text"], r["source"]) for j, r in records if j == k}
        pages = pages_of(binary, str(held), ["--allow-outside"], str(model))
        folds.append([(pid, rows, *features(rows), *gold[pid]) for pid, rows in pages.items()])
    return folds


def main() -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("cvdir")
    ap.add_argument("corpus", nargs="?", default=str(HERE.parent.parent / "shared" / "corpus"))
    ap.add_argument("--thresher", default=str(HERE.parent / ".build" / "release" / "thresher"))
    ap.add_argument("--all-corpora", metavar="WORKDIR", help="also probe a second stage trained on all corpora")
    args = ap.parse_args()
    cv, corpus = Path(args.cvdir), Path(args.corpus)
    probe_zyte(args.thresher, cv, corpus)
    if args.all_corpora:
        probe_all(args.thresher, cv, corpus, Path(args.all_corpora))
    return 0


def dev_pairs(binary: str, corpus: Path, name: str, scaler, model) -> tuple[list, list]:
    """(gold, extraction) of the dev pages as the default model labels them, and with the second stage."""
    gold = {}
    for line in (corpus / f"{name}.jsonl").read_text(encoding="utf-8").split("\n"):
        if line.strip():
            record = json.loads(line)
            if record.get("split") == "dev":
                gold[record["id"]] = record["main_text"]
    first, second = [], []
    for pid, rows in pages_of(binary, str(corpus / f"{name}.jsonl"), ["--split", "dev"], None).items():
        X, _ = features(rows)
        first.append((gold[pid], extract(rows, [r[0]["label"] == "editorial" for r in rows])))
        second.append((gold[pid], extract(rows, [q >= 0.5 for q in model.predict_proba(scaler.transform(X))[:, 1]])))
    return first, second


def probe_all(binary: str, cv: Path, corpus: Path, work: Path) -> None:
    folds = all_corpora(binary, cv, corpus, work)
    by_source: dict = collections.defaultdict(lambda: ([], []))
    for k, fold in enumerate(folds):
        scaler, model = fit([x for j, f in enumerate(folds) if j != k for page in f for x in page[2]],
                            [v for j, f in enumerate(folds) if j != k for page in f for v in page[3]])
        for _, rows, X, _, g, source in fold:
            by_source[source][0].append((g, extract(rows, [r[0]["label"] == "editorial" for r in rows])))
            by_source[source][1].append((g, extract(rows, [q >= 0.5 for q in model.predict_proba(scaler.transform(X))[:, 1]])))
    for source, (first, second) in by_source.items():
        report(f"{source} train, out-of-fold first stage", first)
        report(f"{source} train, + second stage (all corpora)", second)
    scaler, model = fit([x for f in folds for page in f for x in page[2]], [v for f in folds for page in f for v in page[3]])
    for name in ("cleaneval", "googletrends"):
        first, second = dev_pairs(binary, corpus, name, scaler, model)
        report(f"{name} dev, default model", first)
        report(f"{name} dev, + second stage (all corpora)", second)


def probe_zyte(binary: str, cv: Path, corpus: Path) -> None:
    folds = []
    for k in range(5):
        held = cv / f"heldout_{k}.jsonl"
        gold = {json.loads(l)["id"]: json.loads(l)["main_text"] for l in held.read_text(encoding="utf-8").split("\n") if l.strip()}
        pages = pages_of(binary, str(held), ["--allow-outside"], str(cv / f"model_{k}.json"))
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
        first, second = dev_pairs(binary, corpus, name, scaler, model)
        report(f"{name} dev, default model", first)
        report(f"{name} dev, + second stage trained on zyte", second)


if __name__ == "__main__":
    sys.exit(main())
