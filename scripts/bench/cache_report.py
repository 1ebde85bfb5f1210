"""Reads the runs of scripts/bench/cache.sh and writes its tables: cache.md (printed too) and cache.csv (per trial).

Usage: python3 cache_report.py WORK CONFIGS "PER_CLASS TRIALS EPOCHS SIZE" OUT.md OUT.csv
WORK holds one folder per run, <model>-d<depth>-<off|auto>, each with the study's console.log, trials.json
(thaw trials --json), time.txt (/usr/bin/time -v), wall (seconds), exit (the run's exit code) and cache-bytes.
"""
import csv
import datetime
import json
import os
import re
import subprocess
import sys

MODES = ("off", "auto")


def read(path, default=None):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read()
    except OSError:
        return default


def run_figures(folder):
    """What one run left in its folder: exit code, wall s, peak RSS bytes, cache bytes, trials by number, notes."""
    console = read(os.path.join(folder, "console.log"), "")
    text = read(os.path.join(folder, "trials.json"))
    try:
        trials = {t["number"]: t for t in json.loads(text)["trials"] if t.get("baseline") is None} if text else {}
    except (ValueError, KeyError):
        trials = {}
    rss = re.search(r"Maximum resident set size \(kbytes\): (\d+)", read(os.path.join(folder, "time.txt"), ""))
    accuracy = {}
    current = None
    for line in console.splitlines():
        header = re.match(r"trial (\d+)/\d+ ", line)
        if header:
            current = int(header.group(1))
        epoch = re.search(r"^\s+epoch \d+/\d+ .*val_accuracy ([0-9.]+)", line)
        if epoch and current is not None:
            accuracy[current] = float(epoch.group(1))  # the last epoch's wins
    cached = {int(n) for n in re.findall(r"trial (\d+): trains on cached features", console)}
    building = sum(float(s) for s in re.findall(r"cached frozen features below .* in ([0-9.]+) s", console))
    errors = [line.strip() for line in console.splitlines() if line.strip().startswith("error")]
    return {
        "exit": int((read(os.path.join(folder, "exit"), "1").strip() or "1")),
        "wall": float((read(os.path.join(folder, "wall"), "nan").strip() or "nan")),
        "rss": int(rss.group(1)) * 1024 if rss else None,
        "cache": int((read(os.path.join(folder, "cache-bytes"), "0").strip() or "0")),
        "trials": trials,
        "accuracy": accuracy,
        "cached": cached,
        "building": building,
        "error": errors[-1] if errors else (console.strip().splitlines() or ["no output"])[-1],
    }


def mean(values):
    return sum(values) / len(values) if values else float("nan")


def secs(v):
    return "—" if v is None or v != v else f"{v:.1f}"


def ratio(a, b):
    return "—" if a is None or b is None or a != a or b != b or b == 0 else f"{a / b:.1f}×"


def gb(v):
    return "—" if v is None else f"{v / 1e9:.2f}"


def mb(v):
    return f"{v / 1e6:.1f} MB"


def score(v):
    return "—" if v is None else f"{v:.6f}"


