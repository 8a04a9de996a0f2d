using System;
using System.Linq;
using CsCheck;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;

namespace Gvnic.Fuzz.Tests;

/// <summary>A generated case: device and driver setup, a fault before bring-up (or none), and a traffic script with faults in it.</summary>
internal sealed record FuzzCase(QueueFormat Format, int TxQueues, int RxQueues, byte Revision, DeviceFault? OpenFault, Step[] Steps, DqoBehaviour Dqo)
{
    /// <summary>Sizes asked for beyond the defaults.</summary>
    public FuzzSizes Sizes { get; init; } = FuzzSizes.None;

    public override string ToString()
        => Format + " tx" + TxQueues + " rx" + RxQueues + " rev" + Revision + " dqo[" + Dqo + "] sizes[" + Sizes + "]" + (OpenFault is null ? "" : " open-fault[" + OpenFault + "]")
           + " steps[" + string.Join("; ", Steps.Select(s => s.ToString())) + "]";

    /// <summary>Admin commands the bring-up sends (a status fault on another would never fire).</summary>
    private static readonly AdminqOpcodes[] BringUpCommands =
    [
        AdminqOpcodes.VerifyDriverCompatibility, AdminqOpcodes.DescribeDevice, AdminqOpcodes.ConfigureDeviceResources,
        AdminqOpcodes.RegisterPageList, AdminqOpcodes.CreateTxQueue, AdminqOpcodes.CreateRxQueue, AdminqOpcodes.ConfigureRss,
        AdminqOpcodes.ReportStats, AdminqOpcodes.ReportLinkSpeed, AdminqOpcodes.GetPtypeMap, AdminqOpcodes.ReportNicTimestamp,
    ];

    private static readonly AdminqStatuses[] Errors =
    [
        AdminqStatuses.CommandErrorInternalError, AdminqStatuses.CommandErrorInvalidArgument, AdminqStatuses.CommandErrorUnimplemented,
        AdminqStatuses.CommandErrorResourceExhausted, AdminqStatuses.CommandUnset, (AdminqStatuses)0x1234,
    ];

    /// <summary>Commands teardown sends (a control plane failing there must leave nothing but the release).</summary>
    private static readonly AdminqOpcodes[] TeardownCommands =
    [
        AdminqOpcodes.DestroyTxQueue, AdminqOpcodes.DestroyRxQueue, AdminqOpcodes.UnregisterPageList, AdminqOpcodes.DeconfigureDeviceResources,
    ];

    /// <summary>Every command a control-plane failure may hit: bring-up's and teardown's.</summary>
    private static readonly AdminqOpcodes[] AllCommands = [.. BringUpCommands, .. TeardownCommands];

    /// <summary>Faults of the device's answers to admin commands and queue creation (they fire at a bring-up, or at a teardown).</summary>
    private static readonly DeviceFaultKind[] BringUpFaults =
    [
        DeviceFaultKind.AdminCommandStatus, DeviceFaultKind.AdminCommandStatus, DeviceFaultKind.AdminCommandStatus,
        DeviceFaultKind.AdminEventCounterStalled,
        DeviceFaultKind.DescriptorOptionCountLies, DeviceFaultKind.DescriptorOptionLengthLies, DeviceFaultKind.DescriptorTotalLengthTooLong,
        DeviceFaultKind.DescriptorTotalLengthTooShort, DeviceFaultKind.DescriptorUnknownOptionId, DeviceFaultKind.DescriptorMtuZero,
        DeviceFaultKind.DescriptorMtuAbsurd, DeviceFaultKind.ZeroQueues, DeviceFaultKind.DoorbellOutsideBar2, DeviceFaultKind.CounterIndexOutsideArray,
        // issue 15: every number the device supplies (class 1), a control plane that fails (classes 4 and 5), DEVICE_IS_RESET lingering (class 6)
        DeviceFaultKind.HostileValue, DeviceFaultKind.HostileValue, DeviceFaultKind.HostileValue, DeviceFaultKind.HostileValue,
        DeviceFaultKind.AdminSelfReset, DeviceFaultKind.AdminEventCounterAhead, DeviceFaultKind.AdminStallAfterCommand, DeviceFaultKind.DeviceIsResetLingers,
    ];

