using System;

namespace Gvnic.Cli.Pcap;

/// <summary>One record of a pcap file.</summary>
/// <param name="Timestamp">When it was captured.</param>
/// <param name="Data">The stored bytes.</param>
/// <param name="OriginalLength">The frame's length on the wire.</param>
public sealed record PcapRecord(DateTimeOffset Timestamp, byte[] Data, int OriginalLength);
