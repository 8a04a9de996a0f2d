using System;
using System.Collections.Generic;
using System.Runtime.CompilerServices;
using System.Threading;
using Gvnic.Platform;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// What CONFIGURE_DEVICE_RESOURCES hands the device: the event-counter array (one <see cref="EventCounter"/> per
/// entry, which the device advances for each queue) and the notification blocks (one <see cref="IrqDb"/> per block,
/// each padded to a 64-byte line, which the device fills with the block's BAR2 doorbell index).
/// </summary>
/// <remarks>
/// TX queue <c>i</c> uses notification block <c>i</c>, RX queue <c>i</c> block <c>BlockCount/2 + i</c> (as
/// upstream); block <c>b</c> raises MSI-X vector <c>b</c> (base index 0), the management vector is the last.
/// </remarks>
internal sealed unsafe class DeviceResources
{
    /// <summary>Bytes between two notification-block entries (a cache line, as upstream).</summary>
    public const int IrqDoorbellStride = (int)GvnicConstants.IrqDbStride;

    private readonly DmaRegion _counters;
    private readonly DmaRegion _irqDoorbells;
    private readonly long _bar2Words;
    private readonly Dictionary<uint, string> _doorbellOwners = new();
    private readonly Dictionary<uint, string> _counterOwners = new();

    public DeviceResources(DmaMemory memory, int counterCount, int blockCount, long bar2Length)
    {
        CounterCount = counterCount;
        BlockCount = blockCount;
        _bar2Words = bar2Length / Bar2Registers.DoorbellStride;
        _counters = memory.Allocate(Math.Max(counterCount * EventCounter.Size, 1));
        _irqDoorbells = memory.Allocate(blockCount * IrqDoorbellStride);
    }

    public int CounterCount { get; }

    public int BlockCount { get; }

    public ulong CounterArrayAddress => _counters.DeviceAddress;

    public ulong IrqDoorbellArrayAddress => _irqDoorbells.DeviceAddress;

    public int TxBlock(int queue) => queue;

    public int RxBlock(int queue) => BlockCount / 2 + queue;

    /// <summary>The MSI-X vector of block <paramref name="block"/>.</summary>
    public int Vector(int block) => block;

    /// <summary>Reads event counter <paramref name="index"/> (already validated) as the device last wrote it.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    public uint ReadCounter(int index)
        => ReadOnce<EventCounter>(_counters.Pointer + index * EventCounter.Size).Count;

    /// <summary>
    /// Takes an event-counter index the device assigned to a TX queue (<paramref name="owner"/>): checked to lie in the
    /// array and to be no other queue's (two queues reading one counter would free each other's descriptors).
    /// </summary>
    public int ClaimCounter(string owner, uint counterIndex)
    {
        if (counterIndex >= (uint)CounterCount)
            throw new DeviceFaultException(owner, "counter_index", -1, counterIndex, "outside the " + CounterCount + "-entry event-counter array");
        if (_counterOwners.TryGetValue(counterIndex, out string? other))
            throw new DeviceFaultException(owner, "counter_index", -1, counterIndex, "also the event counter of " + other + ": the device gave one counter to two queues");
        _counterOwners.Add(counterIndex, owner);
        return (int)counterIndex;
    }

    /// <summary>
    /// Takes a BAR2 doorbell index the device assigned to <paramref name="owner"/> (a notification block or a queue):
    /// checked to lie in BAR2 and to be no other owner's (a doorbell shared by two would mix their words).
    /// </summary>
    public int ClaimDoorbell(string owner, string field, uint index)
    {
        if (index >= _bar2Words)
            throw new DeviceFaultException(owner, field, -1, index, "outside BAR2 (" + _bar2Words + " doorbell words)");
        if (_doorbellOwners.TryGetValue(index, out string? other))
            throw new DeviceFaultException(owner, field, -1, index, "also the doorbell of " + other + ": the device gave one BAR2 word to two owners");
        _doorbellOwners.Add(index, owner);
        return (int)index;
    }

    /// <summary>The BAR2 doorbell index the device wrote for notification block <paramref name="block"/> (checked and claimed).</summary>
    public int IrqDoorbellIndex(int block)
    {
        uint index = ReadOnce<IrqDb>(_irqDoorbells.Pointer + block * IrqDoorbellStride).Index;
        return ClaimDoorbell("notification block " + block, "irq_db_index", index);
    }

    /// <summary>
    /// One load (with acquire semantics) of a 4-byte wire word the device writes, returned as its generated type,
    /// whose properties convert the byte order: the compiler may neither cache nor tear the read.
    /// </summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private static T ReadOnce<T>(byte* at) where T : unmanaged
    {
        if (Unsafe.SizeOf<T>() != sizeof(uint)) throw new ArgumentException(typeof(T).Name + " is not a 4-byte word", nameof(T)); // folded away by the JIT
        uint raw = Volatile.Read(ref Unsafe.AsRef<uint>(at));
        return Unsafe.As<uint, T>(ref raw);
    }
}
