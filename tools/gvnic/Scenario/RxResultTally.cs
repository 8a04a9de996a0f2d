using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Gvnic.Driver;

namespace Gvnic.Cli.Scenario;

/// <summary>What the device said about the frames a scenario received, per RX queue: checksum verdicts, packet types, RSS hashes, hardware timestamps.</summary>
internal sealed class RxResultTally
{
    private readonly Dictionary<int, Queue> _queues = new();

    /// <summary>The tally of one RX queue.</summary>
    public sealed class Queue
    {
        public long Frames { get; set; }
        public long ChecksumGood { get; set; }
        public long ChecksumBad { get; set; }
        public long ChecksumUnknown { get; set; }
        public SortedDictionary<string, long> Types { get; } = new(StringComparer.Ordinal);
        public HashSet<uint> Hashes { get; } = new();
        public long Stamped { get; set; }
        public ulong FirstStamp { get; set; }
        public ulong LastStamp { get; set; }
    }

    /// <summary>Counts one received frame.</summary>
    public void Add(in RxInfo info)
    {
        if (!_queues.TryGetValue(info.Queue, out Queue? q)) _queues[info.Queue] = q = new Queue();
        q.Frames++;
        // A frame counts as bad when either checksum the device checked is wrong, good when one is right and none wrong.
        if (info.L3Checksum == RxChecksum.Bad || info.L4Checksum == RxChecksum.Bad) q.ChecksumBad++;
        else if (info.L3Checksum == RxChecksum.Good || info.L4Checksum == RxChecksum.Good) q.ChecksumGood++;
        else q.ChecksumUnknown++;
        string type = TypeName(info.L3Type, info.L4Type);
        q.Types[type] = q.Types.TryGetValue(type, out long n) ? n + 1 : 1;
        if (info.RssHashValid) q.Hashes.Add(info.RssHash);
        if (info.Timestamp is ulong t)
        {
            if (q.Stamped == 0) q.FirstStamp = t;
            q.LastStamp = t;
            q.Stamped++;
        }
    }

    /// <summary>The queues that received anything, by id.</summary>
    public IEnumerable<(int Id, Queue Tally)> Queues => _queues.OrderBy(p => p.Key).Select(p => (p.Key, p.Value));

    /// <summary><c>IPv4/UDP</c>, <c>IPv6</c> (no transport type), <c>other</c>, <c>unknown</c>.</summary>
    public static string TypeName(RxL3Type l3, RxL4Type l4)
    {
        string network = l3 switch
        {
            RxL3Type.Ipv4 => "IPv4",
            RxL3Type.Ipv6 => "IPv6",
            RxL3Type.Other => "other",
            _ => "unknown",
        };
        string? transport = l4 switch
        {
            RxL4Type.Tcp => "TCP",
            RxL4Type.Udp => "UDP",
            RxL4Type.Icmp => "ICMP",
            RxL4Type.Sctp => "SCTP",
            RxL4Type.Other => "other",
            _ => null,
        };
        return transport is null ? network : network + "/" + transport;
    }

    /// <summary><c>IPv4/UDP 26, IPv4/ICMP 1, other 1</c>: the types of one queue, most frequent first.</summary>
    public static string TypesText(Queue q)
        => string.Join(", ", q.Types.OrderByDescending(p => p.Value).ThenBy(p => p.Key, StringComparer.Ordinal).Select(p => p.Key + " " + p.Value.ToString("N0", CultureInfo.InvariantCulture)));
}
