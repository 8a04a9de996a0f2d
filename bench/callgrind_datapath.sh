#!/usr/bin/env bash
# Driver instructions a packet at 64 B, batch 32, one queue pair, counted by callgrind (docs/benchmarks.md):
#   bench/callgrind_datapath.sh OUTDIR [FORMAT...]      (default: all four formats)
# Builds the bench in Release, then for each format runs the data-path rig twice under valgrind --tool=callgrind
# (4096 and 12288 packets, no timed warm-up, tiered compilation off, so both runs are deterministic) and prints the
# per-packet instruction counts of the driver's entry points from the difference (bench/callgrind_driver.py).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:?usage: bench/callgrind_datapath.sh OUTDIR [FORMAT...]}; shift
formats=("$@"); [ ${#formats[@]} -eq 0 ] && formats=(GqiQpl GqiRda DqoRda DqoQpl)
mkdir -p "$out"
dotnet build bench/Gvnic.Benchmarks -c Release -v q -nologo >/dev/null
dll=$PWD/bench/Gvnic.Benchmarks/bin/Release/net10.0/Gvnic.Benchmarks.dll
for f in "${formats[@]}"; do
  for n in 4096 12288; do
    maps="$out/maps-$f-$n"; rm -rf "$maps"; mkdir -p "$maps"
    DOTNET_PerfMapEnabled=1 DOTNET_PerfMapJitDumpPath="$maps" DOTNET_TieredCompilation=0 \
      valgrind --tool=callgrind --smc-check=all-non-file --callgrind-out-file="$out/$f-$n.out" \
      dotnet "$dll" datapath --formats "$f" --frames 64 --batches 32 --queues 1 --packets "$n" --no-warmup --out "$out/$f-$n.csv" \
      >"$out/$f-$n.log" 2>&1
    cp "$maps"/perf-*.map "$out/$f-$n.map"; rm -rf "$maps"
  done
  echo "== $f"
  python3 bench/callgrind_driver.py "$out/$f-4096.out" "$out/$f-4096.map" "$out/$f-12288.out" "$out/$f-12288.map"
done
