using System;
using System.Buffers.Binary;
using Gvnic.VfioUser.Wire;

namespace Gvnic.VfioUser.Pci;

/// <summary>
/// The 256-byte configuration space of a conventional PCI type-0 function, with the behaviour of its registers:
/// read-only identity, writable bits per byte (command, cache line size, interrupt line, BARs, MSI-X control),
/// BAR sizing (writing all ones reads back the size mask), and one capability, MSI-X, at 0x40. Accesses of any
/// length at any offset inside the space are byte-exact; bits a register does not implement read as their
/// fixed value whatever is written. Not thread-safe: the server's request thread is its only writer.
/// </summary>
public sealed class PciConfigSpace
{
    /// <summary>Offset of the MSI-X capability.</summary>
    public const int MsixCapabilityOffset = 0x40;

    private const int Size = (int)PciConstants.ConfigSpaceSize;
    private const ushort CommandWritable = (ushort)(CommandFlags.MemorySpace | CommandFlags.BusMaster
        | CommandFlags.ParityErrorResponse | CommandFlags.SerrEnable | CommandFlags.InterruptDisable);
    private const ushort MsixControlWritable = 0xC000; // function mask (14) and enable (15)

    private readonly byte[] _initial = new byte[Size];
    private readonly byte[] _writable = new byte[Size];
    private readonly byte[] _bytes = new byte[Size];

    /// <summary>The configuration space of <paramref name="function"/>, in its reset state.</summary>
    public PciConfigSpace(PciFunctionDescription function)
    {
        ArgumentNullException.ThrowIfNull(function);
        Function = function;

        ref Type0Header header = ref Type0Header.AsRef(_initial);
        header.VendorId = function.VendorId;
        header.DeviceId = function.DeviceId;
        header.SubsystemVendorId = function.SubsystemVendorId;
        header.SubsystemId = function.SubsystemId;
        header.RevisionId = function.RevisionId;
        header.ClassCode = (byte)(function.ClassCode >> 16);
        header.Subclass = (byte)(function.ClassCode >> 8);
        header.ProgIf = (byte)function.ClassCode;
        header.CapabilitiesList = true;
        header.CapabilitiesPointer = MsixCapabilityOffset;
        // No INTx: gVNIC interrupts are MSI-X only (gve requests MSI-X vectors and fails without them).
        header.InterruptPin = 0;

        ref MsixCapability msix = ref MsixCapability.AsRef(_initial.AsSpan(MsixCapabilityOffset));
        msix.CapabilityId = PciConstants.CapabilityIdMsix;
        msix.NextPointer = 0;
        msix.TableSize = (ushort)(function.MsixVectors - 1);
        msix.TableBir = (byte)function.MsixBar;
        msix.TableOffsetQwords = function.MsixTableOffset / 8;
        msix.PbaBir = (byte)function.MsixBar;
        msix.PbaOffsetQwords = function.MsixPbaOffset / 8;

        SetWritable(Type0Header.Offsets.Command, 2, CommandWritable);
        SetWritable(Type0Header.Offsets.CacheLineSize, 1, 0xFF);
        SetWritable(Type0Header.Offsets.InterruptLine, 1, 0xFF);
        for (int i = 0; i < 6; i++)
        {
            ulong size = function.BarSize(i);
            // A 32-bit memory BAR: the address bits above the size are writable; type bits 0-3 read 0
            // (memory, 32-bit, not prefetchable).
            if (size != 0) SetWritable(Type0Header.Offsets.Bars + i * 4, 4, (uint)~(size - 1) & 0xFFFF_FFF0u);
        }

        SetWritable(MsixCapabilityOffset + MsixCapability.Offsets.MessageControl, 2, MsixControlWritable);
        _initial.CopyTo(_bytes, 0);
    }

    /// <summary>The function this space describes.</summary>
    public PciFunctionDescription Function { get; }

    /// <summary>The command register.</summary>
    public CommandFlags Command => (CommandFlags)BinaryPrimitives.ReadUInt16LittleEndian(_bytes.AsSpan(Type0Header.Offsets.Command));

    /// <summary>Whether the function may master the bus (DMA): the command register's bus-master bit.</summary>
    public bool BusMaster => (Command & CommandFlags.BusMaster) != 0;

    /// <summary>The MSI-X enable bit of the capability's message control.</summary>
    public bool MsixEnabled => MsixCapability.AsReadOnly(_bytes.AsSpan(MsixCapabilityOffset)).Enable;

    /// <summary>The MSI-X function-mask bit.</summary>
    public bool MsixFunctionMasked => MsixCapability.AsReadOnly(_bytes.AsSpan(MsixCapabilityOffset)).FunctionMask;

    /// <summary>The value of BAR register <paramref name="index"/> as the OS last programmed it.</summary>
    public uint BarRegister(int index) => BinaryPrimitives.ReadUInt32LittleEndian(_bytes.AsSpan(Type0Header.Offsets.Bars + index * 4));

    /// <summary>Called after a write changed the command register, with the old and new values.</summary>
    public event Action<CommandFlags, CommandFlags>? CommandChanged;

    /// <summary>Reads <paramref name="destination"/>.Length bytes at <paramref name="offset"/>.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range leaves the 256-byte space.</exception>
    public void Read(int offset, Span<byte> destination)
    {
        CheckRange(offset, destination.Length);
        _bytes.AsSpan(offset, destination.Length).CopyTo(destination);
    }

    /// <summary>Writes <paramref name="source"/> at <paramref name="offset"/>: only the writable bits of each byte change.</summary>
    /// <exception cref="ArgumentOutOfRangeException">The range leaves the 256-byte space.</exception>
    public void Write(int offset, ReadOnlySpan<byte> source)
    {
        CheckRange(offset, source.Length);
        CommandFlags before = Command;
        for (int i = 0; i < source.Length; i++)
        {
            int at = offset + i;
            byte mask = _writable[at];
            _bytes[at] = (byte)((_bytes[at] & ~mask) | (source[i] & mask));
        }

        CommandFlags after = Command;
        if (after != before) CommandChanged?.Invoke(before, after);
    }

    /// <summary>Returns every register to its reset value (a function-level reset).</summary>
    public void Reset()
    {
        CommandFlags before = Command;
        _initial.CopyTo(_bytes, 0);
        if (before != Command) CommandChanged?.Invoke(before, Command);
    }

    private void SetWritable(int offset, int length, uint mask)
    {
        for (int i = 0; i < length; i++) _writable[offset + i] = (byte)(mask >> (8 * i));
    }

    private static void CheckRange(int offset, int length)
    {
        if (offset < 0 || length < 0 || offset > Size - length)
            throw new ArgumentOutOfRangeException(nameof(offset), $"configuration space access of {length} bytes at 0x{offset:X} leaves the {Size}-byte space");
    }
}
