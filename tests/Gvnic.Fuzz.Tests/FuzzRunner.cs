using System;
using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Gvnic.Driver;
using Gvnic.Simulator;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;

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
        DeviceFaultKind.DqoRxGenerationFlipped, DeviceFaultKind.GqiRxNeverValid,
    ];

    /// <summary>Faults of the admin queue that leave it failed: nothing more may be sent to it, and teardown may fail on them.</summary>
    private static readonly HashSet<DeviceFaultKind> ControlPlaneFailures =
    [
        DeviceFaultKind.AdminEventCounterStalled, DeviceFaultKind.AdminSelfReset, DeviceFaultKind.AdminEventCounterAhead, DeviceFaultKind.AdminStallAfterCommand,
    ];

    /// <summary>The commands that are optional (issue 15, class 7): no error of theirs may stop a bring-up.</summary>
    private static bool IsOptional(AdminqOpcodes opcode) => opcode is AdminqOpcodes.ReportLinkSpeed or AdminqOpcodes.ReportStats;

    private static readonly string[] Undo = ["DESTROY_RX_QUEUE", "DESTROY_TX_QUEUE", "UNREGISTER_PAGE_LIST", "DECONFIGURE_DEVICE_RESOURCES"];

    /// <summary>What the progress says when an optional command failed and bring-up went on.</summary>
    private const string Tolerated = "optional, bring-up goes on without it";

    private const int AdminTimeoutMs = 200;

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
        NicTimestamp = true,
    };

    public static FuzzOutcome Run(FuzzCase c)
    {
        using var device = new SimulatedGvnic(Config(c.Revision, c.Dqo));
        var contention = new Contention();
        device.AttachWire(VirtualWire.Responder(frame =>
        {
            contention.OnTransmit(frame.Span);
            return null;
        }));
        var wire = (VirtualWire)device.Wire;
        var resets = new List<NicResetReport>();
        var steps = new List<NicBringUpStep>();
        var clock = new SteppingTimeProvider();
        var options = new NicOptions
        {
            QueueFormat = c.Format,
            TxQueues = c.TxQueues,
            RxQueues = c.RxQueues,
            Mtu = c.Sizes.Mtu,
            RxBufferSize = c.Sizes.RxBufferSize,
            RxRingSize = c.Sizes.RxRingSize,
            AdminTimeout = TimeSpan.FromMilliseconds(AdminTimeoutMs),
            TxTimeout = TimeSpan.FromSeconds(1), // 50 reads of the stepping clock
            TimeProvider = clock,
            RdaTxBufferBytes = 64 * 1024,
            Timestamps = c.Format is QueueFormat.DqoRda or QueueFormat.DqoQpl,
            OnReset = resets.Add,
            Progress = steps.Add,
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
            CheckNotOptional(e);
            CheckViolations(device);
            CheckSilence(steps);
            // A failed bring-up waits a full AdminTimeout at most twice: for the command that got no answer, and for the release.
            int waits = steps.Count(s => s.Elapsed >= options.AdminTimeout);
            if (waits > 2)
                throw new FuzzFailure("a failed bring-up waited a full AdminTimeout " + waits + " times: "
                    + string.Join(", ", steps.Where(s => s.Elapsed >= options.AdminTimeout).Select(s => s.Name)));
            bool kept = MemoryKept(steps, device);
            if (!kept && device.DmaAllocator.OutstandingRegions != 0)
                throw new FuzzFailure("leak: " + device.DmaAllocator.OutstandingRegions + " DMA regions outstanding after a failed Open (" + e.Message + ")");
            return new FuzzOutcome(false, e.GetType().Name, null, 0, device.FiredFaults.Count, 0, 0, 0, 0, 0, 0, 0, kept, false)
            {
                Fired = Kinds(device), Tolerated = steps.Count(s => s.Detail.EndsWith(Tolerated, StringComparison.Ordinal)),
            };
        }

        var state = new State(device, nic, c, contention, clock);
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
            CheckNotOptional(e);
            try
            {
                nic.ReclaimTransmitted();
                throw new FuzzFailure("the NIC is still usable after its recovery failed (" + e.Message + ")");
            }
            catch (ObjectDisposedException) { }
            recoveryError = e.GetType().Name;
            // The memory is kept when the device never confirmed the release: a teardown that says so, or the cleanup of a
            // failed bring-up (whose error is the one thrown) that reported it.
            state.MemoryKept = e is NicTeardownException { MemoryKept: true } || MemoryKept(steps, device);
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
            // A control plane that failed on the way (issue 15, classes 4 and 5): teardown went straight to the release, and
            // keeps the memory only when the device never confirmed it.
            if (!device.FiredFaults.Any(f => ControlPlaneFailures.Contains(f.Kind)) || (e.MemoryKept && !Stalled(device)))
                throw new FuzzFailure("Dispose failed: " + e.Message, e);
            state.MemoryKept = e.MemoryKept;
        }
        CheckViolations(device);
        CheckSilence(steps);
        if (!state.MemoryKept && device.DmaAllocator.OutstandingRegions != 0)
            throw new FuzzFailure("leak: " + device.DmaAllocator.OutstandingRegions + " DMA regions (" + device.DmaAllocator.OutstandingBytes + " bytes) outstanding after Dispose");
        if (state.MemoryKept && device.DmaAllocator.OutstandingRegions == 0)
            throw new FuzzFailure("the driver reported memory kept but none is outstanding");
        return new FuzzOutcome(true, null, recoveryError, recoveries, device.FiredFaults.Count, state.TxSent, state.TxCompleted, dropped,
            state.RxExpected, state.RxReceived, state.RxDeviceFaults, state.TxDeviceFaults, state.MemoryKept, state.Probed)
        {
            Fired = Kinds(device), Tolerated = steps.Count(s => s.Detail.EndsWith(Tolerated, StringComparison.Ordinal)), Contended = contention.Refused,
            Steered = state.Steered, SteerRefused = state.SteerRefused,
        };
    }

    /// <summary>Faults of the admin queue, of queue creation and of the numbers a device supplies: a recovery's bring-up (or teardown) may fail on them.</summary>
    private static bool IsBringUpFault(DeviceFaultKind kind)
        => kind < DeviceFaultKind.GqiRxLenTooLarge || kind is DeviceFaultKind.HostileValue || ControlPlaneFailures.Contains(kind);

    private static bool Fired(SimulatedGvnic device, DeviceFaultKind kind) => device.FiredFaults.Any(f => f.Kind == kind);

    /// <summary>Whether the device stopped answering its admin queue (so it never confirms a release either).</summary>
    private static bool Stalled(SimulatedGvnic device)
        => Fired(device, DeviceFaultKind.AdminEventCounterStalled) || Fired(device, DeviceFaultKind.AdminStallAfterCommand);

    /// <summary>
    /// Whether the last teardown kept the DMA memory (its "DMA memory" step failed: the device never confirmed the
    /// release), which only a device that stopped answering may cause.
    /// </summary>
    private static bool MemoryKept(List<NicBringUpStep> steps, SimulatedGvnic device)
    {
        NicBringUpStep last = steps.LastOrDefault(s => s.Phase == NicPhase.Teardown && s.Name == "DMA memory");
        if (!last.Failed) return false;
        if (!Stalled(device)) throw new FuzzFailure("a teardown kept the memory of a device that never stopped answering: " + last.Detail);
        return true;
    }

    private static int[] Kinds(SimulatedGvnic device)
    {
        var counts = new int[FuzzTotals.KindCount];
        foreach (FiredFault f in device.FiredFaults) counts[(int)f.Kind]++;
        return counts;
    }

    /// <summary>Issue 15, class 7: an error from an optional command never stops a bring-up.</summary>
    private static void CheckNotOptional(GvnicException e)
    {
        if (e is AdminCommandException a && IsOptional(a.Opcode))
            throw new FuzzFailure("an error from the optional " + a.Opcode + " stopped a bring-up: " + a.Message, e);
    }

    /// <summary>
    /// Issues 15, classes 4 and 5: once the control plane failed (the progress says "control plane failed"), no command
    /// undoes anything: teardown goes straight to the release, until a new bring-up starts.
    /// </summary>
    private static void CheckSilence(List<NicBringUpStep> steps)
    {
        bool silent = false;
        foreach (NicBringUpStep s in steps)
        {
            if (s.Name == "control plane failed") silent = true;
            else if (s.Phase == NicPhase.BringUp) silent = false;
            else if (silent && Undo.Any(u => s.Name.StartsWith(u, StringComparison.Ordinal)))
                throw new FuzzFailure("teardown sent " + s.Name + " after the control plane failed");
        }
    }

    private static void CheckViolations(SimulatedGvnic device)
    {
        if (device.DmaAllocator.Overruns > 0)
            throw new FuzzFailure("out-of-bounds: the driver wrote past the end of " + device.DmaAllocator.Overruns + " DMA regions");
        IReadOnlyList<ProtocolViolation> v = device.Violations;
        // A device that reset itself in the middle of traffic drops its queues at once; a doorbell the driver rings before
        // it can know (the reset shows only in device_status, read by Service, ReclaimTransmitted and a timed-out
        // WaitForReceive) lands on no queue. Nothing else is excused.
        if (Fired(device, DeviceFaultKind.DeviceSelfReset)) v = v.Where(x => x.Kind != ViolationKind.UnknownDoorbell).ToArray();
        if (v.Count > 0) throw new FuzzFailure("the driver broke the protocol: " + string.Join("; ", v.Take(3)));
    }

    /// <summary>
    /// Issue 15, class 8: a second call on a queue while a first one runs on it. <see cref="Arm"/> sets what the second call
    /// is; it runs at the moment the first is inside the driver (the TX frame it sends crossing the wire, or the clock read
    /// of a wait), on the same thread or another, and must be refused with an <see cref="InvalidOperationException"/> naming
    /// the queue. A second call that gets in is a failure (it would duplicate, invent or lose frames).
    /// </summary>
    private sealed class Contention
    {
        private Action? _second;
        private int _frameId = -1;
        private string _queue = "";
        private bool _otherThread;
        private Exception? _failure;

        public int Refused;

        /// <summary>Arms a second call on <paramref name="queue"/>, to run when the frame <paramref name="frameId"/> crosses the wire (or -1: when <see cref="Run"/> is called).</summary>
        public void Arm(string queue, int frameId, bool otherThread, Action second)
        {
            _queue = queue;
            _frameId = frameId;
            _otherThread = otherThread;
            _failure = null;
            Volatile.Write(ref _second, second);
        }

        /// <summary>Disarms; throws what the second call did wrong, if it ran.</summary>
        public void Disarm()
        {
            Volatile.Write(ref _second, null);
            if (_failure is not null) throw _failure;
        }

        public void OnTransmit(ReadOnlySpan<byte> frame)
        {
            if (_frameId >= 0 && Volatile.Read(ref _second) is not null && Frames.Check(frame) == _frameId) Run();
        }

        /// <summary>Runs the armed second call (once) and checks it was refused.</summary>
        public void Run()
        {
            Action? second = Interlocked.Exchange(ref _second, null);
            if (second is null) return;
            Exception? caught = null;
            void Call()
            {
                try
                {
                    second();
                }
                catch (Exception e)
                {
                    caught = e;
                }
            }
            if (_otherThread)
            {
                var thread = new Thread(Call) { IsBackground = true, Name = "fuzz second caller" };
                thread.Start();
                if (!thread.Join(TimeSpan.FromSeconds(10)))
                {
                    _failure = new FuzzFailure("hang: a second call on " + _queue + " from another thread did not return in 10 s");
                    return;
                }
            }
            else
            {
                Call();
            }
            if (caught is InvalidOperationException e && e.Message.StartsWith(_queue + " is in use", StringComparison.Ordinal)) Refused++;
            else _failure = new FuzzFailure("a second call on " + _queue + (_otherThread ? " from another thread" : " from inside the first") + " was not refused: "
                + (caught is null ? "it ran" : caught.GetType().Name + ": " + caught.Message), caught);
        }
    }

    /// <summary>The running state of one case's traffic.</summary>
    private sealed class State(SimulatedGvnic device, Nic nic, FuzzCase c, Contention contention, SteppingTimeProvider clock)
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
        public int Steered, SteerRefused;

        /// <summary>The location of a rule a refused steering step added and did not delete.</summary>
        private int? _heldRule;

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
                case StepKind.Contend:
                    if (step.ContendsRx) ContendRx(step.Queue % c.RxQueues, step);
                    else ContendTx(step.Queue % c.TxQueues, step);
                    break;
                case StepKind.Steer:
                    Steer(step.Queue % c.RxQueues, step.Length);
                    break;
            }
        }

        /// <summary>
        /// RSS configured and read back, a flow rule added, read back and deleted. A refusal must name what the device did:
        /// a DeviceFaultException the RSS_CONFIG or FLOW_STEERING field a hostile value replaced, a NicConfigurationException a
        /// FLOW_STEERING option made to allow 0 rules, an AdminCommandException a status fault; a control plane that failed on
        /// the way (a stalled or reset admin queue) is replaced with Recover, as a user would.
        /// </summary>
        private void Steer(int q, int seed)
        {
            try
            {
                SteerOnce(q, seed);
            }
            catch (GvnicException) when (nic.TxQueueCount == 0)
            {
                throw; // a recovery the call started failed and left the NIC disposed: the outer handler judges it
            }
        }

        private static string? RssSizeField(string message) =>
            message.Contains("(Nic.RssKeySize)", StringComparison.Ordinal) ? "hash_key_size"
            : message.Contains("(Nic.RssIndirectionTableSize)", StringComparison.Ordinal) ? "hash_lut_size" : null;

        private void SteerOnce(int q, int seed)
        {
            try
            {
                if (nic.RssSupported)
                {
                    byte[] key = new byte[nic.RssKeySize];
                    for (int i = 0; i < key.Length; i++) key[i] = (byte)(seed * 31 + i * 7);
                    int[] table = RssConfiguration.RoundRobin(nic.RssIndirectionTableSize, c.RxQueues);
                    nic.ConfigureRss(new RssConfiguration { Key = key, IndirectionTable = table });
                    RssConfiguration read = nic.QueryRss();
                    if (!key.AsSpan().SequenceEqual(read.Key) || !table.AsSpan().SequenceEqual(read.IndirectionTable))
                        throw new FuzzFailure("QUERY_RSS read back another key or table than CONFIGURE_RSS set");
                }
                if (nic.FlowSteeringSupported)
                {
                    // A step refused after its add leaves the rule in place (the driver keeps it, and restores it after a
                    // reset); deleted here, as a user would, or a small hostile max_flow_rules fills up over the steps.
                    if (_heldRule is int left)
                    {
                        nic.DeleteFlowRule(left);
                        _heldRule = null;
                    }
                    var rule = new FlowRule { Type = Gvnic.Wire.FlowType.Udpv4, Queue = q, DestinationPort = (ushort)(7000 + seed) };
                    int location = nic.AddFlowRule(rule);
                    _heldRule = location;
                    if (!nic.QueryFlowRules().Contains(rule with { Location = location }))
                        throw new FuzzFailure("QUERY_FLOW_RULES did not return the rule just added at " + location);
                    nic.DeleteFlowRule(location);
                    _heldRule = null;
                }
                Steered++;
            }
            catch (GvnicException) when (nic.TxQueueCount == 0)
            {
                throw;
            }
            catch (DeviceFaultException e) when (e.Queue is "RSS_CONFIG option" or "QUERY_FLOW_RULES answer")
            {
                HostileField field = e.Field switch
                {
                    "hash_key_size" => HostileField.RssKeySize,
                    "hash_lut_size" => HostileField.RssLutSize,
                    _ => HostileField.MaxFlowRules,
                };
                if (!device.FiredFaults.Any(f => f.Kind == DeviceFaultKind.HostileValue && f.Detail.Contains(Named(field), StringComparison.Ordinal)))
                    throw new FuzzFailure("steering refused with no hostile " + field + " fired: " + e.Message, e);
                SteerRefused++;
            }
            catch (ArgumentException e) when (e.ParamName == "configuration" && RssSizeField(e.Message) is string sizeField)
            {
                // The key and table were sized before the call; the call recovered a reset first, and the device that came back
                // describes other sizes: the caller's key or table no longer fits, and the driver says so.
                if (!device.FiredFaults.Any(f => f.Kind == DeviceFaultKind.HostileValue && f.Detail.Contains(sizeField, StringComparison.Ordinal)))
                    throw new FuzzFailure("an RSS size changed under a call with no hostile " + sizeField + " fired: " + e.Message, e);
                SteerRefused++;
            }
            catch (NicConfigurationException e) when (e.Message.EndsWith("allows 0 rules (max_flow_rules)", StringComparison.Ordinal))
            {
                if (!device.FiredFaults.Any(f => f.Kind == DeviceFaultKind.HostileValue && f.Detail.Contains("max_flow_rules", StringComparison.Ordinal)))
                    throw new FuzzFailure("flow steering refused for a 0-rule limit no fault set: " + e.Message, e);
                SteerRefused++;
            }
            catch (AdminCommandException e)
            {
                if (!device.FiredFaults.Any(f => f.Kind is DeviceFaultKind.AdminCommandStatus or DeviceFaultKind.HostileValue))
                    throw new FuzzFailure("a steering command failed with no fault fired: " + e.Message, e);
            }
            catch (GvnicException e) when (e is DeviceTimeoutException or DeviceResetException or DeviceFaultException)
            {
                if (device.FiredFaults.Count == 0) throw new FuzzFailure("a steering command failed with no fault fired: " + e.Message, e);
                nic.Recover(); // a new control plane; a failure here is a recovery's, handled as one
            }
        }

        /// <summary>The name the fault injector records for a replaced option field.</summary>
        private static string Named(HostileField field) => field switch
        {
            HostileField.RssKeySize => "hash_key_size",
            HostileField.RssLutSize => "hash_lut_size",
            _ => "max_flow_rules",
        };

        /// <summary>Sends a frame on TX queue <paramref name="q"/>; while it crosses the wire (inside the doorbell), a second call on the queue must be refused.</summary>
        private void ContendTx(int q, Step step)
        {
            int intruder = -1 - q; // never a frame id: a second Transmit that got in would put a frame on the wire nobody sent
            byte[] other = Frames.Make(intruder, 100, PeerMac);
            Action second = step.ContendingCall switch
            {
                0 => () => nic.Transmit(other, q),
                1 => () => nic.TransmitBatch(new ReadOnlyMemory<byte>[] { other }, q),
                2 => () => nic.ReclaimTransmitted(q),
                _ => nic.Recover,
            };
            contention.Arm("TX queue " + q, _nextId, step.FromAnotherThread, second);
            try
            {
                Send(q, 100);
            }
            finally
            {
                contention.Disarm();
            }
        }

        /// <summary>Waits on RX queue <paramref name="q"/>; at the wait's first clock read, a second call on the queue must be refused.</summary>
        private void ContendRx(int q, Step step)
        {
            Action second = step.ContendingCall switch
            {
                0 => () => nic.TryReceive(new byte[16384], out _, out _, q),
                1 => () =>
                {
                    if (nic.TryReceive(out RxLease lease, q)) lease.Dispose();
                },
                2 => () => nic.WaitForReceive(TimeSpan.Zero, q),
                _ => nic.Recover,
            };
            contention.Arm("RX queue " + q, -1, step.FromAnotherThread, second);
            clock.OnNextRead = contention.Run;
            try
            {
                nic.WaitForReceive(TimeSpan.FromMilliseconds(100), q);
            }
            finally
            {
                clock.OnNextRead = null;
                contention.Disarm();
            }
        }

        /// <summary>Several frames behind one doorbell: the first <c>taken</c> are the driver's, the rest were refused.</summary>
        private void SendBatch(int q, int length, int count)
        {
            var frames = new ReadOnlyMemory<byte>[count];
            int firstId = _nextId;
            // Longest first, and no longer than the NIC carries now (a device lying about its MTU may make it small).
            length = Math.Min(length, nic.MaxFrameSize - count);
            for (int i = 0; i < count; i++) frames[i] = Frames.Make(_nextId++, length + count - 1 - i, PeerMac);
            int taken;
            try
            {
                taken = nic.TransmitBatch(frames, q);
            }
            catch (ArgumentOutOfRangeException) when (frames[0].Length > nic.MaxFrameSize)
            {
                taken = 0; // a recovery inside the call (a reset was pending) came back with a smaller MTU: the longest frame was refused before any was posted
            }
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
            byte[] frame = Frames.Make(id, Math.Min(length, nic.MaxFrameSize), PeerMac);
            bool ok;
            try
            {
                ok = nic.Transmit(frame, q);
            }
            catch (ArgumentOutOfRangeException) when (frame.Length > nic.MaxFrameSize)
            {
                ok = false; // a recovery inside the call came back with a smaller MTU
            }
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
                // A hostile header_len marks the frame's headers as split off when they were not (or longer than any header
                // buffer): the driver drops and counts it, as any malformed completion.
                bool split = f.Kind == DeviceFaultKind.HostileValue && f.Detail.StartsWith("header_len", StringComparison.Ordinal);
                if (!RxFrameFaults.Contains(f.Kind) && !split) continue;
                _affected.Add(id);
                if (f.Kind == DeviceFaultKind.GqiRxPacketContOnLast) _glue[q] = true;
            }
            Drain();
            if (!_received.Contains(id) && nic.RecoveryCount == before) nic.Service(); // the service check may find what the data path could not
            Drain();
            // (A frame longer than the device's MTU allows, which a device lying about its MTU delivers, is dropped and counted.)
            bool expected = result.Outcome == RxOutcome.Delivered && !_affected.Contains(id) && nic.RecoveryCount == before && frame.Length <= nic.MaxFrameSize;
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
                        CheckResults(info);
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

        /// <summary>
        /// The RX results decode to named values whatever the device wrote (hostile packet types, checksum bits, times), and
        /// with timestamps on every frame carries a time (the model stamps every DQO completion).
        /// </summary>
        private void CheckResults(in RxInfo info)
        {
            if (!Enum.IsDefined(info.L3Type) || !Enum.IsDefined(info.L4Type) || !Enum.IsDefined(info.L3Checksum) || !Enum.IsDefined(info.L4Checksum) || !Enum.IsDefined(info.RssHashType))
                throw new FuzzFailure("RxInfo carries an undefined value: " + info);
            if (nic.TimestampsEnabled != info.Timestamp.HasValue)
                throw new FuzzFailure("timestamps " + (nic.TimestampsEnabled ? "on" : "off") + " but the frame's Timestamp is " + (info.Timestamp?.ToString() ?? "null"));
            if (info.HeaderLength != 0) throw new FuzzFailure("header length " + info.HeaderLength + " without header split");
        }

        /// <summary>After the script, with every fault switched off: each queue still carries traffic (a few tries, as a pending reset may take the first).</summary>
        public void Probe()
        {
            device.ClearFaults();
            if (device.FiredFaults.Any(f => f.Kind == DeviceFaultKind.AdminEventCounterStalled)) return; // the device no longer answers: a reset cannot succeed
            // The probe comes a while after the script: a revision-1 device that reset itself before the driver ever saw
            // DEVICE_IS_RESET clear shows it only by the bit still being set AdminTimeout after the bring-up.
            clock.Advance(AdminTimeoutMs + 20);
            nic.Service();
            if (!nic.LinkUp) throw new FuzzFailure("link down after the script (flaps end with the link up)");
            for (int q = 0; q < c.RxQueues; q++)
            {
                bool ok = false;
                for (int attempt = 0; attempt < 4 && !ok; attempt++) ok = _received.Contains(Receive(q, Math.Min(100, nic.MaxFrameSize)));
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
