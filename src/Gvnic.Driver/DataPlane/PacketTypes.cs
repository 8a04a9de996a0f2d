using System;
using Gvnic.Wire;

namespace Gvnic.Driver.DataPlane;

/// <summary>
/// The device's packet-type map (GET_PTYPE_MAP, DQO), decoded once at bring-up: for each 10-bit packet type a DQO RX
/// completion can carry, the L3 and L4 protocol, and the <see cref="RxFlags"/> they mean. A value the driver does not know
/// (a hostile or newer map) reads <see cref="RxL3Type.Unknown"/> or <see cref="RxL4Type.Unknown"/>.
/// </summary>
internal sealed class PacketTypes
{
    private readonly RxL3Type[] _l3;
    private readonly RxL4Type[] _l4;
    private readonly RxFlags[] _flags;

    private PacketTypes(RxL3Type[] l3, RxL4Type[] l4, RxFlags[] flags)
    {
        _l3 = l3;
        _l4 = l4;
        _flags = flags;
    }

    /// <summary>No map (GQI formats): every packet type is unknown.</summary>
    public static PacketTypes None { get; } = new([], [], []);

    /// <summary>Entries in the map (<see cref="PtypeMap.PtypesLength"/>, or 0 for <see cref="None"/>).</summary>
    public int Count => _l3.Length;

    /// <summary>Entries that name an IP version or TCP/UDP.</summary>
    public int Known
    {
        get
        {
            int known = 0;
            foreach (RxFlags f in _flags) if (f != RxFlags.None) known++;
            return known;
        }
    }

    /// <summary>Decodes the map the device wrote (<see cref="PtypeMap.Size"/> bytes).</summary>
    public static PacketTypes Decode(ReadOnlySpan<byte> map)
    {
        ref readonly PtypeMap m = ref PtypeMap.AsReadOnly(map);
        var l3 = new RxL3Type[PtypeMap.PtypesLength];
        var l4 = new RxL4Type[PtypeMap.PtypesLength];
        var flags = new RxFlags[PtypeMap.PtypesLength];
        for (int i = 0; i < l3.Length; i++)
        {
            PtypeEntry e = m.GetPtypes(i);
            l3[i] = e.L3Type switch
            {
                Wire.L3Type.Other => RxL3Type.Other,
                Wire.L3Type.Ipv4 => RxL3Type.Ipv4,
                Wire.L3Type.Ipv6 => RxL3Type.Ipv6,
                _ => RxL3Type.Unknown,
            };
            l4[i] = e.L4Type switch
            {
                Wire.L4Type.Other => RxL4Type.Other,
                Wire.L4Type.Tcp => RxL4Type.Tcp,
                Wire.L4Type.Udp => RxL4Type.Udp,
                Wire.L4Type.Icmp => RxL4Type.Icmp,
                Wire.L4Type.Sctp => RxL4Type.Sctp,
                _ => RxL4Type.Unknown,
            };
            flags[i] = (l3[i] == RxL3Type.Ipv4 ? RxFlags.Ipv4 : 0) | (l3[i] == RxL3Type.Ipv6 ? RxFlags.Ipv6 : 0)
                | (l4[i] == RxL4Type.Tcp ? RxFlags.Tcp : 0) | (l4[i] == RxL4Type.Udp ? RxFlags.Udp : 0);
        }
        return new PacketTypes(l3, l4, flags);
    }

    /// <summary>The L3 protocol of packet type <paramref name="ptype"/> (unknown outside the map).</summary>
    public RxL3Type L3(int ptype) => (uint)ptype < (uint)_l3.Length ? _l3[ptype] : RxL3Type.Unknown;

    /// <summary>The L4 protocol of packet type <paramref name="ptype"/> (unknown outside the map).</summary>
    public RxL4Type L4(int ptype) => (uint)ptype < (uint)_l4.Length ? _l4[ptype] : RxL4Type.Unknown;

    /// <summary>The flags of packet type <paramref name="ptype"/> (none outside the map).</summary>
    public RxFlags Flags(int ptype) => (uint)ptype < (uint)_flags.Length ? _flags[ptype] : RxFlags.None;
}
