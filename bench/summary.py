"""Markdown tables of bench/results/latest.json (for docs/performance.md):
`python bench/summary.py [path]`."""

from __future__ import annotations

import json
import sys
from pathlib import Path


def main() -> int:
    path = Path(sys.argv[1] if len(sys.argv) > 1 else "bench/results/latest.json")
    data = json.loads(path.read_text())
    f = data["figures"]
    meta = data["meta"]
    print(
        f"Size {meta.get('size')}, started {meta.get('started')}, commit {meta.get('commit')}, "
        f"database {meta.get('database_mb')} MB\n"
    )
    for group, target in (("pages", 150), ("api", 100)):
        keys = sorted(
            {k.split(".")[1] for k in f if k.startswith(group + ".") and k.count(".") >= 2}
        )
        print(f"| {group} | p50 ms | p95 ms | SQL p50 ms | queries | status | ≤ {target} ms |")
        print("|---|---:|---:|---:|---:|---:|:-:|")
        for key in keys:
            p95 = f.get(f"{group}.{key}.p95_ms")
            ok = "✓" if isinstance(p95, int | float) and p95 <= target else "✗"
            print(
                f"| {key} | {f.get(f'{group}.{key}.p50_ms')} | {p95} | "
                f"{f.get(f'{group}.{key}.db_p50_ms', '')} | {f.get(f'{group}.{key}.queries')} | "
                f"{f.get(f'{group}.{key}.status')} | {ok} |"
            )
        for key in sorted(k for k in f if k.startswith(group + ".") and f[k] == "missing"):
            print(f"| {key.split('.', 1)[1]} | missing | | | | | |")
        print()
    indicator_keys = sorted(
        {k.rsplit(".", 1)[0][len("indicators.") :] for k in f if k.endswith(".ratio")} - {"all"}
        if any(k.startswith("indicators.") for k in f)
        else set()
    )
    indicator_keys = [k for k in indicator_keys if f"indicators.{k}.sql_ms" in f]
    if indicator_keys:
        print("| indicator | ms | SQL ms | ratio | same value |")
        print("|---|---:|---:|---:|:-:|")
        for key in indicator_keys:
            g = f"indicators.{key}."
            same = "✓" if f.get(g + "match") == 1 else "✗"
            print(
                f"| {key} | {f.get(g + 'ms')} | {f.get(g + 'sql_ms')} | {f.get(g + 'ratio')} | {same} |"
            )
        print()
    for prefix in ("load.", "isolation.ratio", "report.", "indicators.", "imports."):
        rows = [
            (k, v)
            for k, v in f.items()
            if k.startswith(prefix) and not (prefix == "indicators." and k.count(".") >= 3)
        ]
        if rows:
            print("| figure | value |\n|---|---:|")
            for k, v in rows:
                print(f"| {k} | {v} |")
            print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
