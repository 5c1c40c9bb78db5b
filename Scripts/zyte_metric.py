"""Token-shingle metric of the Zyte article-extraction benchmark.

Reproduces ``evaluate.py`` of scrapinghub/article-extraction-benchmark
(commit 7d95432dc2320c068b1e53072c64e8c13cf096cb), functions ``_tokenize``,
``_ngrams``, ``string_shingle_matching``, ``precision_score``,
``recall_score``, ``metrics_from_tp_fp_fns`` and ``get_accuracy``:

* Tokens: ``re.compile(r'\\w+', re.UNICODE | re.MULTILINE | re.IGNORECASE |
  re.DOTALL).findall(text or '')``.  IGNORECASE does not fold the tokens:
  comparison is case-sensitive.  ``\\w`` is Python's Unicode word class
  (characters with ``str.isalnum()`` true, plus ``_``; combining marks such as
  U+0301 or Devanagari vowel signs are NOT word characters and split tokens).
  No Unicode normalisation is applied.
* Shingles: for ``i in range(0, max(1, len(tokens) - 4 + 1))`` take
  ``tuple(tokens[i:i+4])`` and keep it if non-empty.  So a text of 1..3
  tokens gives exactly ONE shingle (all its tokens); a text of 0 tokens gives
  no shingle; a text of n >= 4 tokens gives n-3 shingles.
* Counting is over MULTISETS (``collections.Counter``):
  tp = sum min(true_count, pred_count), fp = sum max(0, pred - true),
  fn = sum max(0, true - pred), over the union of shingles.
* Per page (tp, fp, fn) is divided by s = tp + fp + fn when s > 0 (this does not
  change the per-page precision or recall, it only mattered for their
  bootstrap); when both texts have no tokens it stays (0, 0, 0).
* Per-page precision: 1 if fp == fn == 0; else 0 if tp == fp == 0; else
  tp / (tp + fp).  Recall likewise with fn in place of fp.
* Corpus precision = arithmetic mean of the per-page precisions over the pages
  with tp + fp > 0 only (pages whose prediction has no tokens are LEFT OUT of
  the precision mean); corpus recall = mean of per-page recalls over the pages
  with tp + fn > 0 only (pages whose gold has no tokens are left out).
  Consequences: both empty -> page ignored by both means; prediction empty,
  gold not -> recall 0, no precision; gold empty, prediction not ->
  precision 0, no recall.
* F1 = 2 * P * R / (P + R) of the two MEANS (not a mean of per-page F1s).
* Accuracy (reported by evaluate.py too): mean over all pages of
  ``float(tokens(true) == tokens(pred))``.

Where evaluate.py would raise (an empty mean, or P + R == 0), this module
returns ``None`` for the mean and 0.0 for F1 instead.
"""

from __future__ import annotations

import re
from collections import Counter
from typing import Dict, Iterable, List, Optional, Sequence, Tuple

NGRAM_N = 4

_TOKEN_RE = re.compile(r'\w+', re.UNICODE | re.MULTILINE | re.IGNORECASE | re.DOTALL)

TpFpFn = Tuple[float, float, float]


def tokenize(text: Optional[str]) -> List[str]:
    return _TOKEN_RE.findall(text or '')


def ngrams(text: Optional[str], n: int = NGRAM_N) -> List[Tuple[str, ...]]:
    tokens = tokenize(text)
    result = []
    for i in range(0, max(1, len(tokens) - n + 1)):
        shingle = tuple(tokens[i:i + n])
        if shingle:
            result.append(shingle)
    return result


def shingle_matching(true: Optional[str], pred: Optional[str], n: int = NGRAM_N) -> TpFpFn:
    """Normalised (tp, fp, fn) of one page, as string_shingle_matching."""
    true_sh = Counter(ngrams(true, n))
    pred_sh = Counter(ngrams(pred, n))
    tp = fp = fn = 0.0
    for key in set(true_sh) | set(pred_sh):
        t = true_sh.get(key, 0)
        p = pred_sh.get(key, 0)
        tp += min(t, p)
        fp += max(0, p - t)
        fn += max(0, t - p)
    s = tp + fp + fn
    if s > 0:
        return (tp / s, fp / s, fn / s)
    return (tp, fp, fn)


def precision_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fp == 0:
        return 0.0
    return tp / (tp + fp)


def recall_score(tp: float, fp: float, fn: float) -> float:
    if fp == fn == 0:
        return 1.0
    if tp == fn == 0:
        return 0.0
    return tp / (tp + fn)


