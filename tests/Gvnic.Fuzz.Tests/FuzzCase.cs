using System;
using System.Linq;
using CsCheck;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;

namespace Gvnic.Fuzz.Tests;

/// <summary>A generated case: device and driver setup, a fault before bring-up (or none), and a traffic script with faults in it.</summary>
internal sealed record FuzzCase(QueueFormat Format, int TxQueues, int RxQueues, byte Revision, DeviceFault? OpenFault, Step[] Steps, DqoBehaviour Dqo)
{
    public override string ToString()
        => Format + " tx" + TxQueues + " rx" + RxQueues + " rev" + Revision + " dqo[" + Dqo + "]" + (OpenFault is null ? "" : " open-fault[" + OpenFault + "]")
           + " steps[" + string.Join("; ", Steps.Select(s => s.ToString())) + "]";

    /// <summary>Admin commands the bring-up sends (a status fault on another would never fire).</summary>
    private static readonly AdminqOpcodes[] BringUpCommands =
    [
        AdminqOpcodes.VerifyDriverCompatibility, AdminqOpcodes.DescribeDevice, AdminqOpcodes.ConfigureDeviceResources,
        AdminqOpcodes.RegisterPageList, AdminqOpcodes.CreateTxQueue, AdminqOpcodes.CreateRxQueue, AdminqOpcodes.ConfigureRss,
        AdminqOpcodes.ReportStats, AdminqOpcodes.ReportLinkSpeed, AdminqOpcodes.GetPtypeMap,
    ];

    private static readonly AdminqStatuses[] Errors =
    [
        AdminqStatuses.CommandErrorInternalError, AdminqStatuses.CommandErrorInvalidArgument, AdminqStatuses.CommandErrorUnimplemented,
        AdminqStatuses.CommandErrorResourceExhausted, AdminqStatuses.CommandUnset, (AdminqStatuses)0x1234,
    ];

    /// <summary>Faults of the device's answers to admin commands and queue creation (they fire at a bring-up).</summary>
    private static readonly DeviceFaultKind[] BringUpFaults =
    [
        DeviceFaultKind.AdminCommandStatus, DeviceFaultKind.AdminCommandStatus, DeviceFaultKind.AdminCommandStatus,
        DeviceFaultKind.AdminEventCounterStalled,
        DeviceFaultKind.DescriptorOptionCountLies, DeviceFaultKind.DescriptorOptionLengthLies, DeviceFaultKind.DescriptorTotalLengthTooLong,
        DeviceFaultKind.DescriptorTotalLengthTooShort, DeviceFaultKind.DescriptorUnknownOptionId, DeviceFaultKind.DescriptorMtuZero,
        DeviceFaultKind.DescriptorMtuAbsurd, DeviceFaultKind.ZeroQueues, DeviceFaultKind.DoorbellOutsideBar2, DeviceFaultKind.CounterIndexOutsideArray,
    ];

    /// <summary>Faults of the data path and device events.</summary>
    private static readonly DeviceFaultKind[] TrafficFaults =
    [
        DeviceFaultKind.GqiRxLenTooLarge, DeviceFaultKind.GqiRxLenZero, DeviceFaultKind.GqiRxBadSequence, DeviceFaultKind.GqiRxErrorFlag,
        DeviceFaultKind.GqiRxPacketContOnLast, DeviceFaultKind.GqiRxDataSlotOutsideQpl, DeviceFaultKind.GqiTxCounterPastPosted,
        DeviceFaultKind.DqoTxUnknownTag, DeviceFaultKind.DqoTxDuplicateTag, DeviceFaultKind.DqoTxStaleTag, DeviceFaultKind.DqoTxGenerationFlipped,
        DeviceFaultKind.DqoRxBufferIdOutOfRange, DeviceFaultKind.DqoRxLenZero, DeviceFaultKind.DqoRxLenTooLarge, DeviceFaultKind.DqoRxGenerationFlipped,
        DeviceFaultKind.ResetRequest, DeviceFaultKind.LinkFlap,
    ];

    private static Gen<DeviceFault> FaultGen(DeviceFaultKind[] kinds, int queues)
        => Gen.Select(Gen.OneOf(kinds), Gen.Int[-1, queues - 1], Gen.Int[0, 2], Gen.Int[0, 9], Gen.OneOf(BringUpCommands), Gen.OneOf(Errors),
            (kind, queue, skip, persistent, opcode, status) => new DeviceFault(kind, queue, skip, persistent == 0, opcode, status));

    private static Gen<Step> StepGen(int queues) => Gen.Frequency(
        (5, Gen.Select(Gen.Int[0, queues - 1], Gen.Int[Frames.MinLength, 400], (q, l) => new Step(StepKind.Send, q, l, null))),
        (5, Gen.Select(Gen.Int[0, queues - 1], Gen.Int[Frames.MinLength, 400], (q, l) => new Step(StepKind.Receive, q, l, null))),
        (2, Gen.Select(Gen.Int[0, queues - 1], Gen.Int[Frames.MinLength, 400], (q, l) => new Step(StepKind.SendBatch, q, l, null))),
        (3, FaultGen(TrafficFaults, queues).Select(f => new Step(StepKind.Fault, f.Queue, 0, f))),
        (1, FaultGen(BringUpFaults, queues).Select(f => new Step(StepKind.Fault, f.Queue, 0, f))));

    /// <summary>DQO completion behaviour: in order in half the cases, otherwise a seeded reorder window with or without misses (either scheme).</summary>
    private static readonly Gen<DqoBehaviour> DqoGen =
        Gen.Select(Gen.Int[0, 1], Gen.Int[2, 6], Gen.OneOf(0.0, 0.25, 0.5), Gen.Bool, Gen.Int[1, 1_000_000],
            (on, window, miss, alt, seed) => on == 0 ? DqoBehaviour.InOrder : new DqoBehaviour(window, miss, alt, seed));

    /// <summary>Every case: a format, 1 or 2 queues each way, a revision, DQO completion behaviour, one bring-up fault in five cases, 4 … 16 steps.</summary>
    public static readonly Gen<FuzzCase> Cases =
        Gen.Select(Gen.OneOf(QueueFormat.GqiQpl, QueueFormat.GqiRda, QueueFormat.DqoRda, QueueFormat.DqoQpl), Gen.Int[1, 2], Gen.Int[1, 2], Gen.OneOf((byte)0, (byte)1),
                (f, tx, rx, rev) => (Item1: f, Item2: tx, Item3: rx, Item4: rev))
           .SelectMany(t => Gen.Select(Gen.Int[0, 4], FaultGen(BringUpFaults, Math.Max(t.Item2, t.Item3)), StepGen(Math.Max(t.Item2, t.Item3)).Array[4, 16], DqoGen,
               (open, fault, steps, dqo) => new FuzzCase(t.Item1, t.Item2, t.Item3, t.Item4, open == 0 ? fault : null, steps, dqo)));
}
