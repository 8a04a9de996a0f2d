using System;
using System.Diagnostics;
using Gvnic.Driver;
using Gvnic.Simulator;
using Gvnic.Wire;

namespace Gvnic.Benchmarks.DataPath;

/// <summary>One point of the sweep: a queue format, a frame length, a batch size and a number of queue pairs.</summary>
internal sealed record SweepPoint(QueueFormat Format, int FrameBytes, int Batch, int Queues)
{
    public override string ToString() => Format + " " + FrameBytes + " B, batch " + Batch + ", " + Queues + " queue pair" + (Queues == 1 ? "" : "s");
}

/// <summary>Time (in <see cref="Stopwatch"/> ticks), bytes and packets accumulated over measured rounds.</summary>
internal struct PhaseTotals
{
    public long Packets;
    public long Rounds;
    public long TxTicks;       // driver: TransmitBatch on every queue
    public long RxTicks;       // driver: TryReceive (lease, read, dispose) until every RX queue is empty
    public long ReclaimTicks;  // driver: ReclaimTransmitted on every queue
    public long ModelTicks;    // device model: doorbell delivery, then every TX packet, loopback and RX frame
    public long DriverAllocated;

    /// <summary>When set (one slot a measured round), each round's phase times are also kept, for medians.</summary>
    public long[]? RoundTx, RoundRx, RoundReclaim, RoundModel;
}

/// <summary>
/// A simulated gVNIC in manual execution mode on a loopback wire, a driver opened on it with N queue pairs, and one
/// UDP flow per queue pair whose RSS hash lands on the RX queue of the same index (found by probing at setup), so a
/// batch sent on TX queue q comes back on RX queue q. <see cref="Round"/> runs one round and times the driver's calls
/// apart from the model's work: doorbells rung by the driver are logged (<see cref="DeferringPci"/>) and delivered to
/// the model between the driver's phases.
/// </summary>
internal sealed class DataPathRig : IDisposable
{
    private readonly SimulatedGvnic _device;
    private readonly VirtualWire _wire;
    private readonly DeferringPci _pci;
    private readonly Nic _nic;
    private readonly ReadOnlyMemory<byte>[][] _batches;
    private readonly int _perRound;
    private long _sink;

    /// <summary>Receive passes a round may take before a missing frame is an error (a deferred interrupt takes a few).</summary>
    private const int MaxReceivePasses = 100_000;

    public DataPathRig(SweepPoint point)
    {
        Point = point;
        int queues = point.Queues;
        _device = new SimulatedGvnic(new SimulatedDeviceConfig
        {
            Execution = ExecutionMode.Manual,
            Mtu = 1500,
            MaxTxQueues = (uint)queues,
            MaxRxQueues = (uint)queues,
            DefaultNumQueues = (ushort)queues,
            Counters = (ushort)(2 * queues),
            MsixVectors = 2 * queues + 1,
            MaxRegisteredPages = 65536,
        });
        _wire = VirtualWire.Loopback();
        _wire.Recording = false; // nothing reads the record; recording copies every frame
        _device.AttachWire(_wire);
        _pci = new DeferringPci(_device);
        _nic = Nic.Open(_pci, new NicOptions { QueueFormat = point.Format, TxQueues = queues, RxQueues = queues });
        ushort[] ports = PinFlows(queues);
        _batches = new ReadOnlyMemory<byte>[queues][];
        for (int q = 0; q < queues; q++)
        {
            byte[] frame = Frames.Udp(_device.Config.Mac, point.FrameBytes, ports[q]);
            _batches[q] = new ReadOnlyMemory<byte>[point.Batch];
            for (int i = 0; i < point.Batch; i++) _batches[q][i] = frame;
        }
        _perRound = point.Batch * queues;
    }

    public SweepPoint Point { get; }

    /// <summary>TX descriptors and RX frames each queue has carried: the rig is warm when every ring has wrapped.</summary>
    public bool EveryRingWrapped(int laps)
    {
        for (int q = 0; q < Point.Queues; q++)
        {
            if (_nic.GetTxStatistics(q).Descriptors < laps * (long)_nic.TxRingSize) return false;
            if (_nic.GetRxStatistics(q).Packets < laps * (long)_nic.RxRingSize) return false;
        }
        return true;
    }