def precision_recall(tp: float, fp: float, fn: float) -> Tuple[Optional[float], Optional[float]]:
    """(precision, recall) of one page's (tp, fp, fn); None where the page is left out of that mean."""
    p = precision_score(tp, fp, fn) if tp + fp > 0 else None
    r = recall_score(tp, fp, fn) if tp + fn > 0 else None
    return p, r


def page_scores(true: Optional[str], pred: Optional[str]) -> Tuple[Optional[float], Optional[float]]:
    """(precision, recall) of one page; None where the page is left out of that mean."""
    return precision_recall(*shingle_matching(true, pred))


def f1_score(precision: Optional[float], recall: Optional[float]) -> float:
    """2PR / (P + R); 0.0 where evaluate.py would raise (a mean missing, or P + R == 0)."""
    if precision is None or recall is None or precision + recall == 0:
        return 0.0
    return 2 * precision * recall / (precision + recall)


def _mean(xs: Sequence[float]) -> Optional[float]:
    return sum(xs) / len(xs) if xs else None


def metrics_from_tp_fp_fns(tp_fp_fns: Iterable[TpFpFn]) -> Dict[str, Optional[float]]:
    tp_fp_fns = list(tp_fp_fns)
    precision = _mean([precision_score(*x) for x in tp_fp_fns if x[0] + x[1] > 0])
    recall = _mean([recall_score(*x) for x in tp_fp_fns if x[0] + x[2] > 0])
    return {'precision': precision, 'recall': recall, 'f1': f1_score(precision, recall)}


def accuracy(true: Optional[str], pred: Optional[str]) -> float:
    return float(tokenize(true) == tokenize(pred))


def evaluate(pairs: Iterable[Tuple[Optional[str], Optional[str]]]) -> Dict[str, Optional[float]]:
    """pairs = (true, pred) per page.  Returns precision, recall, f1, accuracy, pages."""
    pairs = list(pairs)
    m = metrics_from_tp_fp_fns(shingle_matching(t, p) for t, p in pairs)
    m['accuracy'] = _mean([accuracy(t, p) for t, p in pairs])
    m['pages'] = len(pairs)
    return m


# Hand-made cases: (true, pred, expected page precision, expected page recall).
TEST_CASES = [
    # 6 tokens -> 3 shingles each; pred drops the last token -> 2 shingles, both correct.
    ("The quick brown fox jumps over", "The quick brown fox jumps", 1.0, 2 / 3),
    # fewer than 4 tokens: one shingle each, ('a','b','c') vs ('a','b','c','d') differ.
    ("a b c", "a b c d", 0.0, 0.0),
    # case-sensitive, punctuation ignored.
    ("Hello, world! It is fine.", "hello world it is fine", 0.0, 0.0),
    ("Hello, world! It is fine.", "Hello world -- It is fine", 1.0, 1.0),
    # shingles run across paragraph breaks: 8 tokens -> 5 shingles, 1 correct.
    ("x y z w", "x y z w\n\nx y z w", 0.2, 1.0),
    # multiset, not set: gold has shingle (a,b,c,d) twice among its 5 -> recall 1/5
    # (a set would give 1/4).
    ("a b c d a b c d", "a b c d", 1.0, 0.2),
    # empty prediction: recall 0, page left out of the precision mean.
    ("one two three four five", "", None, 0.0),
    # empty gold: precision 0, page left out of the recall mean.
    ("", "one two three four five", 0.0, None),
    # both empty (no \w tokens): left out of both means.
    ("", "-- !!", None, None),
]


def _self_test() -> None:
    for true, pred, ep, er in TEST_CASES:
        p, r = page_scores(true, pred)
        for got, exp in ((p, ep), (r, er)):
            assert (got is None and exp is None) or (got is not None and exp is not None and abs(got - exp) < 1e-12), \
                (true, pred, p, r, ep, er)
    m = evaluate([(t, p) for t, p, _, _ in TEST_CASES])
    # precisions present: 1, 0, 0, 1, 0.2, 1, 0 -> 3.2/7
    # recalls present: 2/3, 0, 0, 1, 1, 0.2, 0 -> (2/3 + 2.2)/7
    p, r = 3.2 / 7, (2 / 3 + 2.2) / 7
    assert abs(m['precision'] - p) < 1e-12, m
    assert abs(m['recall'] - r) < 1e-12, m
    assert abs(m['f1'] - 2 * p * r / (p + r)) < 1e-12, m
    print('zyte_metric self-test ok:', m)


if __name__ == '__main__':
    _self_test()
