using System;
using System.Buffers.Binary;

namespace Gvnic.Simulator;

/// <summary>
/// Big-endian words in DMA memory that the schema does not (yet) describe as types: the event-counter array
/// entries (be32), the IRQ-doorbell index entries (be32 at the start of each block's stride), the REGISTER_PAGE_LIST
/// page-address array (be64), the REPORT_LINK_SPEED result (be64) and the CONFIGURE_RSS indirection table (be32).
/// Every other device access goes through the generated types.
/// </summary>
internal static class WireWords
{
    public const int CounterSize = sizeof(uint);
    public const int IrqDbIndexSize = sizeof(uint);
    public const int PageAddressSize = sizeof(ulong);
    public const int LinkSpeedSize = sizeof(ulong);
    public const int RssLutEntrySize = sizeof(uint);

    public static void WriteCounter(Span<byte> at, uint value) => BinaryPrimitives.WriteUInt32BigEndian(at, value);

    public static uint ReadCounter(ReadOnlySpan<byte> at) => BinaryPrimitives.ReadUInt32BigEndian(at);

    public static void WriteIrqDbIndex(Span<byte> at, uint value) => BinaryPrimitives.WriteUInt32BigEndian(at, value);

    public static ulong ReadPageAddress(ReadOnlySpan<byte> at) => BinaryPrimitives.ReadUInt64BigEndian(at);

    public static void WriteLinkSpeed(Span<byte> at, ulong value) => BinaryPrimitives.WriteUInt64BigEndian(at, value);

    public static uint ReadRssLutEntry(ReadOnlySpan<byte> at) => BinaryPrimitives.ReadUInt32BigEndian(at);
}
