#!/usr/bin/env python3
"""Plots the data-path sweep (bench/results/datapath.csv) as an SVG, with the standard library only.

Left panel: driver-side Mpps against batch size, one line per queue format, 64-byte frames, 1 queue pair.
Right panel: driver-side ns per packet against queue pairs, one line per format, 64-byte frames, batch 32
(flat lines mean the cost per packet does not grow with the number of queues).

Usage: python3 bench/plot_datapath.py [bench/results/datapath.csv] [docs/benchmarks-datapath.svg]
"""
import csv
import math
import os
import sys
from xml.sax.saxutils import escape

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMATS = ["GqiQpl", "GqiRda", "DqoRda", "DqoQpl"]
COLOURS = {"GqiQpl": "#1f77b4", "GqiRda": "#ff7f0e", "DqoRda": "#2ca02c", "DqoQpl": "#d62728"}
MARKERS = {"GqiQpl": "circle", "GqiRda": "square", "DqoRda": "diamond", "DqoQpl": "triangle"}


def load(path):
    with open(path, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"{path}: no rows; run the sweep first (see docs/benchmarks.md)")
    for r in rows:
        for k in ("frame_bytes", "batch", "queues"):
            r[k] = int(r[k])
        for k in ("driver_mpps", "driver_ns_per_pkt"):
            r[k] = float(r[k])
    return rows


def nice_max(v):
    if v <= 0:
        return 1.0
    e = 10 ** math.floor(math.log10(v))
    for m in (1, 2, 2.5, 5, 10):
        if v <= m * e:
            return m * e
    return 10 * e


def marker(kind, x, y, colour):
    if kind == "circle":
        return f'<circle cx="{x:.1f}" cy="{y:.1f}" r="4" fill="{colour}"/>'
    if kind == "square":
        return f'<rect x="{x-3.5:.1f}" y="{y-3.5:.1f}" width="7" height="7" fill="{colour}"/>'
    if kind == "diamond":
        return f'<polygon points="{x:.1f},{y-5:.1f} {x+5:.1f},{y:.1f} {x:.1f},{y+5:.1f} {x-5:.1f},{y:.1f}" fill="{colour}"/>'
    return f'<polygon points="{x:.1f},{y-5:.1f} {x+5:.1f},{y+4:.1f} {x-5:.1f},{y+4:.1f}" fill="{colour}"/>'


def panel(ox, oy, w, h, title, xlabel, ylabel, xs, series, target=None):
    """A line chart at (ox, oy): xs are categories placed on a log2 axis; series maps format to list of (x, y)."""
    out = []
    ymax = nice_max(max([y for pts in series.values() for _, y in pts] + ([target] if target else [])) * 1.1)
    lx = [math.log2(x) for x in xs]
    x0, x1 = min(lx), max(lx)

    def px(x):
        return ox + (math.log2(x) - x0) / (x1 - x0 if x1 > x0 else 1) * w

    def py(y):
        return oy + h - y / ymax * h

    out.append(f'<text x="{ox + w/2:.0f}" y="{oy - 12}" text-anchor="middle" font-size="14" font-weight="bold">{escape(title)}</text>')
    out.append(f'<rect x="{ox}" y="{oy}" width="{w}" height="{h}" fill="none" stroke="#888"/>')
    for i in range(6):
        y = ymax * i / 5
        out.append(f'<line x1="{ox}" y1="{py(y):.1f}" x2="{ox+w}" y2="{py(y):.1f}" stroke="#ddd"/>')
        out.append(f'<text x="{ox-6}" y="{py(y)+4:.1f}" text-anchor="end" font-size="11">{y:g}</text>')
    for x in xs:
        out.append(f'<line x1="{px(x):.1f}" y1="{oy}" x2="{px(x):.1f}" y2="{oy+h}" stroke="#eee"/>')
        out.append(f'<text x="{px(x):.1f}" y="{oy+h+16}" text-anchor="middle" font-size="11">{x}</text>')
    out.append(f'<text x="{ox + w/2:.0f}" y="{oy+h+34}" text-anchor="middle" font-size="12">{escape(xlabel)}</text>')
    out.append(f'<text transform="translate({ox-40},{oy + h/2:.0f}) rotate(-90)" text-anchor="middle" font-size="12">{escape(ylabel)}</text>')
    if target:
        out.append(f'<line x1="{ox}" y1="{py(target):.1f}" x2="{ox+w}" y2="{py(target):.1f}" stroke="#555" stroke-dasharray="6,4"/>')
        out.append(f'<text x="{ox+w-4}" y="{py(target)-5:.1f}" text-anchor="end" font-size="11" fill="#555">target {target:g}</text>')
    for fmt in FORMATS:
        pts = sorted(series.get(fmt, []))
        if not pts:
            continue
        c = COLOURS[fmt]
        path = " ".join(f"{px(x):.1f},{py(y):.1f}" for x, y in pts)
        out.append(f'<polyline points="{path}" fill="none" stroke="{c}" stroke-width="2"/>')
        out.extend(marker(MARKERS[fmt], px(x), py(y), c) for x, y in pts)
    return out


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "bench", "results", "datapath.csv")
    dst = sys.argv[2] if len(sys.argv) > 2 else os.path.join(ROOT, "docs", "benchmarks-datapath.svg")
    rows = load(src)

    left = {f: [(r["batch"], r["driver_mpps"]) for r in rows if r["format"] == f and r["frame_bytes"] == 64 and r["queues"] == 1] for f in FORMATS}
    right = {f: [(r["queues"], r["driver_ns_per_pkt"]) for r in rows if r["format"] == f and r["frame_bytes"] == 64 and r["batch"] == 32] for f in FORMATS}
    batches = sorted({x for pts in left.values() for x, _ in pts})
    queues = sorted({x for pts in right.values() for x, _ in pts})
    if not batches or not queues:
        sys.exit(f"{src}: needs 64-byte rows at 1 queue pair (left panel) and at batch 32 (right panel)")

    W, H = 1000, 420
    svg = [f'<svg xmlns="http://www.w3.org/2000/svg" width="{W}" height="{H}" viewBox="0 0 {W} {H}" font-family="sans-serif">',
           f'<rect width="{W}" height="{H}" fill="white"/>']
    svg += panel(80, 50, 360, 280, "Driver-side Mpps, 64-byte frames, 1 queue pair", "batch size (frames)", "Mpps (driver-side work, one core)", batches, left, target=20)
    svg += panel(600, 50, 360, 280, "Driver ns per packet, 64-byte frames, batch 32", "queue pairs", "ns per packet", queues, right)
    lx = 80
    for fmt in FORMATS:
        svg.append(marker(MARKERS[fmt], lx, 392, COLOURS[fmt]))
        svg.append(f'<text x="{lx+10}" y="396" font-size="12">{fmt}</text>')
        lx += 110
    svg.append(f'<text x="{W-20}" y="396" text-anchor="end" font-size="10" fill="#666">{escape(os.path.relpath(src, ROOT))}</text>')
    svg.append("</svg>")
    with open(dst, "w") as f:
        f.write("\n".join(svg) + "\n")
    print(f"wrote {dst}")


if __name__ == "__main__":
    main()
