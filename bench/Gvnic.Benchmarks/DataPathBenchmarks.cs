using System;
using BenchmarkDotNet.Attributes;
using Gvnic.Driver;
using Gvnic.Simulator;
using Gvnic.Wire;

namespace Gvnic.Benchmarks;

/// <summary>
/// One frame out and back in through the driver and a loopback device model, per queue format and frame size.
/// The figure includes the device model's work (it runs inside the doorbell writes) and its allocations (the
/// wire's copy and record of each frame): it bounds the driver's cost from above, it does not isolate it. The
/// driver's own allocations are zero (tests/Gvnic.Driver.Tests AllocationTests).
/// </summary>
[MemoryDiagnoser]
public class DataPathBenchmarks
{
    private SimulatedGvnic _device = null!;
    private VirtualWire _wire = null!;
    private int _sent;
    private Nic _nic = null!;
    private byte[] _frame = [];
    private byte[] _buffer = [];

    /// <summary>The queue format under test.</summary>
    [Params(QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl)]
    public QueueFormat Format { get; set; }

    /// <summary>The Ethernet frame length in bytes (1478: the largest at the default MTU of 1460).</summary>
    [Params(64, 1478)]
    public int FrameBytes { get; set; }

    /// <summary>Brings a simulated device up on a loopback wire and builds the frame.</summary>
    [GlobalSetup]
    public void Setup()
    {
        _device = new SimulatedGvnic(new SimulatedDeviceConfig());
        _wire = VirtualWire.Loopback();
        _device.AttachWire(_wire);
        _nic = Nic.Open(_device, new NicOptions { QueueFormat = Format });
        _frame = new byte[FrameBytes];
        _nic.MacAddress.CopyTo(_frame);            // destination: ourselves, so the loopback delivers it
        _frame[6] = 0x02;                          // a locally administered source address
        _frame[12] = 0x08;                         // EtherType IPv4
        _buffer = new byte[_nic.MaxFrameSize];
    }

    /// <summary>Tears the device down.</summary>
    [GlobalCleanup]
    public void Cleanup()
    {
        _nic.Dispose();
        _device.Dispose();
    }

    /// <summary>Transmit one frame, receive it back (copied out), reclaim the TX slot.</summary>
    [Benchmark]
    public int TransmitAndReceive()
    {
        if (!_nic.Transmit(_frame)) throw new InvalidOperationException("TX ring full");
        if (!_nic.TryReceive(_buffer, out int length, out _)) throw new InvalidOperationException("frame not looped back");
        _nic.ReclaimTransmitted();
        if (++_sent % 4096 == 0) _wire.ClearRecords(); // the wire keeps a record of every frame; don't let it grow
        return length;
    }
}
