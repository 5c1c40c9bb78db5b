#!/usr/bin/env python3
"""Compare Thresher's trainer with scikit-learn on the same feature matrix.

Run through ``Scripts/bench-train`` (it prepares the venv with scikit-learn).

    bench_train.py [CORPUS] [--thresher PATH] [--c C] [--json FILE] [--keep DIR]
                   [--train-svm FILE] [--dev-svm FILE] [--model FILE]

Steps (DATA = CORPUS/zyte.jsonl CORPUS/cleaneval.jsonl CORPUS/googletrends.jsonl):
  1. thresher features DATA --split train --out train.svm
  2. thresher train DATA --split train --out model.json --c C --class-weight none
     --source-weight none --no-smoothing --region-folds 0 --tolerance 1e-6   (timed; the same problem as below)
  3. thresher features DATA --split dev --model model.json --out dev.svm
     (dev rows standardised with the TRAIN statistics stored in the model)
  4. scikit-learn LogisticRegression(C=C, solver="lbfgs", max_iter=1000, tol=1e-6)
     on train.svm (timed: fit only).
Both minimise  0.5 * ||W||^2 + C * sum_i logloss_i  (multinomial softmax with one
weight row per class, intercepts not penalised).  Reported: both objectives and
their relative difference (Thresher's read from ``training.objective`` and also
recomputed here from its weights on train.svm), train/dev mean log-loss and
accuracy for both, wall times and their ratio.

svmlight contract: comment lines starting with '#' at the top, among them
``# classes: name0 name1 ...`` (class names in index order) and
``# features: N``; then ``CLASSINDEX idx:val ...`` with 1-based feature indices
and 0-based class indices.

--train-svm/--dev-svm/--model use existing files instead of running Thresher
(any of them; e.g. --train-svm alone runs the scikit-learn half only).

Notes on comparability:
  * classes absent from the training rows: their optimal intercept is -infinity,
    so the infimum of the objective is that of the problem restricted to the present
    classes, which is what scikit-learn solves (it only knows the present labels).
  * with exactly two present classes scikit-learn fits a binary model (one weight
    vector d); the symmetric two-row softmax optimum is W = (-d/2, d/2), i.e. the
    binary problem with C' = 2C and objective / 2.  This script does that mapping.
"""

from __future__ import annotations

import argparse
import json
import math
import shutil
import subprocess
import sys
import tempfile
import time
import warnings
from pathlib import Path
from typing import Dict, List, Optional, Tuple

import numpy as np

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
DATASETS = ["zyte", "cleaneval", "googletrends"]


# ---------------------------------------------------------------- svmlight

def read_header(path: Path) -> Dict[str, str]:
    """Leading '# key: value' comment lines."""
    header: Dict[str, str] = {}
    with path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            s = line.strip()
            if not s:
                continue
            if not s.startswith("#"):
                break
            body = s.lstrip("#").strip()
            if ":" in body:
                k, v = body.split(":", 1)
                header[k.strip().lower()] = v.strip()
    return header


def load_svm(path: Path, n_features: Optional[int] = None) -> Tuple[np.ndarray, np.ndarray, dict]:
    from sklearn.datasets import load_svmlight_file

    header = read_header(path)
    if n_features is None and "features" in header:
        n_features = int(header["features"].split()[0])
    X, y = load_svmlight_file(str(path), n_features=n_features, zero_based=False, dtype=np.float64)
    y = y.astype(np.int64)
    # standardised features are dense: a dense array is faster for both fits
    if X.shape[1] <= 5000 and X.nnz > 0.2 * X.shape[0] * X.shape[1]:
        X = X.toarray()
    classes = header.get("classes", "").split()
    return X, y, {"header": header, "classes": classes, "n_features": X.shape[1]}


# ---------------------------------------------------------------- model maths

def softmax_logloss(X, y: np.ndarray, W: np.ndarray, b: np.ndarray) -> Tuple[float, float, float]:
    """(sum logloss, mean logloss, accuracy) of softmax(X W^T + b)."""
    if len(y) == 0:
        return 0.0, float("nan"), float("nan")
    Z = np.asarray(X @ W.T) + b
    Z -= Z.max(axis=1, keepdims=True)
    lse = np.log(np.exp(Z).sum(axis=1))
    ok = (y >= 0) & (y < W.shape[0])
    ll = np.full(len(y), np.inf)
    ll[ok] = lse[ok] - Z[np.flatnonzero(ok), y[ok]]
    total = float(ll.sum())
    acc = float((Z.argmax(axis=1) == y).mean())
    return total, total / len(y), acc


