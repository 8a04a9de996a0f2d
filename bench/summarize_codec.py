#!/usr/bin/env python3
"""Condenses BenchmarkDotNet's CSV reports of the codec benchmarks into the one table docs/benchmarks.md shows.

One row per category (descriptor and direction): ns per descriptor of each variant, generated / hand-written,
generated / plain copy, template / plain copy (the driver's write path, for the descriptors it writes from pre-encoded
templates), and bytes allocated per descriptor by the generated and the naive variants. The time is the
fastest of the measured iterations (column Min; each iteration averages about 100 ms of calls), the figure least
disturbed by other work on a shared machine; with --mean, BenchmarkDotNet's Mean instead.

Usage: python3 bench/summarize_codec.py [directory with *Codec*-report.csv, default bench/results/codec]
"""
import csv
import glob
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
VARIANTS = ["Generated", "HandWritten", "PlainCopy", "Naive", "Composed", "Template"]
UNITS = {"ps": 1e-3, "ns": 1.0, "μs": 1e3, "us": 1e3, "ms": 1e6}


def ns(text):
    value, unit = text.replace(",", "").split()
    return float(value) * UNITS[unit]


def allocated(text):
    if text in ("-", "0 B", ""):
        return 0.0
    value, unit = text.split()
    return float(value) * {"B": 1, "KB": 1024, "MB": 1024 * 1024}[unit]


def main():
    args = [a for a in sys.argv[1:] if a != "--mean"]
    column = "Mean" if "--mean" in sys.argv[1:] else "Min"
    folder = args[0] if args else os.path.join(ROOT, "bench", "results", "codec")
    files = sorted(glob.glob(os.path.join(folder, "*Codec*-report.csv")))
    if not files:
        sys.exit(f"{folder}: no *Codec*-report.csv; run the codec benchmarks first (see docs/benchmarks.md)")
    table = {}
    for path in files:
        with open(path, newline="") as f:
            for row in csv.DictReader(f):
                variant = next((v for v in VARIANTS if row["Method"].endswith(v)), None)
                if variant:
                    table.setdefault(row["Categories"], {})[variant] = (ns(row[column] if column in row else row["Mean"]), allocated(row["Allocated"]))
    print("| Descriptor, direction | Generated | Hand-written | Plain copy | Naive | Composed | Template | Gen / hand | Gen / copy | Template / copy | Gen B | Naive B |")
    print("|-----------------------|----------:|-------------:|-----------:|------:|---------:|---------:|-----------:|-----------:|----------------:|------:|--------:|")
    for category in sorted(table, key=lambda c: (not c.startswith("GQI"), not c.startswith("DQO"), c)):
        v = table[category]
        cell = lambda k: f"{v[k][0]:.2f}" if k in v else ""
        gen, hand, copy = v["Generated"][0], v["HandWritten"][0], v["PlainCopy"][0]
        template = f"{v['Template'][0] / copy:.1f}" if "Template" in v else ""
        print(f"| {category} | {cell('Generated')} | {cell('HandWritten')} | {cell('PlainCopy')} | {cell('Naive')} | {cell('Composed')} | {cell('Template')} | "
              f"{gen / hand:.2f} | {gen / copy:.1f} | {template} | {v['Generated'][1]:.0f} | {v['Naive'][1]:.0f} |")


if __name__ == "__main__":
    main()
