using System;
using System.Collections.Generic;
using System.Linq;
using Gvnic.Driver;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;

namespace Gvnic.Fuzz.Tests;

/// <summary>
/// Runs one <see cref="FuzzCase"/>: a small simulated gVNIC (64-entry rings), <see cref="Nic.Open"/>, the traffic
/// script with its faults, a probe that traffic still flows on every queue, then <see cref="Nic.Dispose"/>, checking
/// every invariant on the way. A broken invariant throws <see cref="FuzzFailure"/>; anything else that escapes is a
/// driver bug the caller classifies (out-of-bounds or unhandled).
/// </summary>
internal static class FuzzRunner
{
    private static readonly byte[] DeviceMac = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x02];
    private static readonly byte[] PeerMac = [0x42, 0x01, 0x0A, 0x80, 0x00, 0x01];

    /// <summary>Per-packet RX faults: the frame they hit may be dropped (counted), nothing else.</summary>
    private static readonly HashSet<DeviceFaultKind> RxFrameFaults =
    [
        DeviceFaultKind.GqiRxLenTooLarge, DeviceFaultKind.GqiRxLenZero, DeviceFaultKind.GqiRxErrorFlag, DeviceFaultKind.GqiRxPacketContOnLast,
        DeviceFaultKind.GqiRxBadSequence, DeviceFaultKind.DqoRxBufferIdOutOfRange, DeviceFaultKind.DqoRxLenZero, DeviceFaultKind.DqoRxLenTooLarge,
        DeviceFaultKind.DqoRxGenerationFlipped,
    ];

    public static SimulatedDeviceConfig Config(byte revision, DqoBehaviour dqo) => new()
    {
        Revision = revision,
        DqoReorderWindow = dqo.ReorderWindow,
        DqoMissRate = dqo.MissRate,
        DqoAltMissCompletions = dqo.AltMiss,
        DqoSeed = dqo.Seed,
        Mac = DeviceMac,
        MaxTxQueues = 2,
        MaxRxQueues = 2,
        DefaultNumQueues = 2,
        // The smallest rings the faithful model takes: TX 256 (real devices refuse less), RX 128 (a DQO queue keeps ring − 1
        // buffers posted, and the driver refuses fewer than 64).
        TxQueueEntries = 256,
        RxQueueEntries = 128,
        TxPagesPerQpl = 16,
        RxPagesPerQpl = 128,
        MaxPendingRxFrames = 64,
    };

    public static FuzzOutcome Run(FuzzCase c)
    {
        using var device = new SimulatedGvnic(Config(c.Revision, c.Dqo));
        var wire = (VirtualWire)device.Wire;
        var resets = new List<NicResetReport>();
        var options = new NicOptions
        {
            QueueFormat = c.Format,
            TxQueues = c.TxQueues,
            RxQueues = c.RxQueues,
            AdminTimeout = TimeSpan.FromMilliseconds(200),
            TxTimeout = TimeSpan.FromSeconds(1), // 50 reads of the stepping clock
            TimeProvider = new SteppingTimeProvider(),
            RdaTxBufferBytes = 64 * 1024,
            OnReset = resets.Add,
        };
        if (c.OpenFault is not null) device.InjectFault(c.OpenFault);

        Nic nic;
        try
        {
            nic = Nic.Open(device, options);
        }
        catch (GvnicException e) when (e is AdminCommandException or DeviceTimeoutException or DeviceFaultException or NicConfigurationException or DeviceResetException)
        {
            if (device.FiredFaults.Count == 0) throw new FuzzFailure("Open failed with no fault fired: " + e.GetType().Name + ": " + e.Message, e);
            CheckViolations(device);
            bool kept = e is DeviceTimeoutException && Fired(device, DeviceFaultKind.AdminEventCounterStalled);
            if (!kept && device.DmaAllocator.OutstandingRegions != 0)
                throw new FuzzFailure("leak: " + device.DmaAllocator.OutstandingRegions + " DMA regions outstanding after a failed Open (" + e.Message + ")");
            return new FuzzOutcome(false, e.GetType().Name, null, 0, device.FiredFaults.Count, 0, 0, 0, 0, 0, 0, 0, kept, false);
        }

        var state = new State(device, nic, c);
        string? recoveryError = null;
        try
        {
            foreach (Step step in c.Steps) state.Run(step);
            state.Probe();
        }
        catch (GvnicException e) when (e is AdminCommandException or DeviceTimeoutException or DeviceFaultException or NicConfigurationException
                                           or DeviceResetException or NicTeardownException)
        {
            // A recovery's bring-up (or teardown) met a bring-up fault: the NIC must now be disposed.
            if (!device.FiredFaults.Any(f => IsBringUpFault(f.Kind)))
                throw new FuzzFailure("a data-path call failed with no bring-up fault fired: " + e.GetType().Name + ": " + e.Message, e);
            try
            {
                nic.ReclaimTransmitted();
                throw new FuzzFailure("the NIC is still usable after its recovery failed (" + e.Message + ")");
            }
            catch (ObjectDisposedException) { }
            recoveryError = e.GetType().Name;
            state.MemoryKept = e is NicTeardownException { MemoryKept: true };
        }

        // Every frame the driver accepted is completed, dropped on a reset, or still in flight: nothing lost silently.
        if (recoveryError is null)
        {
            long packets = resets.Sum(r => r.TxStatistics.Sum(s => s.Packets));
            long completed = resets.Sum(r => r.TxStatistics.Sum(s => s.Completed));
            long timedOut = resets.Sum(r => r.TxStatistics.Sum(s => s.TimedOut));
            long inFlight = 0;
            for (int q = 0; q < nic.TxQueueCount; q++)
            {
                TxQueueStatistics s = nic.GetTxStatistics(q);
                packets += s.Packets;
                completed += s.Completed;
                timedOut += s.TimedOut;
                inFlight += nic.TransmitsInFlight(q);
            }
            if (packets != state.TxSent)
                throw new FuzzFailure("the driver counted " + packets + " frames sent but accepted " + state.TxSent);
            if (completed + timedOut + nic.TxDroppedOnReset + inFlight != packets)
                throw new FuzzFailure("TX accounting: " + packets + " sent != " + completed + " completed + " + timedOut + " timed out after a miss + "
                    + nic.TxDroppedOnReset + " dropped on reset + " + inFlight + " in flight");
            if (nic.RecoveryCount != resets.Count)
                throw new FuzzFailure(nic.RecoveryCount + " recoveries but " + resets.Count + " reset reports");
        }
        foreach (WireFrame f in wire.Frames)
        {
            if (f.Direction != FrameDirection.Transmit) continue;
            int id = Frames.Check(f.Data);
            if (id < 0 || !state.Sent.Contains(id))
                throw new FuzzFailure("the wire carries a frame the driver never sent intact (" + f.Data.Length + " bytes)");
        }

        int recoveries = nic.RecoveryCount;
        long dropped = nic.TxDroppedOnReset;
        try
        {
            nic.Dispose();
        }
        catch (NicTeardownException e)
        {
            if (!e.MemoryKept || !Fired(device, DeviceFaultKind.AdminEventCounterStalled))
                throw new FuzzFailure("Dispose failed: " + e.Message, e);
            state.MemoryKept = true;
        }
        CheckViolations(device);
        if (!state.MemoryKept && device.DmaAllocator.OutstandingRegions != 0)
            throw new FuzzFailure("leak: " + device.DmaAllocator.OutstandingRegions + " DMA regions (" + device.DmaAllocator.OutstandingBytes + " bytes) outstanding after Dispose");
        if (state.MemoryKept && device.DmaAllocator.OutstandingRegions == 0)
            throw new FuzzFailure("the driver reported memory kept but none is outstanding");
        return new FuzzOutcome(true, null, recoveryError, recoveries, device.FiredFaults.Count, state.TxSent, state.TxCompleted, dropped,
            state.RxExpected, state.RxReceived, state.RxDeviceFaults, state.TxDeviceFaults, state.MemoryKept, state.Probed);
    }

    /// <summary>Faults of the admin queue and queue creation: a recovery's bring-up may fail on them.</summary>
    private static bool IsBringUpFault(DeviceFaultKind kind) => kind < DeviceFaultKind.GqiRxLenTooLarge;

    private static bool Fired(SimulatedGvnic device, DeviceFaultKind kind) => device.FiredFaults.Any(f => f.Kind == kind);

    private static void CheckViolations(SimulatedGvnic device)
    {
        if (device.DmaAllocator.Overruns > 0)
            throw new FuzzFailure("out-of-bounds: the driver wrote past the end of " + device.DmaAllocator.Overruns + " DMA regions");
        IReadOnlyList<ProtocolViolation> v = device.Violations;
        if (v.Count > 0) throw new FuzzFailure("the driver broke the protocol: " + string.Join("; ", v.Take(3)));
    }

    /// <summary>The running state of one case's traffic.</summary>
    private sealed class State(SimulatedGvnic device, Nic nic, FuzzCase c)
    {
        private readonly HashSet<int> _injected = [];
        private readonly HashSet<int> _received = [];
        private readonly HashSet<int> _affected = [];
        private readonly bool[] _glue = new bool[2];
        private readonly byte[] _buffer = new byte[16384];
        private int _nextId;

        public HashSet<int> Sent { get; } = [];
        public long TxSent, TxCompleted, RxExpected, RxReceived, RxDeviceFaults, TxDeviceFaults;
        public bool MemoryKept, Probed;

        public void Run(Step step)
        {
            switch (step.Kind)
            {
                case StepKind.Fault:
                    device.InjectFault(step.Fault!);
                    break;
                case StepKind.Send:
                    Send(step.Queue % c.TxQueues, step.Length);
                    break;
                case StepKind.Receive:
                    Receive(step.Queue % c.RxQueues, step.Length);
                    break;
                case StepKind.SendBatch:
                    SendBatch(step.Queue % c.TxQueues, step.Length, step.BatchSize);
                    break;
            }
        }

        /// <summary>Several frames behind one doorbell: the first <c>taken</c> are the driver's, the rest were refused.</summary>
        private void SendBatch(int q, int length, int count)
        {
            var frames = new ReadOnlyMemory<byte>[count];
            int firstId = _nextId;
            for (int i = 0; i < count; i++) frames[i] = Frames.Make(_nextId++, length + i, PeerMac);
            int taken = nic.TransmitBatch(frames, q);
            if (taken < 0 || taken > count) throw new FuzzFailure("TransmitBatch took " + taken + " of " + count + " frames");
            for (int i = 0; i < taken; i++)
            {
                TxSent++;
                Sent.Add(firstId + i);
            }
            TxCompleted += nic.ReclaimTransmitted(q);
        }

        private bool Send(int q, int length)
        {
            int id = _nextId++;
            byte[] frame = Frames.Make(id, length, PeerMac);
            bool ok = nic.Transmit(frame, q);
            if (ok)
            {
                TxSent++;
                Sent.Add(id);
            }
            TxCompleted += nic.ReclaimTransmitted(q);
            return ok;
        }

        /// <summary>Hands the device a frame for queue <paramref name="q"/>, drains every queue, and checks it arrived unless a fault or a reset explains why not.</summary>
        private int Receive(int q, int length)
        {
            int id = _nextId++;
            byte[] frame = Frames.Make(id, length, DeviceMac);
            int before = nic.RecoveryCount;
            int fired = device.FiredFaults.Count;
            if (_glue[q])
            {
                _affected.Add(id); // the previous frame on this queue claimed to continue into this one
                _glue[q] = false;
            }
            RxResult result = device.InjectFrame(frame, q);
            _injected.Add(id);
            foreach (FiredFault f in device.FiredFaults.Skip(fired))
            {
                if (!RxFrameFaults.Contains(f.Kind)) continue;
                _affected.Add(id);
                if (f.Kind == DeviceFaultKind.GqiRxPacketContOnLast) _glue[q] = true;
            }
            Drain();
            if (!_received.Contains(id) && nic.RecoveryCount == before) nic.Service(); // the service check may find what the data path could not
            Drain();
            bool expected = result.Outcome == RxOutcome.Delivered && !_affected.Contains(id) && nic.RecoveryCount == before;
            if (expected)
            {
                RxExpected++;
                if (!_received.Contains(id))
                    throw new FuzzFailure("frame " + id + " was delivered to RX queue " + q + " by the device, hit by no fault and no reset, and never received");
            }
            return id;
        }

        private void Drain()
        {
            for (int q = 0; q < nic.RxQueueCount; q++)
            {
                for (int n = 0; n < 200; n++)
                {
                    int id;
                    if ((n & 1) == 0)
                    {
                        if (!nic.TryReceive(_buffer, out int length, out RxInfo info, q)) break;
                        if (info.Length != length) throw new FuzzFailure("RxInfo.Length " + info.Length + " but " + length + " bytes copied");
                        id = Frames.Check(_buffer.AsSpan(0, length));
                    }
                    else
                    {
                        if (!nic.TryReceive(out RxLease lease, q)) break;
                        using (lease)
                        {
                            var whole = new List<byte>();
                            for (int s = 0; s < lease.SegmentCount; s++) whole.AddRange(lease.Segment(s).ToArray());
                            id = Frames.Check(whole.ToArray());
                        }
                    }
                    if (id < 0)
                    {
                        if (!device.FiredFaults.Any(f => f.Kind == DeviceFaultKind.GqiRxPacketContOnLast))
                            throw new FuzzFailure("RX queue " + q + " delivered a damaged frame and no fault explains it");
                        continue;
                    }
                    if (!_injected.Contains(id)) throw new FuzzFailure("RX queue " + q + " delivered frame " + id + ", which was never injected");
                    if (!_received.Add(id)) throw new FuzzFailure("RX queue " + q + " delivered frame " + id + " twice");
                    RxReceived++;
                }
            }
        }

        /// <summary>After the script, with every fault switched off: each queue still carries traffic (a few tries, as a pending reset may take the first).</summary>
        public void Probe()
        {
            device.ClearFaults();
            if (device.FiredFaults.Any(f => f.Kind == DeviceFaultKind.AdminEventCounterStalled)) return; // the device no longer answers: a reset cannot succeed
            nic.Service();
            if (!nic.LinkUp) throw new FuzzFailure("link down after the script (flaps end with the link up)");
            for (int q = 0; q < c.RxQueues; q++)
            {
                bool ok = false;
                for (int attempt = 0; attempt < 4 && !ok; attempt++) ok = _received.Contains(Receive(q, 100));
                if (!ok) throw new FuzzFailure("RX queue " + q + " carries no traffic after the faults (4 probe frames lost)");
            }
            for (int q = 0; q < c.TxQueues; q++)
            {
                bool ok = false;
                for (int attempt = 0; attempt < 4 && !ok; attempt++)
                {
                    int id = _nextId;
                    if (!Send(q, 100))
                    {
                        // A full queue: the device may have stopped completing; the watchdog in Service must find it.
                        for (int i = 0; i < 200 && !nic.Service(); i++) TxCompleted += nic.ReclaimTransmitted(q);
                        continue;
                    }
                    ok = ((VirtualWire)device.Wire).Frames.Any(f => f.Direction == FrameDirection.Transmit && Frames.Check(f.Data) == id);
                }
                if (!ok) throw new FuzzFailure("TX queue " + q + " carries no traffic after the faults (4 probe frames not sent)");
            }
            for (int q = 0; q < nic.RxQueueCount; q++) RxDeviceFaults += nic.GetRxStatistics(q).DeviceFaults;
            for (int q = 0; q < nic.TxQueueCount; q++) TxDeviceFaults += nic.GetTxStatistics(q).DeviceFaults;
            Probed = true;
        }
    }
}