    /// <summary>
    /// One round: every TX queue sends a batch (driver), the model runs everything waiting, every RX queue is drained
    /// through leases (driver), every TX queue reclaimed (driver), the model takes the doorbells of the refill.
    /// </summary>
    public void Round(ref PhaseTotals totals)
    {
        int queues = Point.Queues;
        int sent = 0, got = 0;
        long modelExtra = 0;

        _pci.Defer = true;
        long a0 = GC.GetAllocatedBytesForCurrentThread();
        long t0 = Stopwatch.GetTimestamp();
        for (int q = 0; q < queues; q++) sent += _nic.TransmitBatch(_batches[q], q);
        long t1 = Stopwatch.GetTimestamp();
        long a1 = GC.GetAllocatedBytesForCurrentThread();
        _pci.Defer = false;

        long m0 = Stopwatch.GetTimestamp();
        _pci.Replay();
        _device.RunPending();
        long m1 = Stopwatch.GetTimestamp();

        // Receive until every frame is back. A real DQO device writes completions a 128-byte line at a time, or when the
        // queue's notification block fires: a batch that leaves a line part full shows its tail only after the driver's
        // re-arm (a doorbell, logged) reaches the model, so the driver polls again after each delivery. At batch 32 every
        // line is full and one pass takes all.
        long touched = 0;
        long rxTicks = 0, a2 = 0, a3 = 0;
        for (int pass = 0; ; pass++)
        {
            _pci.Defer = true;
            long b0 = GC.GetAllocatedBytesForCurrentThread();
            long r0 = Stopwatch.GetTimestamp();
            for (int q = 0; q < queues; q++)
            {
                while (_nic.TryReceive(out RxLease lease, q))
                {
                    ReadOnlySpan<byte> frame = lease.Frame;
                    touched += frame.Length + frame[^1];
                    lease.Dispose();
                    got++;
                }
            }
            long r1 = Stopwatch.GetTimestamp();
            a2 += GC.GetAllocatedBytesForCurrentThread() - b0;
            _pci.Defer = false;
            rxTicks += r1 - r0;
            if (got == _perRound || pass == MaxReceivePasses) break;
            long p0 = Stopwatch.GetTimestamp();
            _pci.Replay();
            _device.RunPending();
            _device.RunDueWork();
            modelExtra += Stopwatch.GetTimestamp() - p0;
        }

        _pci.Defer = true;
        long c0 = GC.GetAllocatedBytesForCurrentThread();
        long t3 = Stopwatch.GetTimestamp();
        for (int q = 0; q < queues; q++) _nic.ReclaimTransmitted(q);
        long t4 = Stopwatch.GetTimestamp();
        a3 = GC.GetAllocatedBytesForCurrentThread() - c0;
        _pci.Defer = false;

        long m2 = Stopwatch.GetTimestamp();
        _pci.Replay();
        _device.RunPending();
        long m3 = Stopwatch.GetTimestamp();

        _sink += touched;
        if (sent != _perRound) throw new InvalidOperationException(Point + ": the driver took " + sent + " of " + _perRound + " frames (a TX ring or buffer space is full); the rig's rings are too small for this batch");
        if (got != _perRound) throw new InvalidOperationException(Point + ": " + got + " of " + _perRound + " frames came back; violations: " + _device.Violations.Count);
        if (totals.RoundTx is { } roundTx && totals.Rounds < roundTx.Length)
        {
            roundTx[totals.Rounds] = t1 - t0;
            totals.RoundRx![totals.Rounds] = rxTicks;
            totals.RoundReclaim![totals.Rounds] = t4 - t3;
            totals.RoundModel![totals.Rounds] = (m1 - m0) + (m3 - m2) + modelExtra;
        }
        totals.Packets += got;
        totals.Rounds++;
        totals.TxTicks += t1 - t0;
        totals.RxTicks += rxTicks;
        totals.ReclaimTicks += t4 - t3;
        totals.ModelTicks += (m1 - m0) + (m3 - m2) + modelExtra;
        totals.DriverAllocated += (a1 - a0) + a2 + a3;
    }

    /// <summary>Whatever the receive loop read, so that reading cannot be optimised away.</summary>
    public long Sink => _sink;

    /// <summary>
    /// For each RX queue, a UDP source port whose frames the device's RSS steers to it: probes ports from 1024 up,
    /// one frame at a time, until every queue has one (bounded: at most 64 probes a queue).
    /// </summary>
    private ushort[] PinFlows(int queues)
    {
        var ports = new ushort[queues];
        int found = 0;
        for (int port = 1024; found < queues; port++)
        {
            if (port >= 1024 + 64 * queues) throw new InvalidOperationException("RSS steered no probe frame to some of the " + queues + " RX queues after " + (port - 1024) + " source ports; is RSS configured?");
            byte[] probe = Frames.Udp(_device.Config.Mac, 64, (ushort)port);
            if (!_nic.Transmit(probe)) throw new InvalidOperationException("probe frame not taken by TX queue 0");
            _device.RunPending();
            int landed = -1;
            for (int pass = 0; landed < 0 && pass < MaxReceivePasses; pass++)
            {
                // A lone frame's completion shows once the driver's re-arm lets the block fire (at once, or when the
                // interrupt throttling interval has passed on the device's clock).
                if (pass > 0) _device.RunDueWork();
                for (int q = 0; q < queues; q++)
                {
                    while (_nic.TryReceive(out RxLease lease, q))
                    {
                        landed = q;
                        lease.Dispose();
                    }
                }
            }
            _nic.ReclaimTransmitted();
            _device.RunPending();
            if (landed < 0) throw new InvalidOperationException("probe frame from port " + port + " did not come back; violations: " + _device.Violations.Count);
            if (ports[landed] == 0)
            {
                ports[landed] = (ushort)port;
                found++;
            }
        }
        return ports;
    }

    public void Dispose()
    {
        _pci.Defer = false;
        _nic.Dispose();
        _device.Dispose();
    }
}
