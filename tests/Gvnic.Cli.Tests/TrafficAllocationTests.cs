using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Gvnic.Cli.Traffic;
using Gvnic.Platform;
using Gvnic.Simulator;
using Gvnic.Wire;
using Xunit;

namespace Gvnic.Cli.Tests;

/// <summary>Runs <see cref="TrafficAllocationTests"/> alone: no other test JITs or allocates on its thread meanwhile.</summary>
[CollectionDefinition(nameof(TrafficAllocationTests), DisableParallelization = true)]
public sealed class TrafficAllocationTestsCollection;

/// <summary>
/// The traffic engine's steady state allocates nothing: gen (sending, and timing what comes back), fwd (two NICs,
/// and reflecting) and sink, each worker's <see cref="TrafficWorker.Step"/> measured with
/// <see cref="GC.GetAllocatedBytesForCurrentThread"/> as the driver's AllocationTests measure the driver.
/// </summary>
/// <remarks>
/// Only the workers (and the driver under them) run inside the measured windows: the devices run in manual mode
/// (their work happens in <see cref="SimulatedGvnic.RunPending"/>, between windows), and the doorbells rung inside a
/// window are held and delivered after it. Every path is warmed up first, then tiered compilation is given time.
/// </remarks>
[Collection(nameof(TrafficAllocationTests))]
public class TrafficAllocationTests
{
    private const int Queues = 2;
    private const int Windows = 5;
    private const int RoundsPerWindow = 200;

    [Theory]
    [InlineData(QueueFormat.DqoRda, false)]
    [InlineData(QueueFormat.GqiQpl, false)]
    [InlineData(QueueFormat.DqoQpl, true)]
    [InlineData(QueueFormat.GqiRda, true)]
    public void Workers_allocate_nothing_per_frame(QueueFormat format, bool reflect)
    {
        // reflect: tester gen ⇄ fwd (one NIC, macswap). Else: tester gen → fwd port 0 ⇄ fwd port 1 → sink (5tswap).
        int count = reflect ? 2 : 4;
        var devices = Enumerable.Range(0, count).Select(i => new SimulatedGvnic(new SimulatedDeviceConfig
        {
            Address = "sim:" + i, Mac = [0x42, 0x01, 0x0a, 0x00, (byte)i, 0x02], Execution = ExecutionMode.Manual, MaxPendingRxFrames = 4096,
        })).ToList();
        try
        {
            for (int i = 0; i + 1 < count; i += 2) ModelCable.Connect(devices[i], devices[i + 1]);
            var pcis = devices.Select(d => new DeferringPci(d)).ToList();
            var nics = pcis.Select((p, i) => TrafficNic.Open(p, "nic " + i, format, Queues, own: true)).ToList();
            for (int i = 0; i < count; i++) nics[i].Ip = TrafficSetup.ModelIp(i);
            try
            {
                var options = TrafficCommandTests.Options(TrafficCommand.Fwd) with { Sizes = FrameSizes.Parse("imix"), Flows = 16 };
                var setup = new TrafficSetup();
                setup.MakeTemplate(nics[0], nics[1].Mac, nics[count - 1].Ip!, options);
                setup.AddGenerators(nics[0], "gen", options, own: true);
                if (reflect)
                {
                    setup.AddForwarders([nics[1]], ForwardMode.MacSwap);
                }
                else
                {
                    setup.AddForwarders([nics[1], nics[2]], ForwardMode.FiveTupleSwap);
                    setup.AddSinks(nics[3], "sink", own: true, timedRun: setup.Template!.Run);
                }
                var rounds = new Rounds(setup.Own, devices, pcis);

                // 1. Warm up: until every device has carried several rings' worth of frames.
                for (int i = 0; i < 600; i++) rounds.Run();
                // 2. Let tiered compilation install its optimised code, then run it.
                for (int pass = 0; pass < 3; pass++)
                {
                    Thread.Sleep(200);
                    for (int i = 0; i < 200; i++) rounds.Run();
                }
                // 3. Measure. A single one-off runtime allocation may taint one window, never two.
                var before = setup.Own.Select(w => w.Counters.Snapshot()).ToList();
                var windows = new long[Windows];
                for (int w = 0; w < Windows; w++)
                    for (int i = 0; i < RoundsPerWindow; i++) windows[w] += rounds.Run();
                int clean = windows.Count(b => b == 0);
                Assert.True(clean >= Windows - 1, "the workers allocated in " + (Windows - clean) + " of " + Windows + " windows: bytes per window " + string.Join(", ", windows));

                // Frames went every way while measured.
                var after = setup.Own.Select(w => w.Counters.Snapshot()).ToList();
                for (int i = 0; i < after.Count; i++)
                {
                    var delta = after[i] - before[i];
                    string who = setup.Own[i].Name;
                    if (setup.Own[i] is GenWorker or FwdWorker) Assert.True(delta.TxFrames > 1000, who + " sent " + delta.TxFrames);
                    if (setup.Own[i] is not GenWorker || reflect) Assert.True(delta.RxFrames > 1000, who + " received " + delta.RxFrames);
                    Assert.Equal(0, delta.RxBad);
                }
                foreach (var w in setup.Own.Where(w => w.Latency is not null && (reflect || w is SinkWorker))) Assert.True(w.Latency!.Count > 0, w.Name + " timed nothing");
                foreach (var d in devices) Assert.Empty(d.Violations);
            }
            finally
            {
                foreach (var nic in nics) nic.TearDown();
            }
        }
        finally
        {
            foreach (var d in devices) d.Dispose();
        }
    }