    /// <summary>Faults of the data path and device events.</summary>
    private static readonly DeviceFaultKind[] TrafficFaults =
    [
        DeviceFaultKind.GqiRxLenTooLarge, DeviceFaultKind.GqiRxLenZero, DeviceFaultKind.GqiRxBadSequence, DeviceFaultKind.GqiRxErrorFlag,
        DeviceFaultKind.GqiRxPacketContOnLast, DeviceFaultKind.GqiRxDataSlotOutsideQpl, DeviceFaultKind.GqiTxCounterPastPosted,
        DeviceFaultKind.DqoTxUnknownTag, DeviceFaultKind.DqoTxDuplicateTag, DeviceFaultKind.DqoTxStaleTag, DeviceFaultKind.DqoTxGenerationFlipped,
        DeviceFaultKind.DqoRxBufferIdOutOfRange, DeviceFaultKind.DqoRxLenZero, DeviceFaultKind.DqoRxLenTooLarge, DeviceFaultKind.DqoRxGenerationFlipped,
        DeviceFaultKind.ResetRequest, DeviceFaultKind.LinkFlap,
        // issue 15: a GQI RX head never made valid (class 2), a DQO RX completion written twice (class 3), a device that resets itself (class 4)
        DeviceFaultKind.GqiRxNeverValid, DeviceFaultKind.DqoRxDuplicateCompletion, DeviceFaultKind.DeviceSelfReset,
    ];

    /// <summary>Values a lying device picks: 0, off-by-ones around powers of two and the formats' limits, the largest of each width.</summary>
    private static readonly ulong[] HostileValues = [0, 1, 2, 3, 7, 63, 64, 65, 68, 255, 256, 1023, 1024, 1460, 4097, 9000, 16384, 16385, 32768, 65535, 65536, uint.MaxValue, ulong.MaxValue];

    /// <summary>
    /// Doorbell and counter indexes the driver can tell are wrong: one every case uses (the model rings block i at
    /// 0x100 + i, TX queue q at 0x200 + q, RX queue q at 0x300 + q, and gives TX queue q counter q; a case has at least
    /// blocks 0 and 1 and queues 0), which for another queue is a doorbell given twice, or outside BAR2's 4096 words or
    /// the 16 counters. An index inside them that no queue uses cannot be told from the truth (docs/reliability.md).
    /// </summary>
    private static readonly ulong[] CheckableDoorbells = [0x100, 0x101, 0x200, 0x300, 4096, 65535, 65536, uint.MaxValue, ulong.MaxValue];

    private static readonly ulong[] CheckableCounters = [0, 16, 255, 65535, uint.MaxValue, ulong.MaxValue];

    private static readonly Gen<(HostileField Field, ulong Value)> HostileGen =
        Gen.Select(Gen.OneOf(Enum.GetValues<HostileField>()), Gen.Frequency((4, Gen.OneOf(HostileValues)), (1, Gen.ULong)), Gen.OneOf(CheckableDoorbells),
            Gen.OneOf(CheckableCounters),
            (f, v, doorbell, counter) => (f, f switch
            {
                HostileField.DoorbellIndex or HostileField.IrqDoorbellIndex => doorbell,
                HostileField.CounterIndex => counter,
                _ => v,
            }));

    /// <summary>
    /// The option fields the steering step reads (RSS_CONFIG's sizes, FLOW_STEERING's rule limit). Among all the hostile
    /// fields a case rarely draws one of these and then also a steering step (about 2 cases in 10,000), so the fault at
    /// open draws one on its own in a tenth of the cases that have one: the steering step meets a hostile size every run.
    /// </summary>
    private static readonly HostileField[] SteeringFields = [HostileField.RssKeySize, HostileField.RssLutSize, HostileField.MaxFlowRules];

    private static readonly Gen<DeviceFault> SteeringFaultGen =
        Gen.Select(Gen.OneOf(SteeringFields), Gen.OneOf(HostileValues), Gen.Int[0, 9],
            (field, value, persistent) => new DeviceFault(DeviceFaultKind.HostileValue, Persistent: persistent == 0, Field: field, Value: value));

    private static Gen<DeviceFault> OpenFaultGen(int queues) => Gen.Frequency((9, FaultGen(BringUpFaults, queues)), (1, SteeringFaultGen));