def main():
    work, configs, params, out_md, out_csv = sys.argv[1:6]
    per_class, trials, epochs, size = params.split()
    names = [c.replace(":", "-d") for c in configs.split(",")]
    summary = ["| configuration | run first | first trial s, off / auto | later trials, mean s, off / auto "
               "| per later trial, off/auto | wall s, off / auto | wall, off/auto | peak RSS GB, off / auto "
               "| cache on disk | building it, s | trials on cached features (auto / off) "
               "| largest score difference (relative) |",
               "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    detail = ["| configuration | trial | parameters | s, off / auto | val_loss (score), off / auto "
              "| val_accuracy, off / auto |", "|---|---|---|---|---|---|"]
    problems = []
    rows = []
    for i, name in enumerate(names):
        runs = {m: run_figures(os.path.join(work, f"{name}-{m}")) for m in MODES}
        for m in MODES:
            r = runs[m]
            if r["exit"] != 0:
                problems.append(f"- {name}, cache {m}: the run failed (exit {r['exit']}): `{r['error']}`")
            for n, t in sorted(r["trials"].items()):
                if t["state"] != "COMPLETE":
                    problems.append(f"- {name}, cache {m}: trial {n} {t['state']}: "
                                    f"`{t.get('error') or t.get('reason') or ''}`")
        numbers = sorted(set(runs["off"]["trials"]) | set(runs["auto"]["trials"]))
        first, later, diffs = {}, {}, []
        for m in MODES:
            ts = runs[m]["trials"]
            first[m] = ts[1]["duration_seconds"] if 1 in ts else None
            later[m] = mean([ts[n]["duration_seconds"] for n in numbers
                             if n > 1 and n in ts and ts[n]["duration_seconds"] is not None])
        for n in numbers:
            t = {m: runs[m]["trials"].get(n) for m in MODES}
            s = {m: t[m]["score"] if t[m] else None for m in MODES}
            acc = {m: runs[m]["accuracy"].get(n) for m in MODES}
            if s["off"] is not None and s["auto"] is not None:
                diffs.append((abs(s["off"] - s["auto"]), abs(s["off"] - s["auto"]) / max(1.0, abs(s["off"]))))
            if t["off"] and t["auto"] and t["off"]["params"] != t["auto"]["params"]:
                problems.append(f"- {name}: trial {n} has other parameters with the cache than without")
            shown = t["off"] or t["auto"]
            p = shown["params"]
            text = (f"lr {p.get('learning_rate', 0):.2e}, batch {p.get('batch_size')}, "
                    f"dropout {p.get('dropout', 0):.2f}, {p.get('optimizer')}")
            dur = {m: t[m]["duration_seconds"] if t[m] else None for m in MODES}
            detail.append(f"| {name} | {n} | {text} | {secs(dur['off'])} / {secs(dur['auto'])} "
                          f"| {score(s['off'])} / {score(s['auto'])} "
                          f"| {acc['off'] if acc['off'] is not None else '—'} / "
                          f"{acc['auto'] if acc['auto'] is not None else '—'} |")
            for m in MODES:
                if t[m]:
                    rows.append([name, m, n, t[m]["state"], t[m]["duration_seconds"], t[m]["score"],
                                 acc[m], "yes" if n in runs[m]["cached"] else "no"])
        off, auto = runs["off"], runs["auto"]
        largest = (f"{max(d for d, _ in diffs):.1e} ({max(r for _, r in diffs):.1e})" if diffs else "—")
        summary.append(
            f"| {name} | {'off' if i % 2 == 0 else 'auto'} | {secs(first['off'])} / {secs(first['auto'])} "
            f"| {secs(later['off'])} / {secs(later['auto'])} | {ratio(later['off'], later['auto'])} "
            f"| {secs(off['wall'])} / {secs(auto['wall'])} | {ratio(off['wall'], auto['wall'])} "
            f"| {gb(off['rss'])} / {gb(auto['rss'])} | {mb(auto['cache'])} | {secs(auto['building'])} "
            f"| {len(auto['cached'])} of {len(auto['trials'])} / {len(off['cached'])} | {largest} |")
    commit = subprocess.run(["git", "rev-parse", "--short", "HEAD"], capture_output=True, text=True).stdout.strip()
    cpu = next((line.split(":", 1)[1].strip() for line in (read("/proc/cpuinfo", "") or "").splitlines()
                if line.startswith("model name")), "unknown CPU")
    head = [f"# Frozen-feature cache: the same studies with `cache.features` off and auto",
            "",
            f"{datetime.datetime.now().strftime('%Y-%m-%d %H:%M')}, commit {commit}, {os.cpu_count()} cores "
            f"({cpu}). Zoo models with random weights (`weights: none`) at {size}x{size}, Fashion-MNIST's 10 classes "
            f"x {per_class} images (a fifth held out for validation), random search of {trials} trials (search seed "
            f"7), {epochs} epoch{'' if epochs == '1' else 's'} each, one slot, no augmentation, `head_epochs` 0, `keep_models: none`; a "
            f"configuration is the zoo model and its fixed `unfreeze_depth` (d0: head only). Seconds per trial are "
            f"the durations Thaw records (`thaw trials --json`); the first trial of a cached run also builds the "
            f"cache (building it: the seconds its trial lines report). Wall: the whole `thaw run` (JVM start, data, all "
            f"trials). Score: the final val_loss; its difference relative to max(1, the uncached score).",
            ""]
    out = head + summary + [""] + detail + [""]
    if problems:
        out += ["Problems:", ""] + problems + [""]
    text = "\n".join(out)
    with open(out_md, "w", encoding="utf-8") as f:
        f.write(text)
    with open(out_csv, "w", newline="", encoding="utf-8") as f:
        w = csv.writer(f)
        w.writerow(["configuration", "cache", "trial", "state", "seconds", "val_loss", "val_accuracy",
                    "trained_on_cached_features"])
        w.writerows(rows)
    print(text)


if __name__ == "__main__":
    main()
