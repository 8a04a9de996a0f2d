using System;
using System.Buffers.Binary;
using System.Collections.Generic;
using Gvnic.VfioUser.Device;
using Gvnic.VfioUser.Pci;

namespace Gvnic.VfioUser.Tests;

/// <summary>
/// A small device behind the server: BAR0 and BAR2 are plain memory, every access is recorded, and a write to
/// BAR0's "doorbell" at 0x100 makes it do DMA: it reads the source address (BAR0 0x00, 8 bytes), length (0x08,
/// 4 bytes) and destination (0x10, 8 bytes), copies that many bytes from source to destination adding 1 to each,
/// and raises the MSI-X vector whose number was written to the doorbell.
/// </summary>
internal sealed class FakeDevice : IVfioUserDevice
{
    public const ulong Doorbell = 0x100;

    public FakeDevice(PciFunctionDescription? function = null)
    {
        Function = function ?? GvnicPciFunction.Describe(revision: 1, msixVectors: 8);
        Bar0 = new byte[Function.BarSize(0)];
        Bar2 = new byte[Function.BarSize(2)];
    }

    public PciFunctionDescription Function { get; }

    public byte[] Bar0 { get; }

    public byte[] Bar2 { get; }

    public DeviceContext? Context { get; private set; }

    public List<(int Bar, ulong Offset, bool Write, byte[] Data)> Accesses { get; } = [];

    public int Resets { get; private set; }

    public ulong? ThrowAt { get; set; }

    public void Attach(DeviceContext context) => Context = context;

    public void ReadBar(int bar, ulong offset, Span<byte> data)
    {
        if (ThrowAt == offset) throw new InvalidOperationException("the fake device refuses this offset");
        Memory(bar).AsSpan((int)offset, data.Length).CopyTo(data);
        Accesses.Add((bar, offset, false, data.ToArray()));
    }

    public void WriteBar(int bar, ulong offset, ReadOnlySpan<byte> data)
    {
        if (ThrowAt == offset) throw new InvalidOperationException("the fake device refuses this offset");
        data.CopyTo(Memory(bar).AsSpan((int)offset));
        Accesses.Add((bar, offset, true, data.ToArray()));
        if (bar == 0 && offset == Doorbell) Copy(data[0]);
    }

    public void Reset()
    {
        Resets++;
        Bar0.AsSpan().Clear();
        Bar2.AsSpan().Clear();
    }

    private void Copy(int vector)
    {
        ulong source = BinaryPrimitives.ReadUInt64LittleEndian(Bar0);
        int length = (int)BinaryPrimitives.ReadUInt32LittleEndian(Bar0.AsSpan(8));
        ulong destination = BinaryPrimitives.ReadUInt64LittleEndian(Bar0.AsSpan(0x10));
        byte[] data = new byte[length];
        Context!.Memory.Read(source, data);
        for (int i = 0; i < data.Length; i++) data[i]++;
        Context.Memory.Write(destination, data);
        Context.Interrupts.Raise(vector);
    }

    private byte[] Memory(int bar) => bar switch
    {
        0 => Bar0,
        2 => Bar2,
        _ => throw new InvalidOperationException($"the server passed an access to BAR{bar}"),
    };
}
