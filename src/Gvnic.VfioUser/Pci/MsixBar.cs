using System;
using System.Buffers.Binary;
using Gvnic.VfioUser.Device;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Pci;

/// <summary>
/// The BAR that holds the MSI-X table (first half) and pending-bit array (second half). The table is plain
/// storage with the spec's reset values (every vector masked) and fixed bits (message address bits 0-1 and
/// vector-control bits 1-31 read 0); the PBA reads the pending bits of <see cref="MsixInterrupts"/> and ignores
/// writes. Delivery does not read this table: a vfio-user client emulates the table the guest sees and tells the
/// server which vectors to signal through DEVICE_SET_IRQS (QEMU forwards only PBA reads to the server).
/// </summary>
public sealed class MsixBar
{
    private readonly byte[] _table;
    private readonly MsixInterrupts _interrupts;

    /// <summary>The MSI-X BAR of <paramref name="function"/> over <paramref name="interrupts"/>.</summary>
    public MsixBar(PciFunctionDescription function, MsixInterrupts interrupts)
    {
        ArgumentNullException.ThrowIfNull(function);
        ArgumentNullException.ThrowIfNull(interrupts);
        Function = function;
        _interrupts = interrupts;
        _table = new byte[function.MsixVectors * (int)PciConstants.MsixTableEntrySize];
        Reset();
    }

    /// <summary>The function.</summary>
    public PciFunctionDescription Function { get; }

    /// <summary>Size of the BAR.</summary>
    public ulong Size => Function.BarSize(Function.MsixBar);

    /// <summary>Reads <paramref name="destination"/>.Length bytes at <paramref name="offset"/>; bytes outside table and PBA read 0.</summary>
    public void Read(ulong offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        Span<byte> word = stackalloc byte[8];
        for (int i = 0; i < destination.Length; i++)
        {
            ulong at = offset + (ulong)i;
            if (at < (ulong)_table.Length)
            {
                destination[i] = _table[at];
            }
            else if (at >= Function.MsixPbaOffset)
            {
                ulong pbaByte = at - Function.MsixPbaOffset;
                BinaryPrimitives.WriteUInt64LittleEndian(word, _interrupts.PendingWord((int)(pbaByte / 8)));
                destination[i] = word[(int)(pbaByte % 8)];
            }
            else
            {
                destination[i] = 0;
            }
        }
    }

    /// <summary>Writes <paramref name="source"/> at <paramref name="offset"/>: table bytes change (their writable bits), PBA and gap bytes do not.</summary>
    public void Write(ulong offset, ReadOnlySpan<byte> source)
    {
        CheckRange(offset, source.Length);
        for (int i = 0; i < source.Length; i++)
        {
            ulong at = offset + (ulong)i;
            if (at >= (ulong)_table.Length) continue;
            int inEntry = (int)(at % PciConstants.MsixTableEntrySize);
            byte mask = inEntry switch
            {
                MsixTableEntry.Offsets.MessageAddress => 0xFC,        // DWORD-aligned address
                MsixTableEntry.Offsets.VectorControl => 0x01,         // only the mask bit
                > MsixTableEntry.Offsets.VectorControl => 0x00,       // reserved vector-control bits
                _ => 0xFF,
            };
            _table[at] = (byte)((_table[at] & ~mask) | (source[i] & mask));
        }
    }

    /// <summary>Whether table entry <paramref name="vector"/> has its mask bit set.</summary>
    public bool IsMasked(int vector) => MsixTableEntry.AsReadOnly(_table.AsSpan(vector * (int)PciConstants.MsixTableEntrySize)).Masked;

    /// <summary>Restores the reset state: every entry zero and masked.</summary>
    public void Reset()
    {
        _table.AsSpan().Clear();
        for (int v = 0; v < Function.MsixVectors; v++)
            MsixTableEntry.AsRef(_table.AsSpan(v * (int)PciConstants.MsixTableEntrySize)).Masked = true;
    }

    private void CheckRange(ulong offset, int length)
    {
        if (length < 0 || offset > Size || (ulong)length > Size - offset)
            throw new ArgumentOutOfRangeException(nameof(offset), $"MSI-X BAR access of {length} bytes at 0x{offset:X} leaves the {Size}-byte BAR");
    }
}