def proba_logloss(P: np.ndarray, cols: List[int], y: np.ndarray, eps: float = 1e-15) -> Tuple[float, float]:
    """(mean logloss, accuracy) for probabilities P whose columns are class indices `cols`."""
    if len(y) == 0:
        return float("nan"), float("nan")
    col_of = {c: j for j, c in enumerate(cols)}
    p = np.array([P[i, col_of[c]] if c in col_of else 0.0 for i, c in enumerate(y)])
    ll = -np.log(np.clip(p, eps, 1.0))
    pred = np.array(cols)[P.argmax(axis=1)]
    return float(ll.mean()), float((pred == y).mean())


def _find(obj, names):
    """First value under one of `names`, searching obj and nested dicts breadth-first."""
    queue = [obj]
    while queue:
        cur = queue.pop(0)
        if isinstance(cur, dict):
            for n in names:
                if n in cur:
                    return cur[n]
            queue.extend(v for v in cur.values() if isinstance(v, dict))
    return None


def load_thresher_model(path: Path, n_features: int) -> dict:
    model = json.loads(path.read_text(encoding="utf-8"))
    W = _find(model, ["weights", "coef", "W", "weight"])
    b = _find(model, ["bias", "biases", "intercept", "intercepts", "b"])
    training = model.get("training", {}) if isinstance(model, dict) else {}
    classes = _find(model, ["classes", "class_names", "labels"])
    out = {"raw_training": training, "classes": classes if isinstance(classes, list) else None}
    if W is not None:
        W = np.asarray(W, dtype=np.float64)
        if W.ndim == 1:
            if W.size % n_features:
                raise ValueError(f"weights has {W.size} values, not a multiple of {n_features} features")
            W = W.reshape(-1, n_features)
        if W.shape[1] != n_features:
            raise ValueError(f"weights are {W.shape}, train.svm has {n_features} features")
        b = np.zeros(W.shape[0]) if b is None else np.asarray(b, dtype=np.float64).reshape(-1)
        out["W"], out["b"] = W, b
    return out


# ---------------------------------------------------------------- sklearn

def fit_sklearn(X, y: np.ndarray, C: float, max_iter: int, tol: float) -> dict:
    from sklearn.exceptions import ConvergenceWarning
    from sklearn.linear_model import LogisticRegression

    present = sorted(set(int(v) for v in y))
    binary = len(present) == 2
    clf = LogisticRegression(C=(2 * C if binary else C), solver="lbfgs", max_iter=max_iter, tol=tol)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always", ConvergenceWarning)
        t0 = time.perf_counter()
        clf.fit(X, y)
        seconds = time.perf_counter() - t0
    converged = not any(issubclass(w.category, ConvergenceWarning) for w in caught)
    cols = [int(c) for c in clf.classes_]
    if binary:
        d, d0 = clf.coef_[0], clf.intercept_[0]
        W = np.vstack([-d / 2, d / 2])
        b = np.array([-d0 / 2, d0 / 2])
    else:
        W, b = clf.coef_, clf.intercept_
    total, mean, acc = softmax_logloss(X, np.searchsorted(np.array(cols), y), W, b)
    objective = 0.5 * float((W ** 2).sum()) + C * total
    return {"clf": clf, "cols": cols, "W": W, "b": b, "seconds": seconds, "objective": objective,
            "train_logloss": mean, "train_accuracy": acc, "iterations": int(np.max(clf.n_iter_)),
            "converged": converged, "binary_mapping": binary}


# ---------------------------------------------------------------- thresher

def run(cmd: List[str], what: str) -> Tuple[bool, float, str]:
    print("$ " + " ".join(cmd), flush=True)
    t0 = time.perf_counter()
    try:
        proc = subprocess.run(cmd, stdout=subprocess.PIPE, stderr=subprocess.STDOUT, timeout=3600)
    except (OSError, subprocess.TimeoutExpired) as e:
        return False, time.perf_counter() - t0, f"{what}: {type(e).__name__}: {e}"
    wall = time.perf_counter() - t0
    out = proc.stdout.decode("utf-8", "replace")
    if proc.returncode != 0:
        return False, wall, f"{what}: exit {proc.returncode}: {out.strip()[-2000:]}"
    return True, wall, out


