"""Settings and the problem log shared by the compare_peers modules."""

from __future__ import annotations

import sys
from typing import List, Tuple

CORPORA = ["cleaneval", "googletrends", "zyte", "dragnet"]
QUALITY_SPLIT = {"cleaneval": "dev", "googletrends": "dev", "zyte": None, "dragnet": None}  # None = all
THRESHER_CORPORA = ["cleaneval", "googletrends"]  # where the default model has not trained
SPEED_CORPORA = ["cleaneval", "googletrends", "zyte"]  # the recorded speed set
PEERS = ["trafilatura", "trafilatura-prec", "justext", "readability", "resiliparse"]
SPEED_PEERS = ["trafilatura", "resiliparse"]
REFERENCES = ["trafilatura", "readability"]  # bootstrap differences are taken against these
THRESHER = "thresher"
MISFIRE_F1 = 0.5

PROBLEMS: List[str] = []

PageKey = Tuple[str, str]  # (corpus, page id)


def problem(msg: str) -> None:
    """Record a problem; the run ends with exit status 1 when there is any."""
    PROBLEMS.append(msg)
    print("PROBLEM: " + msg, file=sys.stderr, flush=True)


def log(msg: str) -> None:
    """Progress line on stderr."""
    print(msg, file=sys.stderr, flush=True)
