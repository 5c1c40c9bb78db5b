"""Helpers shared by the cross-validation scripts: logging, problems, folds, running thresher."""

from __future__ import annotations

import argparse
import hashlib
import subprocess
import sys
import time
from pathlib import Path
from typing import Dict, List, Optional

PROBLEMS: List[str] = []
REPO = Path(__file__).resolve().parent.parent


def add_common_arguments(ap: argparse.ArgumentParser) -> None:
    """The arguments every cross-validation script takes: corpus, --thresher, --folds, --keep."""
    ap.add_argument("corpus", nargs="?", default=str(REPO.parent / "shared" / "corpus"),
                    help="corpus folder (default: ../shared/corpus next to the repository)")
    ap.add_argument("--thresher", default=str(REPO / ".build" / "release" / "thresher"),
                    help="thresher binary (default: .build/release/thresher in the repository)")
    ap.add_argument("--folds", type=int, default=5)
    ap.add_argument("--keep", help="work in this folder (created) and keep it, instead of a temporary one")


def problem(msg: str) -> None:
    """Record a sanity-check failure; the script ends with exit status 1 when there is any."""
    PROBLEMS.append(msg)
    print("PROBLEM: " + msg, file=sys.stderr, flush=True)


def log(msg: str) -> None:
    print(msg, file=sys.stderr, flush=True)


def fold_of(key: str, folds: int, digit: int = 0) -> int:
    """The fold of a key: base-`folds` digit `digit` of the SHA-1 of its UTF-8 bytes."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest(), 16) // folds ** digit % folds


def run(cmd: List[str], log_path: Path, stdout_path: Optional[Path] = None) -> Dict:
    """Run one thresher command; stderr (and stdout unless captured to a file) go to log_path."""
    log("  $ " + " ".join(cmd))
    t0 = time.perf_counter()
    with open(log_path, "w", encoding="utf-8") as err:
        if stdout_path is not None:
            with open(stdout_path, "wb") as out:
                rc = subprocess.call(cmd, stdout=out, stderr=err)
        else:
            rc = subprocess.call(cmd, stdout=err, stderr=subprocess.STDOUT)
    seconds = time.perf_counter() - t0
    text = log_path.read_text(encoding="utf-8", errors="replace")
    if rc != 0:
        problem(f"exit status {rc} from: {' '.join(cmd)}\n    log {log_path}:\n"
                + "\n".join("    | " + l for l in text.strip().splitlines()[-15:]))
    return {"rc": rc, "seconds": seconds, "log": text}


def fmt(x: Optional[float]) -> str:
    return "  -   " if x is None else f"{x:.4f}"