    private static Gen<DeviceFault> FaultGen(DeviceFaultKind[] kinds, int queues)
        => Gen.Select(Gen.OneOf(kinds), Gen.Int[-1, queues - 1], Gen.Int[0, 2], Gen.Int[0, 9], Gen.Select(Gen.OneOf(BringUpCommands), Gen.OneOf(AllCommands), (b, a) => (b, a)),
            Gen.OneOf(Errors), HostileGen,
            (kind, queue, skip, persistent, opcodes, status, hostile) => new DeviceFault(kind, queue, skip, persistent == 0,
                kind == DeviceFaultKind.AdminCommandStatus ? opcodes.b : opcodes.a, status, hostile.Field, hostile.Value));

    private static Gen<Step> StepGen(int queues) => Gen.Frequency(
        (5, Gen.Select(Gen.Int[0, queues - 1], Gen.Int[Frames.MinLength, 400], (q, l) => new Step(StepKind.Send, q, l, null))),
        (5, Gen.Select(Gen.Int[0, queues - 1], Gen.Int[Frames.MinLength, 400], (q, l) => new Step(StepKind.Receive, q, l, null))),
        (2, Gen.Select(Gen.Int[0, queues - 1], Gen.Int[Frames.MinLength, 400], (q, l) => new Step(StepKind.SendBatch, q, l, null))),
        (3, FaultGen(TrafficFaults, queues).Select(f => new Step(StepKind.Fault, f.Queue, 0, f))),
        (1, FaultGen(BringUpFaults, queues).Select(f => new Step(StepKind.Fault, f.Queue, 0, f))),
        (1, Gen.Select(Gen.Int[0, queues - 1], Gen.Int[0, 15], (q, how) => new Step(StepKind.Contend, q, how, null))),
        (1, Gen.Select(Gen.Int[0, queues - 1], Gen.Int[0, 255], (q, seed) => new Step(StepKind.Steer, q, seed, null))));

    /// <summary>
    /// Sizes: a jumbo MTU in a quarter of the cases, 4096-byte RX buffers in a quarter of the DQO ones, 256-entry RX rings
    /// in a quarter of those that can hold them (not GQI QPL, whose 128-page RX lists hold 128 buffers).
    /// </summary>
    private static Gen<FuzzSizes> SizesGen(QueueFormat format)
        => Gen.Select(Gen.Int[0, 3], Gen.Int[0, 3], Gen.Int[0, 3], (m, b, r) => new FuzzSizes(
            m == 0 ? 8896 : null,
            b == 0 && format is QueueFormat.DqoRda or QueueFormat.DqoQpl ? 4096 : null,
            r == 0 && format != QueueFormat.GqiQpl ? 256 : null));

    /// <summary>DQO completion behaviour: in order in half the cases, otherwise a seeded reorder window with or without misses (either scheme).</summary>
    private static readonly Gen<DqoBehaviour> DqoGen =
        Gen.Select(Gen.Int[0, 1], Gen.Int[2, 6], Gen.OneOf(0.0, 0.25, 0.5), Gen.Bool, Gen.Int[1, 1_000_000],
            (on, window, miss, alt, seed) => on == 0 ? DqoBehaviour.InOrder : new DqoBehaviour(window, miss, alt, seed));

    /// <summary>Every case: a format, 1 or 2 queues each way, a revision, DQO completion behaviour, one bring-up fault in five cases, 4 … 16 steps (frames, faults, and contended calls).</summary>
    public static readonly Gen<FuzzCase> Cases =
        Gen.Select(Gen.OneOf(QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl), Gen.Int[1, 2], Gen.Int[1, 2], Gen.OneOf((byte)0, (byte)1),
                (f, tx, rx, rev) => (Item1: f, Item2: tx, Item3: rx, Item4: rev))
           .SelectMany(t => Gen.Select(Gen.Int[0, 4], OpenFaultGen(Math.Max(t.Item2, t.Item3)), StepGen(Math.Max(t.Item2, t.Item3)).Array[4, 16], DqoGen, SizesGen(t.Item1),
               (open, fault, steps, dqo, sizes) => new FuzzCase(t.Item1, t.Item2, t.Item3, t.Item4, open == 0 ? fault : null, steps, dqo) { Sizes = sizes }));
}
