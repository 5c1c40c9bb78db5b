"""Scoring of compare_peers columns: Zyte token metric, misfires, paired bootstrap."""

from __future__ import annotations

import random
from typing import Dict, List, Optional, Sequence, Tuple

import zyte_metric
from peers_common import MISFIRE_F1, REFERENCES, PageKey
from peers_inputs import Page


def page_f1(precision: Optional[float], recall: Optional[float]) -> Optional[float]:
    """Page token F1: None when the gold has no token, 0 when the extraction has none."""
    return None if recall is None else zyte_metric.f1_score(precision, recall)


def score_column(pages: Sequence[Page], texts: Dict[PageKey, str]) -> dict:
    """Corpus figures of one column: zyte metric, misfires and per-page P/R/F1.

    Same figures as zyte_metric.evaluate, with each page's shingles matched only once.
    """
    triples, accuracies, misfires = [], [], []
    per_page: Dict[str, List[Optional[float]]] = {}
    for p in pages:
        text = texts.get(p.key, "")
        tp, fp, fn = zyte_metric.shingle_matching(p.gold, text)
        prec, rec = zyte_metric.precision_recall(tp, fp, fn)
        f1 = page_f1(prec, rec)
        triples.append((tp, fp, fn))
        accuracies.append(zyte_metric.accuracy(p.gold, text))
        per_page[p.id] = [prec, rec, f1]
        if f1 is not None and f1 < MISFIRE_F1:
            misfires.append(p.id)
    m = zyte_metric.metrics_from_tp_fp_fns(triples)
    return {"precision": m["precision"], "recall": m["recall"], "f1": m["f1"],
            "accuracy": sum(accuracies) / len(accuracies) if accuracies else None, "pages": len(pages),
            "misfires": len(misfires), "misfire_ids": misfires, "page_scores": per_page}


def corpus_f1(per_page: Sequence[Tuple[Optional[float], Optional[float]]], sample: Sequence[int]) -> float:
    """F1 of the mean precision and mean recall over the sampled pages (zyte_metric's rule)."""
    ps = [per_page[i][0] for i in sample if per_page[i][0] is not None]
    rs = [per_page[i][1] for i in sample if per_page[i][1] is not None]
    return zyte_metric.f1_score(sum(ps) / len(ps) if ps else None, sum(rs) / len(rs) if rs else None)


def bootstrap_samples(n: int, resamples: int, seed: str) -> List[List[int]]:
    """``resamples`` lists of n page indices drawn with replacement, from a fixed seed."""
    rng = random.Random(seed)
    return [rng.choices(range(n), k=n) for _ in range(resamples)]


def quantile(sorted_xs: Sequence[float], q: float) -> float:
    """Quantile with linear interpolation between order statistics (numpy's default)."""
    pos = q * (len(sorted_xs) - 1)
    lo = int(pos)
    hi = min(lo + 1, len(sorted_xs) - 1)
    return sorted_xs[lo] + (sorted_xs[hi] - sorted_xs[lo]) * (pos - lo)


def bootstrap_differences(page_ids: Sequence[str], scores: Dict[str, dict], columns: Sequence[str],
                          resamples: int, seed: str,
                          references: Sequence[str] = REFERENCES) -> Dict[str, Dict[str, dict]]:
    """column -> reference -> F1 difference and its 95% percentile interval (paired by page)."""
    if not page_ids or resamples < 1:
        return {}
    samples = bootstrap_samples(len(page_ids), resamples, seed)
    full = list(range(len(page_ids)))
    per_page = {t: [tuple(scores[t]["page_scores"][i][:2]) for i in page_ids]
                for t in set(columns) | set(references) if t in scores}
    f1s = {t: [corpus_f1(pp, s) for s in samples] for t, pp in per_page.items()}
    out: Dict[str, Dict[str, dict]] = {}
    for col in columns:
        for ref in references:
            if col == ref or col not in per_page or ref not in per_page:
                continue
            diffs = sorted(a - b for a, b in zip(f1s[col], f1s[ref]))
            out.setdefault(col, {})[ref] = {
                "diff": corpus_f1(per_page[col], full) - corpus_f1(per_page[ref], full),
                "lo": quantile(diffs, 0.025), "hi": quantile(diffs, 0.975),
            }
    return out
