#!/usr/bin/env python3
"""Startup time of a command: wall-clock time of N runs of each command given, one after another.

    python3 bench/startup_time.py [-n 20] 'LABEL=COMMAND' ...

Prints one Markdown table row a command: wall-clock median, mean, min and max, and the median CPU time
(user + system, all threads) of a run, in milliseconds; on a busy machine the CPU time is the steadier figure. Standard library only;
each run's output goes to /dev/null. docs/benchmarks.md (Startup) has the commands and the figures.
"""
import argparse
import resource
import shlex
import statistics
import subprocess
import time


def time_runs(argv, runs):
    # One untimed run first, so that the file cache holds the binaries for every timed run.
    subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
    times, cpu = [], []
    for _ in range(runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        times.append((time.perf_counter() - start) * 1000.0)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpu.append((after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime) * 1000.0)
    return times, cpu


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("-n", "--runs", type=int, default=20, help="timed runs a command (default 20)")
    parser.add_argument("commands", nargs="+", metavar="LABEL=COMMAND")
    args = parser.parse_args()
    print("| build | command | runs | wall median ms | wall mean ms | wall min ms | wall max ms | CPU median ms |")
    print("|---|---|---|---|---|---|---|---|")
    for spec in args.commands:
        label, _, command = spec.partition("=")
        times, cpu = time_runs(shlex.split(command), args.runs)
        print(f"| {label} | `{command}` | {args.runs} | {statistics.median(times):.1f} | {statistics.fmean(times):.1f} | "
              f"{min(times):.1f} | {max(times):.1f} | {statistics.median(cpu):.1f} |")


if __name__ == "__main__":
    main()
