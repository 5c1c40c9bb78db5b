"""Running the extractors: peer texts (with the on-disk cache) and the Thresher binary."""

from __future__ import annotations

import json
import subprocess
import time
from pathlib import Path
from typing import Dict, Optional, Sequence, Tuple

from peers_common import PageKey, log, problem
from peers_extractors import Extractor, peer_version
from peers_inputs import Page
from peers_metric import score_column


# ---------------------------------------------------------------- peer texts and cache

class PeerCache:
    """Per-page peer output on disk: DIR/<tool>/<version>/<corpus>.jsonl (append-only)."""

    def __init__(self, root: Path):
        self.root = root
        self.loaded: Dict[Tuple[str, str, str], Dict[str, dict]] = {}

    def _path(self, tool: str, version: str, corpus: str) -> Path:
        return self.root / tool / version / f"{corpus}.jsonl"

    def entries(self, tool: str, version: str, corpus: str) -> Dict[str, dict]:
        """id -> cached entry for one tool version and corpus (last line wins; bad lines skipped)."""
        key = (tool, version, corpus)
        if key not in self.loaded:
            found: Dict[str, dict] = {}
            path = self._path(tool, version, corpus)
            if path.exists():
                with path.open(encoding="utf-8") as f:
                    for line in f:
                        try:
                            entry = json.loads(line)
                            found[str(entry["id"])] = entry
                        except (ValueError, KeyError, TypeError):
                            continue  # e.g. a line cut short by an interrupted run
            self.loaded[key] = found
        return self.loaded[key]

    def store(self, tool: str, version: str, page: Page, entry: dict) -> None:
        """Append one page's entry (flushed at once, so an interrupted run keeps its work)."""
        path = self._path(tool, version, page.corpus)
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a+", encoding="utf-8") as f:
            f.seek(0, 2)
            if f.tell() > 0:
                f.seek(f.tell() - 1)
                if f.read(1) != "\n":
                    f.write("\n")  # end a line an interrupted run left open
            f.write(json.dumps(entry, ensure_ascii=False) + "\n")
        self.entries(tool, version, page.corpus)[page.id] = entry


def extract_page(fn: Extractor, page: Page) -> dict:
    """Run one peer on one page: the cache entry (text, failed, seconds of the call)."""
    t0 = time.perf_counter()
    try:
        text, failed = fn(page.data, page.record.get("charset_hint")), False
    except Exception:  # noqa: BLE001 - a peer failing on a page counts as empty output
        text, failed = "", True
    seconds = time.perf_counter() - t0
    return {"id": page.id, "sha1": page.sha1, "text": text, "failed": failed, "seconds": seconds}


class PeerTexts:
    """Peer output per page, from memory, the optional disk cache, or a fresh run."""

    def __init__(self, peers: Dict[str, Extractor], cache: Optional[PeerCache]):
        self.peers = peers
        self.cache = cache
        self.version = {name: peer_version(name, fn) for name, fn in peers.items()}
        self.memory: Dict[str, Dict[PageKey, dict]] = {name: {} for name in peers}

    def _cached(self, tool: str, page: Page) -> Optional[dict]:
        entry = self.memory[tool].get(page.key)
        if entry is None and self.cache is not None:
            entry = self.cache.entries(tool, self.version[tool], page.corpus).get(page.id)
        if entry is not None and entry.get("sha1") == page.sha1:
            return entry
        return None

    def _remember(self, tool: str, page: Page, entry: dict) -> None:
        self.memory[tool][page.key] = entry
        if self.cache is not None:
            self.cache.store(tool, self.version[tool], page, entry)

    def get(self, tool: str, pages: Sequence[Page]) -> Tuple[Dict[PageKey, dict], int]:
        """Entries of ``tool`` for ``pages``, running it where needed; also the number run now."""
        out: Dict[PageKey, dict] = {}
        computed = 0
        for page in pages:
            entry = self._cached(tool, page)
            if entry is None:
                entry = extract_page(self.peers[tool], page)
                self._remember(tool, page, entry)
                computed += 1
            out[page.key] = entry
        return out, computed

    def time_run(self, tool: str, pages: Sequence[Page]) -> dict:
        """Speed: run ``tool`` on every page (never from the cache); keeps the texts too."""
        seconds, failures = 0.0, 0
        for page in pages:
            entry = extract_page(self.peers[tool], page)
            seconds += entry["seconds"]
            failures += entry["failed"]
            if self._cached(tool, page) is None:
                self._remember(tool, page, entry)
        return {"seconds": seconds, "failures": failures}


