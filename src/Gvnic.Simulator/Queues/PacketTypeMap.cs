using System;
using Gvnic.Wire;

namespace Gvnic.Simulator.Queues;

/// <summary>The packet-type map the device answers GET_PTYPE_MAP with and DQO RX completions index into.</summary>
internal static class PacketTypeMap
{
    private static readonly L3Type[] L3Types = [L3Type.Unknown, L3Type.Other, L3Type.Ipv4, L3Type.Ipv6];
    private static readonly L4Type[] L4Types = [L4Type.Unknown, L4Type.Other, L4Type.Tcp, L4Type.Udp, L4Type.Icmp, L4Type.Sctp];

    /// <summary>The index of the entry that holds <paramref name="l3"/> and <paramref name="l4"/>.</summary>
    public static int Index(L3Type l3, L4Type l4) => (int)l3 << 3 | (int)l4;

    /// <summary>Writes the whole map (every other entry zero) into <paramref name="at"/>, which is <see cref="PtypeMap.Size"/> bytes.</summary>
    public static void Write(Span<byte> at)
    {
        at.Clear();
        ref PtypeMap map = ref PtypeMap.AsRef(at);
        foreach (L3Type l3 in L3Types)
        {
            foreach (L4Type l4 in L4Types) map.SetPtypes(Index(l3, l4), new PtypeEntry { L3Type = l3, L4Type = l4 });
        }
    }
}
