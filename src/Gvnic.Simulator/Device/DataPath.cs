using System;
using Gvnic.Simulator.Faults;
using Gvnic.Simulator.Queues;

namespace Gvnic.Simulator.Device;

/// <summary>
/// The device's data path: frames from the wire steered to an RX queue, the manual-mode stepping of waiting work, and
/// everything a queue may ask of the device (<see cref="IQueueHost"/>). Called with the device lock held.
/// </summary>
internal sealed class DataPath(DeviceState state, FaultInjector faults, ViolationLog violations) : IQueueHost
{
    public SimulatedDeviceConfig Config => state.Config;

    public FaultInjector Faults => faults;

    public bool Synchronous => state.Config.Execution == ExecutionMode.Synchronous;

    public int Mtu => state.Mtu;

    public bool LinkUp => state.LinkUp;

    public bool TryDma(ulong address, long length, int queue, long index, scoped in DmaWhat what, out Span<byte> span)
        => state.Dma.TryAccess(address, length, queue, index, in what, out span);

    public bool TryDmaQuiet(ulong address, long length, out Span<byte> span)
    {
        span = default;
        return state.Dma.BusMaster && state.Dma.TryResolve(address, length, out span, out _, out _);
    }

    public void Violate(ViolationKind kind, int queue, long index, string detail) => violations.Add(kind, queue, index, detail);

    public void Notify(uint block) => state.Blocks.Notify(block);

    public void WriteEventCounter(uint index, uint value, int queue) => state.EventCounters.Write(index, value, queue);

    public void Transmit(byte[] frame, int queue) => state.Wire.Queue(frame, queue);

    public byte[] RentFrame(int length) => state.Wire.Frames.Rent(length);

    public void ReturnFrame(byte[] frame) => state.Wire.Frames.Return(frame);

    public uint RssHash(in RxArrival arrival)
        => arrival.HashVersion == state.Steering.Version ? arrival.Hash : state.Steering.Hash(arrival.Frame, arrival.Info);

    public ulong NicNanoseconds => state.Clock.NicNanoseconds(state.Config.NicClockStart);

    /// <summary>
    /// A frame arrives from the wire, for RX queue <paramref name="queue"/> or (when -1) the queue RSS chooses.
    /// <paramref name="frame"/> is one of the device's frame buffers (<see cref="FramePool"/>): it goes back to them once
    /// written into driver memory or dropped (a queued frame, when its queue processes it).
    /// </summary>
    public RxResult Receive(byte[] frame, int queue)
    {
        RxResult result = Steer(frame, queue);
        if (result.Outcome != RxOutcome.Queued) state.Wire.Frames.Return(frame);
        return result;
    }

    private long _loadWindow = -1; // SimulatedDeviceConfig.RxLoadWindow in clock units (the configuration is immutable)

    private RxResult Steer(byte[] frame, int queue)
    {
        // The frame's arrival: due work runs at this time (with the system clock, a look at the coarse clock when nothing
        // is due soon). The load window reads the clock only for a queue that can still drop under load.
        state.Clock.RunDue();
        if (!state.LinkUp || !state.Configured)
        {
            int q = queue >= 0 && queue < state.RxCounters.Length ? queue : 0;
            if (!state.LinkUp) state.RxCounters[q].LinkDownDrops++;
            return new RxResult(-1, RxOutcome.DroppedNotReady);
        }
        RxQueue?[] rx = state.Rx;
        // Parsed once here: steering, the RSS hash and the RX queue's descriptor all use this.
        FrameInfo info = FrameInfo.Parse(frame);
        uint hash = 0;
        bool hashed = false;
        int target = queue >= 0 ? queue : state.Steering.Steer(frame, info, rx, out hash, out hashed);
        if (target < 0 || target >= rx.Length || rx[target] is null) return new RxResult(-1, RxOutcome.DroppedNotReady);
        RxQueue rxq = rx[target]!;
        if (rxq.MayDropUnderLoad)
        {
            if (_loadWindow < 0) _loadWindow = state.Clock.Duration(state.Config.RxLoadWindow);
            if (rxq.DropsUnderLoad(state.Clock.Now, _loadWindow))
            {
                state.UpdateStatsReport();
                return new RxResult(target, RxOutcome.DroppedUnderLoad);
            }
        }
        var arrival = new RxArrival(frame, info, hash, hashed ? state.Steering.Version : -1);
        RxOutcome outcome = Synchronous ? rxq.Deliver(in arrival) : rxq.Enqueue(in arrival);
        state.UpdateStatsReport();
        return new RxResult(target, outcome);
    }

    /// <summary>Whether data-path work is waiting (manual mode).</summary>
    public bool HasWork
    {
        get
        {
            foreach (TxQueue? q in state.Tx) if (q is not null && q.HasWork) return true;
            foreach (RxQueue? q in state.Rx) if (q is not null && q.HasWork) return true;
            return false;
        }
    }

    /// <summary>Runs one unit of waiting work: one TX packet or one RX frame, lowest queue first (TX before RX). False when nothing waits.</summary>
    public bool Step()
    {
        state.Clock.RunDue();
        foreach (TxQueue? q in state.Tx)
        {
            // ProcessOne returns false, having done nothing, exactly when HasWork is false (a DQO queue would otherwise
            // look for a whole packet twice).
            if (q is not null && q.ProcessOne()) return true;
        }
        foreach (RxQueue? q in state.Rx)
        {
            if (q is not null && q.HasWork && q.ProcessPendingFrame()) return true;
        }
        return false;
    }

    /// <summary>DQO ring-full pressure on or off: while on, every DQO TX packet completion waits in the device; off releases what waits beyond the reorder window.</summary>
    public void HoldDqoTxCompletions(bool hold)
    {
        foreach (TxQueue? q in state.Tx)
        {
            if (q is not DqoTxQueue d) continue;
            d.HoldAll = hold;
            if (!hold) d.ReleaseBeyondWindow();
        }
    }

    /// <summary>Writes every held DQO TX completion; returns how many.</summary>
    public int ReleaseDqoTxCompletions()
    {
        int n = 0;
        foreach (TxQueue? q in state.Tx)
        {
            if (q is DqoTxQueue d) n += d.ReleaseHeld();
        }
        return n;
    }
}