    /// <summary>One round: each worker steps once on this thread (measured), each device runs what its doorbells started (not measured).</summary>
    private sealed class Rounds(List<TrafficWorker> workers, List<SimulatedGvnic> devices, List<DeferringPci> pcis)
    {
        public long Run()
        {
            long allocated = 0;
            foreach (var worker in workers)
            {
                foreach (var pci in pcis) pci.Defer = true;
                long before = GC.GetAllocatedBytesForCurrentThread();
                worker.Step();
                allocated += GC.GetAllocatedBytesForCurrentThread() - before;
                foreach (var pci in pcis)
                {
                    pci.Defer = false;
                    pci.Replay();
                }
                bool work = true;
                while (work)
                {
                    work = false;
                    foreach (var device in devices) work |= device.RunPending() > 0;
                }
            }
            return allocated;
        }
    }

    /// <summary>A simulated device whose BAR2 writes (doorbells) can be held in a preallocated log and delivered later, so no device code runs inside a measured call.</summary>
    private sealed class DeferringPci(SimulatedGvnic device) : IPciFunction
    {
        private readonly DeferringMmio _bar2 = new(device.Bar2);

        public bool Defer { get => _bar2.Defer; set => _bar2.Defer = value; }

        public void Replay() => _bar2.Replay();

        public string Address => device.Address;
        public ushort VendorId => device.VendorId;
        public ushort DeviceId => device.DeviceId;
        public byte RevisionId => device.RevisionId;
        public IMmioRegion Bar0 => device.Bar0;
        public IMmioRegion Bar2 => _bar2;
        public long Bar2Length => device.Bar2Length;
        public IDmaAllocator Dma => device.Dma;
        public IInterruptController Interrupts => device.Interrupts;
        public void EnableBusMaster() => device.EnableBusMaster();
        public void DisableBusMaster() => device.DisableBusMaster();
        public void Dispose() { }

        private sealed class DeferringMmio(IMmioRegion inner) : IMmioRegion
        {
            private readonly long[] _offsets = new long[16384];
            private readonly uint[] _values = new uint[16384];
            private int _held;

            public bool Defer;

            public void Replay()
            {
                int n = _held;
                _held = 0;
                for (int i = 0; i < n; i++) inner.Write32(_offsets[i], _values[i]);
            }

            public byte Read8(long offset) => inner.Read8(offset);
            public void Write8(long offset, byte value) => inner.Write8(offset, value);
            public ushort Read16(long offset) => inner.Read16(offset);
            public void Write16(long offset, ushort value) => inner.Write16(offset, value);
            public uint Read32(long offset) => inner.Read32(offset);
            public ulong Read64(long offset) => inner.Read64(offset);
            public void Write64(long offset, ulong value) => inner.Write64(offset, value);

            public void Write32(long offset, uint value)
            {
                if (!Defer)
                {
                    inner.Write32(offset, value);
                    return;
                }
                _offsets[_held] = offset;
                _values[_held++] = value;
            }
        }
    }
}