def fmt(x, spec=".6g") -> str:
    if x is None or (isinstance(x, float) and math.isnan(x)):
        return "-"
    return format(x, spec)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"))
    ap.add_argument("--thresher", default=str(REPO / ".build" / "release" / "thresher"))
    ap.add_argument("--c", type=float, default=0.01, help="C of 0.5||W||^2 + C sum logloss (default 0.01)")
    ap.add_argument("--max-iter", type=int, default=1000)
    ap.add_argument("--tol", type=float, default=1e-6)
    ap.add_argument("--json", help="write all figures to this JSON file")
    ap.add_argument("--keep", help="keep train.svm/dev.svm/model.json in this folder")
    ap.add_argument("--train-svm", help="use this train matrix instead of running thresher features")
    ap.add_argument("--dev-svm", help="use this dev matrix instead of running thresher features")
    ap.add_argument("--model", help="use this Thresher model instead of running thresher train")
    args = ap.parse_args(argv)

    corpus = Path(args.corpus).resolve()
    binary = Path(args.thresher).resolve()
    data = [str(corpus / f"{ds}.jsonl") for ds in DATASETS]
    C = args.c
    work = Path(args.keep).resolve() if args.keep else Path(tempfile.mkdtemp(prefix="thresher-bench-train-"))
    work.mkdir(parents=True, exist_ok=True)
    train_svm = Path(args.train_svm).resolve() if args.train_svm else work / "train.svm"
    dev_svm = Path(args.dev_svm).resolve() if args.dev_svm else work / "dev.svm"
    model_path = Path(args.model).resolve() if args.model else work / "model.json"
    have_binary = binary.exists()
    report: dict = {"C": C, "corpus": str(corpus), "thresher_binary": str(binary), "errors": []}
    if not have_binary and not args.train_svm:
        print(f"Thresher binary not found at {binary}; build it, or pass --train-svm for the sklearn half.")
        return 2
    if not have_binary:
        print(f"note: Thresher binary not found at {binary}; using the given files only")

    # Each Thresher step runs unless its output was given on the command line.
    try:
        # 1. train features
        if not args.train_svm:
            ok, wall, out = run([str(binary), "features", *data, "--split", "train", "--out", str(train_svm)],
                                "thresher features (train)")
            if not ok:
                print(out)
                return 1
            report["features_train_seconds"] = wall
        # 2. thresher train (timed)
        if not args.model and have_binary:
            ok, wall, out = run([str(binary), "train", *data, "--split", "train", "--out", str(model_path),
                                 "--c", repr(C), "--class-weight", "none", "--source-weight", "none",
                                 "--no-smoothing", "--region-folds", "0", "--tolerance", "1e-6"], "thresher train")
            report["thresher_train_wall_seconds"] = wall
            if not ok:
                print(out)
                report["errors"].append(out)
        # 3. dev features with the train standardisation
        if not args.dev_svm and have_binary and model_path.exists():
            ok, wall, out = run([str(binary), "features", *data, "--split", "dev", "--model", str(model_path),
                                 "--out", str(dev_svm)], "thresher features (dev)")
            if not ok:
                print(out)
                report["errors"].append(out)

        # 4. load
        Xtr, ytr, meta = load_svm(train_svm)
        nf = meta["n_features"]
        classes = meta["classes"]
        have_dev = dev_svm.exists()
        if have_dev:
            Xdv, ydv, _ = load_svm(dev_svm, n_features=nf)
        else:
            Xdv, ydv = None, np.zeros(0, dtype=np.int64)
        counts = {(classes[c] if 0 <= c < len(classes) else str(c)): int((ytr == c).sum()) for c in sorted(set(ytr))}
        print(f"\ntrain: {Xtr.shape[0]} rows x {nf} features; classes {counts}"
              + (f"; dev: {Xdv.shape[0]} rows" if have_dev else "; no dev matrix"))
        report.update({"train_rows": int(Xtr.shape[0]), "features": nf, "classes": classes,
                       "train_class_counts": counts, "dev_rows": int(Xdv.shape[0]) if have_dev else 0})

        # 5. sklearn
        sk = fit_sklearn(Xtr, ytr, C, args.max_iter, args.tol)
        sk_dev_ll = sk_dev_acc = None
        if have_dev:
            sk_dev_ll, sk_dev_acc = proba_logloss(sk["clf"].predict_proba(Xdv), sk["cols"], ydv)
        report["sklearn"] = {"objective": sk["objective"], "seconds": sk["seconds"], "iterations": sk["iterations"],
                             "converged": sk["converged"], "train_logloss": sk["train_logloss"],
                             "train_accuracy": sk["train_accuracy"], "dev_logloss": sk_dev_ll,
                             "dev_accuracy": sk_dev_acc, "binary_mapping": sk["binary_mapping"]}

        # 6. thresher model
        th = None
        if model_path.exists():
            m = load_thresher_model(model_path, nf)
            tr = m["raw_training"]
            th = {"objective": tr.get("objective"), "seconds": tr.get("seconds"),
                  "iterations": tr.get("iterations"), "wall_seconds": report.get("thresher_train_wall_seconds")}
            if "W" in m:
                W, b = m["W"], m["b"]
                total, mean, acc = softmax_logloss(Xtr, ytr, W, b)
                th["objective_recomputed"] = 0.5 * float((W ** 2).sum()) + C * total
                th["train_logloss"], th["train_accuracy"] = mean, acc
                if have_dev:
                    _, th["dev_logloss"], th["dev_accuracy"] = softmax_logloss(Xdv, ydv, W, b)
                if m["classes"] and classes and list(m["classes"]) != classes:
                    print(f"warning: model classes {m['classes']} != svm classes {classes}")
            else:
                print("warning: no weights/bias found in the model JSON; dev log-loss for Thresher not computed")
            report["thresher"] = th
    finally:
        if not args.keep:
            shutil.rmtree(work, ignore_errors=True)

    # ---- report
    print(f"\n== Training: multinomial logistic regression, C = {C} "
          "(0.5*||W||^2 + C*sum logloss, intercept unpenalised) ==")
    rows = [("", "scikit-learn", "thresher")]
    def g(d, k):
        return d.get(k) if d else None
    rows.append(("objective", fmt(sk["objective"], ".8g"), fmt(g(th, "objective"), ".8g")))
    rows.append(("objective (recomputed)", fmt(sk["objective"], ".8g"), fmt(g(th, "objective_recomputed"), ".8g")))
    rows.append(("train log-loss (mean)", fmt(sk["train_logloss"]), fmt(g(th, "train_logloss"))))
    rows.append(("train accuracy", fmt(sk["train_accuracy"], ".4f"), fmt(g(th, "train_accuracy"), ".4f")))
    rows.append(("dev log-loss (mean)", fmt(sk_dev_ll), fmt(g(th, "dev_logloss"))))
    rows.append(("dev accuracy", fmt(sk_dev_acc, ".4f"), fmt(g(th, "dev_accuracy"), ".4f")))
    rows.append(("iterations", str(sk["iterations"]) + ("" if sk["converged"] else " (not converged)"),
                 fmt(g(th, "iterations"), "")))
    rows.append(("optimiser seconds", fmt(sk["seconds"], ".3f"), fmt(g(th, "seconds"), ".3f")))
    rows.append(("whole command seconds", "-", fmt(g(th, "wall_seconds"), ".3f")))
    w0 = max(len(r[0]) for r in rows) + 2
    for r in rows:
        print(r[0].ljust(w0) + r[1].rjust(18) + r[2].rjust(18))
    if sk["binary_mapping"]:
        print("  (two classes present: sklearn binary fit with C'=2C, mapped to the symmetric softmax)")
    summary = {}
    if th and isinstance(th.get("objective"), (int, float)):
        rel = (th["objective"] - sk["objective"]) / abs(sk["objective"])
        summary["objective_rel_diff"] = rel
        print(f"relative objective difference (thresher - sklearn) / sklearn = {rel:+.3e}")
    if th and isinstance(th.get("objective_recomputed"), float):
        rel = (th["objective_recomputed"] - sk["objective"]) / abs(sk["objective"])
        summary["objective_recomputed_rel_diff"] = rel
        print(f"relative difference, Thresher objective recomputed on train.svm = {rel:+.3e}")
    if th and isinstance(th.get("seconds"), (int, float)) and sk["seconds"] > 0:
        summary["seconds_ratio"] = th["seconds"] / sk["seconds"]
        print(f"time ratio thresher optimiser / sklearn fit = {summary['seconds_ratio']:.2f}")
    if th and isinstance(th.get("dev_logloss"), float) and sk_dev_ll is not None:
        summary["dev_logloss_diff"] = th["dev_logloss"] - sk_dev_ll
    report["summary"] = summary
    if args.json:
        Path(args.json).write_text(json.dumps(report, indent=2, sort_keys=True, default=float) + "\n")
        print(f"wrote {args.json}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
