#!/usr/bin/env python3
"""Driver instructions a packet from two callgrind runs of the data-path rig (docs/benchmarks.md).

Usage: callgrind_driver.py SHORT.out SHORT.map LONG.out LONG.map [batch]

Two runs of the same point, one with more packets than the other, with DOTNET_TieredCompilation=0 (both compile the
same code once) and DOTNET_PerfMapEnabled=1. callgrind names JIT-compiled .NET methods by address; the runtime's
perf map names them. For each run the script takes the inclusive instruction counts (Ir) and the call counts of the
driver's data-path entry points the rig calls (Nic.TransmitBatch, Nic.TryReceive(out RxLease), RxLease.Dispose,
Nic.ReclaimTransmitted). The difference between the runs, over the packets the extra TransmitBatch calls carried
(calls x batch), is the driver's steady-state cost a packet: one-time costs (JIT compilation, first touches) cancel.
The device model's entry points the rig calls between the driver's phases are counted the same way (model Ir/packet).
"""
import bisect
import re
import subprocess
import sys

ENTRIES = {
    'TransmitBatch': re.compile(r'Gvnic\.Driver\.Nic::TransmitBatch\('),
    'TryReceive(lease)': re.compile(r'Gvnic\.Driver\.Nic::TryReceive\(valuetype Gvnic\.Driver\.RxLease&'),
    'RxLease.Dispose': re.compile(r'Gvnic\.Driver\.RxLease::Dispose\('),
    'ReclaimTransmitted': re.compile(r'Gvnic\.Driver\.Nic::ReclaimTransmitted\('),
}

# The device model's side of the same rounds: the logged doorbells delivered (DeferringPci.Replay), the waiting work
# run (SimulatedGvnic.RunPending, which flushes frames over the wire), and timed work (SimulatedGvnic.RunDueWork).
MODEL_ENTRIES = {
    'Replay (doorbells)': re.compile(r'DeferringPci::Replay\('),
    'RunPending': re.compile(r'Gvnic\.Simulator\.SimulatedGvnic::RunPending\('),
    'RunDueWork': re.compile(r'Gvnic\.Simulator\.SimulatedGvnic::RunDueWork\('),
}


def profile(out, perfmap):
    """{entry: (inclusive Ir, calls)} of one run."""
    spans = []
    for line in open(perfmap):
        a, size, name = line.rstrip('\n').split(' ', 2)
        spans.append((int(a, 16), int(size, 16), name))
    spans.sort()
    starts = [s[0] for s in spans]

    def method_at(addr):
        i = bisect.bisect_right(starts, addr) - 1
        return spans[i][2] if i >= 0 and addr == spans[i][0] else None

    ann = subprocess.run(['callgrind_annotate', '--inclusive=yes', '--threshold=100', out], capture_output=True, text=True, check=True).stdout
    incl = {}
    for line in ann.splitlines():
        m = re.match(r"\s*([\d,]+)\s+\(.*?\)\s+\?\?\?:0x([0-9a-f]+)\s+\[\?\?\?\]$", line)
        if m:
            incl[int(m.group(2), 16)] = int(m.group(1).replace(',', ''))

    ids, calls, cfn = {}, {}, None
    for line in open(out):
        m = re.match(r'(c?)fn=\((\d+)\)(?: (.*))?$', line.rstrip('\n'))
        if m:
            if m.group(3) is not None:
                ids[m.group(2)] = m.group(3)
            cfn = ids.get(m.group(2)) if m.group(1) else None
            continue
        m = re.match(r'calls=(\d+) ', line)
        if m and cfn is not None:
            calls[cfn] = calls.get(cfn, 0) + int(m.group(1))

    result = {}
    for addr, cost in incl.items():
        name = method_at(addr)
        if name is None:
            continue
        for key, rx in list(ENTRIES.items()) + list(MODEL_ENTRIES.items()):
            if rx.search(name):
                ir, n = result.get(key, (0, 0))
                result[key] = (ir + cost, n + calls.get('0x%016x' % addr, 0))
    missing = [k for k in ENTRIES if k not in result]
    if missing:
        sys.exit(out + ': no ' + ', '.join(missing) + ' in the profile (is the perf map from the same run?)')
    return result


def main():
    if len(sys.argv) < 5:
        sys.exit(__doc__)
    batch = int(sys.argv[5]) if len(sys.argv) > 5 else 32
    short, long_ = profile(sys.argv[1], sys.argv[2]), profile(sys.argv[3], sys.argv[4])
    packets = (long_['TransmitBatch'][1] - short['TransmitBatch'][1]) * batch
    if packets <= 0:
        sys.exit('the second run has no more TransmitBatch calls than the first')
    total = 0
    for key in ENTRIES:
        ir = long_[key][0] - short[key][0]
        total += ir
        print('%-20s %12d Ir  %8d calls  %7.1f Ir/packet' % (key, ir, long_[key][1] - short[key][1], ir / packets))
    print('driver               %12d Ir over %d packets: %.1f Ir/packet' % (total, packets, total / packets))
    total = 0
    for key in MODEL_ENTRIES:
        ir = long_.get(key, (0, 0))[0] - short.get(key, (0, 0))[0]
        total += ir
        print('%-20s %12d Ir  %8d calls  %7.1f Ir/packet' % (key, ir, long_.get(key, (0, 0))[1] - short.get(key, (0, 0))[1], ir / packets))
    print('model                %12d Ir over %d packets: %.1f Ir/packet' % (total, packets, total / packets))


main()
