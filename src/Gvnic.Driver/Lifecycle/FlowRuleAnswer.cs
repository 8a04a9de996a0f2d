using System;
using System.Collections.Generic;
using Gvnic.Wire;

namespace Gvnic.Driver.Lifecycle;

/// <summary>
/// Reads what QUERY_FLOW_RULES wrote: a <see cref="QueryFlowRulesDescriptor"/>, then num_queried_rules rules or
/// big-endian u32 locations; every number checked. Rules and locations come a buffer at a time, each page starting
/// after the last location of the one before.
/// </summary>
internal static class FlowRuleAnswer
{
    private const string What = "QUERY_FLOW_RULES answer";

    private static readonly int Buffer = SteeringLimits.AnswerBuffer;

    /// <exception cref="DeviceFaultException">See <see cref="Nic.QueryFlowRules"/>.</exception>
    public static List<FlowRule> Rules(Func<uint, byte[]> fetch, uint max, int rxQueues)
    {
        var rules = new List<FlowRule>();
        Pages(fetch, max, AdminqQueriedFlowRule.Size, (entry, index) =>
        {
            AdminqQueriedFlowRule queried = AdminqQueriedFlowRule.Read(entry);
            AdminqFlowRule rule = queried.FlowRule;
            if (!FlowTypeInfo.IsDefined(rule.FlowType))
                throw new DeviceFaultException(What, "flow_type", index, (ulong)rule.FlowType, "not a flow type (0 … 9)");
            if (rule.Action >= rxQueues)
                throw new DeviceFaultException(What, "action", index, rule.Action, "the NIC has " + rxQueues + " RX queues");
            rules.Add(FlowRule.From(rule, (int)queried.Location));
            return queried.Location;
        });
        return rules;
    }

    /// <exception cref="DeviceFaultException">See <see cref="Nic.QueryFlowRuleLocations"/>.</exception>
    public static List<int> Locations(Func<uint, byte[]> fetch, uint max)
    {
        var locations = new List<int>();
        Pages(fetch, max, RssLutEntry.Size, (entry, _) =>
        {
            uint location = RssLutEntry.Read(entry).Queue; // a big-endian u32, as a table entry
            locations.Add((int)Math.Min(location, int.MaxValue));
            return location;
        });
        return locations;
    }

    /// <exception cref="DeviceFaultException">See <see cref="Nic.QueryFlowRuleStatistics"/>.</exception>
    public static FlowRuleStatistics Statistics(ReadOnlySpan<byte> answer, uint max)
    {
        QueryFlowRulesDescriptor d = QueryFlowRulesDescriptor.Read(answer);
        Check(d, max, 0);
        return new FlowRuleStatistics((int)d.NumFlowRules, (int)Math.Min(d.MaxFlowRules, int.MaxValue));
    }

    /// <summary>Checks the descriptor's counts: at most max rules, max_flow_rules as the option said, the entries inside one buffer and total_length matching them.</summary>
    private static void Check(in QueryFlowRulesDescriptor d, uint max, int entrySize)
    {
        if (d.NumFlowRules > max)
            throw new DeviceFaultException(What, "num_flow_rules", -1, d.NumFlowRules, "more rules than the " + max + " the device holds (max_flow_rules)");
        if (d.MaxFlowRules != max)
            throw new DeviceFaultException(What, "max_flow_rules", -1, d.MaxFlowRules, "the FLOW_STEERING option said " + max);
        long room = entrySize == 0 ? 0 : (Buffer - QueryFlowRulesDescriptor.Size) / entrySize;
        if (d.NumQueriedRules > room)
            throw new DeviceFaultException(What, "num_queried_rules", -1, d.NumQueriedRules, "more entries than one " + Buffer + "-byte buffer holds (" + room + ")");
        long expected = QueryFlowRulesDescriptor.Size + (long)d.NumQueriedRules * entrySize;
        if (d.TotalLength != expected)
            throw new DeviceFaultException(What, "total_length", -1, d.TotalLength, "expected " + expected + " (the descriptor and " + d.NumQueriedRules + " entries of " + entrySize + " bytes)");
    }

    /// <summary>Asks page after page; <paramref name="read"/> takes each entry and returns its location, which must rise and stay below max.</summary>
    private static void Pages(Func<uint, byte[]> fetch, uint max, int entrySize, Func<ReadOnlySpan<byte>, int, uint> read)
    {
        uint start = 0;
        int taken = 0;
        while (start < max)
        {
            byte[] answer = fetch(start);
            QueryFlowRulesDescriptor d = QueryFlowRulesDescriptor.Read(answer);
            Check(d, max, entrySize);
            int count = (int)d.NumQueriedRules;
            if (count == 0) return;
            long last = -1;
            for (int i = 0; i < count; i++)
            {
                uint location = read(answer.AsSpan(QueryFlowRulesDescriptor.Size + i * entrySize, entrySize), taken + i);
                if (location < start || location <= last || location >= max)
                    throw new DeviceFaultException(What, "location", taken + i, location, "locations must rise from " + start + " (asked) and stay below " + max + " (max_flow_rules)");
                last = location;
            }
            taken += count;
            if (taken >= d.NumFlowRules) return;
            start = (uint)last + 1;
        }
    }
}
