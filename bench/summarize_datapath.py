#!/usr/bin/env python3
"""Prints the Markdown tables docs/benchmarks.md shows from the data-path sweep (bench/results/datapath.csv).

Usage: python3 bench/summarize_datapath.py [bench/results/datapath.csv]
"""
import csv
import os
import sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FORMATS = ["GqiQpl", "GqiRda", "DqoRda", "DqoQpl"]


def main():
    src = sys.argv[1] if len(sys.argv) > 1 else os.path.join(ROOT, "bench", "results", "datapath.csv")
    with open(src, newline="") as f:
        rows = list(csv.DictReader(f))
    if not rows:
        sys.exit(f"{src}: no rows")
    for r in rows:
        for k in ("frame_bytes", "batch", "queues", "packets"):
            r[k] = int(r[k])
        for k in r:
            if k not in ("format", "frame_bytes", "batch", "queues", "packets", "load1"):
                r[k] = float(r[k])
    at = {(r["format"], r["frame_bytes"], r["batch"], r["queues"]): r for r in rows}
    batches = sorted({r["batch"] for r in rows})
    queues = sorted({r["queues"] for r in rows})
    frames = sorted({r["frame_bytes"] for r in rows})
    loads = sorted(float(r["load1"]) for r in rows if r["load1"] != "?")

    print(f"{len(rows)} points; 1-minute load during the sweep: {loads[0]:g} to {loads[-1]:g}\n")

    print("Headline point: 64-byte frames, batch 32, 1 queue pair\n")
    print("| Format | driver ns/pkt | TX | RX | reclaim | clock (at most) | driver Mpps | model ns/pkt | end-to-end Mpps | driver B/pkt |")
    print("|--------|-------------:|---:|---:|--------:|----------------:|------------:|-------------:|----------------:|-------------:|")
    present = [f for f in FORMATS if any(r["format"] == f for r in rows)]
    for f in present:
        r = at.get((f, 64, 32, 1))
        if r:
            print(f"| {f} | {r['driver_ns_per_pkt']:.1f} | {r['driver_tx_ns_per_pkt']:.1f} | {r['driver_rx_ns_per_pkt']:.1f} | {r['driver_reclaim_ns_per_pkt']:.1f} | {r.get('clock_ns_per_pkt', float('nan')):.1f} | "
                  f"{r['driver_mpps']:.1f} | {r['model_ns_per_pkt']:.0f} | {r['e2e_mpps']:.2f} | {r['driver_alloc_bytes_per_pkt']:.2f} |")

    print("\nDriver-side Mpps against batch size (64-byte frames, 1 queue pair)\n")
    print("| Format | " + " | ".join(f"batch {b}" for b in batches) + " |")
    print("|--------|" + "|".join("-------:" for _ in batches) + "|")
    for f in present:
        cells = [at.get((f, 64, b, 1)) for b in batches]
        print(f"| {f} | " + " | ".join(f"{c['driver_mpps']:.1f}" if c else "" for c in cells) + " |")

    print("\nDriver ns per packet against queue pairs (64-byte frames, batch 32); last column: 16 queues / 1 queue\n")
    print("| Format | " + " | ".join(f"{q} q" for q in queues) + " | ratio |")
    print("|--------|" + "|".join("----:" for _ in queues) + "|------:|")
    for f in present:
        cells = [at.get((f, 64, 32, q)) for q in queues]
        ratio = cells[-1]["driver_ns_per_pkt"] / cells[0]["driver_ns_per_pkt"] if cells[0] and cells[-1] else float("nan")
        print(f"| {f} | " + " | ".join(f"{c['driver_ns_per_pkt']:.1f}" if c else "" for c in cells) + f" | {ratio:.2f} |")

    print("\nDriver ns per packet against frame length (batch 32, 1 queue pair)\n")
    print("| Format | " + " | ".join(f"{b} B" for b in frames) + " |")
    print("|--------|" + "|".join("-----:" for _ in frames) + "|")
    for f in present:
        cells = [at.get((f, b, 32, 1)) for b in frames]
        print(f"| {f} | " + " | ".join(f"{c['driver_ns_per_pkt']:.1f}" if c else "" for c in cells) + " |")

    worst = max(rows, key=lambda r: r["driver_alloc_bytes_per_pkt"])
    print(f"\nLargest driver allocation per packet over all points: {worst['driver_alloc_bytes_per_pkt']:.2f} B "
          f"({worst['format']}, {worst['frame_bytes']} B, batch {worst['batch']}, {worst['queues']} queues)")


if __name__ == "__main__":
    main()
