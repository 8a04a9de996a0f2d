using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

// What the device checks of a GQI TSO packet before it segments it: the headers the descriptors point at are where the
// frame has them (upstream fills l3_offset, the IPv6 flag and l4_hdr_offset from the packet it sends).
internal sealed partial class GqiTxQueue
{
    /// <summary>
    /// What is wrong with the TSO packet <paramref name="frame"/> described by <paramref name="pkt"/> and segment
    /// descriptors saying <paramref name="ipv6"/> and <paramref name="l3Offset"/> (2-byte units), or null.
    /// </summary>
    private static string? TsoHeaderProblem(byte[] frame, TxPktDesc pkt, bool ipv6, byte l3Offset)
    {
        FrameInfo info = FrameInfo.Parse(frame);
        if (info.L4 != L4Type.Tcp || info.L4Offset < 0 || info.Fragment) return "the frame is not an unfragmented TCP segment over IPv4/IPv6 (TSO segments TCP)";
        if (l3Offset * 2 != info.L3Offset) return "l3_offset " + l3Offset + " puts the IP header at byte " + l3Offset * 2 + " but it is at byte " + info.L3Offset;
        if (ipv6 != (info.L3 == L3Type.Ipv6)) return "the segment descriptors' ipv6 flag is " + ipv6 + " but the frame is " + info.L3;
        if (pkt.L4Csum && pkt.L4HdrOffset * 2 != info.L4Offset) return "l4_hdr_offset " + pkt.L4HdrOffset + " puts the TCP header at byte " + pkt.L4HdrOffset * 2 + " but it is at byte " + info.L4Offset;
        if (pkt.L4Csum && pkt.L4CsumOffset * 2 != 16) return "l4_csum_offset " + pkt.L4CsumOffset + " is not the TCP checksum field (8, in 2-byte units)";
        return null;
    }
}
