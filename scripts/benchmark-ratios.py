#!/usr/bin/env python3
"""Reads `swift package benchmark --format markdown --path stdout` output on stdin and prints
each benchmark's median wall-clock time next to the gray decode of the same photo, measured in
the same run, as a markdown table.

A benchmark named "<SIZE> ..." (StageBenchmarks: "3MP markers", "12MP whole read, page 1") is
compared with "<SIZE> decode gray (floor)"; a benchmark without a size has no ratio.

    cd Benchmarks && swift package benchmark --target StageBenchmarks --no-progress \\
        --format markdown --path stdout | ../scripts/benchmark-ratios.py
"""
import re
import sys

UNITS = {"ns": 1e-6, "μs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1000.0}
MEMORY = {"": 1e-6, "K": 1e-3, "M": 1.0, "G": 1000.0}


def parse(lines):
    """{benchmark name: {"ms": median wall clock, "rss": peak resident MB at p50}}"""
    results, name = {}, None
    for line in lines:
        heading = re.match(r"^### (.+?)\s*$", line)
        if heading:
            name = heading.group(1)
            results[name] = {}
            continue
        if name is None or not line.startswith("|"):
            continue
        cells = [c.strip() for c in line.strip().strip("|").split("|")]
        if len(cells) < 4:
            continue
        # Columns: metric, p0, p25, p50, ...
        metric, p50 = cells[0], cells[3]
        try:
            value = float(p50)
        except ValueError:
            continue
        wall = re.match(r"Time \(wall clock\) \((\S+)\)", metric)
        if wall and wall.group(1) in UNITS:
            results[name]["ms"] = value * UNITS[wall.group(1)]
        rss = re.match(r"Memory \(resident peak\)(?: \((\S+)\))?", metric)
        if rss:
            results[name]["rss"] = value * MEMORY.get(rss.group(1) or "", 1.0)
    return results


def main():
    results = parse(sys.stdin)
    if not results:
        sys.exit("benchmark-ratios: no benchmark tables on stdin (use --format markdown --path stdout)")
    floors = {}
    for name, figures in results.items():
        size = name.split(" ", 1)[0]
        if name.endswith("decode gray (floor)") and "ms" in figures:
            floors[size] = figures["ms"]
    print("| benchmark | median | × gray decode | peak RSS |")
    print("| --- | --- | --- | --- |")
    def order(name):
        size = name.split(" ", 1)[0]
        return (size not in floors, floors.get(size, 0), name)
    for name in sorted(results, key=order):
        figures = results[name]
        if "ms" not in figures:
            continue
        ms = figures["ms"]
        size = name.split(" ", 1)[0]
        ratio = f"{ms / floors[size]:.2f}" if size in floors else ""
        rss = f"{figures['rss']:.0f} MB" if "rss" in figures else ""
        median = f"{ms:.3f} ms" if ms < 1 else f"{ms:.1f} ms"
        print(f"| {name} | {median} | {ratio} | {rss} |")


if __name__ == "__main__":
    main()