def peer_quality(texts: PeerTexts, pages: Sequence[Page]) -> Dict[str, dict]:
    """Every peer on the quality pages of one corpus: scores, failures, seconds."""
    out: Dict[str, dict] = {}
    for tool in texts.peers:
        t0 = time.perf_counter()
        entries, computed = texts.get(tool, pages)
        m = score_column(pages, {k: e["text"] for k, e in entries.items()})
        m["failures"] = sum(1 for e in entries.values() if e["failed"])
        m["seconds"] = sum(e["seconds"] for e in entries.values())
        m["computed"], m["cached"] = computed, len(pages) - computed
        log(f"  {tool} on {len(pages)} {pages[0].corpus} pages: {computed} run now "
            f"({time.perf_counter() - t0:.1f}s), {len(pages) - computed} from cache; "
            f"extraction {m['seconds']:.1f}s")
        out[tool] = m
    return out


# ---------------------------------------------------------------- Thresher

def write_manifest(path: Path, pages: Sequence[Page]) -> None:
    """A temporary manifest of the pages' records (html paths are absolute)."""
    with path.open("w", encoding="utf-8") as f:
        for p in pages:
            f.write(json.dumps(p.record, ensure_ascii=False) + "\n")


def run_thresher(binary: Path, manifest: Path, jobs: Optional[int], out_path: Path) -> dict:
    """Run ``thresher extract --format jsonl`` on a manifest; texts by page id and wall time."""
    # The temporary manifest holds absolute page paths, outside its own folder.
    cmd = [str(binary), "extract", "--format", "jsonl", "--allow-outside"]
    if jobs is not None:
        cmd += ["--jobs", str(jobs)]
    cmd.append(str(manifest))
    t0 = time.perf_counter()
    try:
        with out_path.open("wb") as out:
            proc = subprocess.run(cmd, stdout=out, stderr=subprocess.PIPE, timeout=1800)
    except (OSError, subprocess.TimeoutExpired) as e:
        return {"ok": False, "error": f"{type(e).__name__}: {e}", "cmd": cmd}
    wall = time.perf_counter() - t0
    if proc.returncode != 0:
        err = proc.stderr.decode("utf-8", "replace").strip()[-2000:]
        return {"ok": False, "error": f"exit {proc.returncode}: {err}", "cmd": cmd, "seconds": wall}
    texts: Dict[str, str] = {}
    bad = 0
    with out_path.open(encoding="utf-8", errors="replace") as f:
        for line in f:
            if not line.strip():
                continue
            try:
                obj = json.loads(line)
                texts[str(obj["page"])] = obj.get("text") or ""
            except (ValueError, KeyError, TypeError):
                bad += 1
    return {"ok": True, "texts": texts, "seconds": wall, "bad_lines": bad, "cmd": cmd}


def thresher_quality(binary: Path, pages: Sequence[Page], tmpdir: Path) -> Optional[Dict[PageKey, str]]:
    """Default-model texts of the quality pages of one corpus; None (and a problem) on failure.

    Pages without an output line are problems and score as empty extractions.
    """
    corpus = pages[0].corpus
    manifest = tmpdir / f"{corpus}-quality.jsonl"
    write_manifest(manifest, pages)
    r = run_thresher(binary, manifest, None, tmpdir / f"{corpus}-quality.out.jsonl")
    if not r["ok"]:
        problem(f"thresher failed on {corpus}: {' '.join(r['cmd'])}\n  {r['error']}")
        return None
    if r["bad_lines"]:
        problem(f"thresher wrote {r['bad_lines']} unreadable line(s) on {corpus}")
    missing = [p.id for p in pages if p.id not in r["texts"]]
    if missing:
        problem(f"thresher output has no line for {len(missing)} {corpus} page(s): {', '.join(missing[:10])}")
    log(f"  ran thresher on {len(pages)} {corpus} pages in {r['seconds']:.1f}s")
    return {p.key: r["texts"].get(p.id, "") for p in pages}


def thresher_speed(binary: Path, pages: Sequence[Page], repeat: int, tmpdir: Path) -> Dict[str, dict]:
    """Whole-command timings of ``thresher extract`` over the speed pages, --jobs 1 and 2."""
    manifest = tmpdir / "speed.jsonl"
    write_manifest(manifest, pages)
    mb = sum(len(p.data) for p in pages) / 1e6
    speed: Dict[str, dict] = {}
    for jobs in (1, 2):
        best = None
        for _ in range(max(1, repeat)):
            r = run_thresher(binary, manifest, jobs, tmpdir / "speed.out.jsonl")
            if not r["ok"]:
                best = r
                break
            if best is None or r["seconds"] < best["seconds"]:
                best = r
        key = f"thresher-jobs{jobs}"
        if not best["ok"]:
            problem(f"thresher speed run failed: {' '.join(best['cmd'])}\n  {best['error']}")
            continue
        speed[key] = {"pages": len(pages), "mb": mb, "seconds": best["seconds"],
                      "output_lines": len(best["texts"]), "whole_command": True}
        if len(best["texts"]) < len(pages):
            problem(f"{key} wrote {len(best['texts'])} page lines for {len(pages)} pages")
    return speed
