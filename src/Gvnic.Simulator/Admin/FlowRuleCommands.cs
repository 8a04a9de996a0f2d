using System;
using System.Collections.Generic;
using Gvnic.Simulator.Device;
using Gvnic.Wire;

namespace Gvnic.Simulator.Admin;

/// <summary>
/// Flow steering (the FLOW_STEERING option): EXTENDED_COMMAND carrying CONFIGURE_FLOW_RULE (add, delete, reset the
/// rules of <see cref="FlowSteering"/>) and QUERY_FLOW_RULES (rules, locations or counts). Without the option both answer
/// UNIMPLEMENTED.
/// </summary>
/// <remarks>
/// Statuses (the model's choice; upstream maps every failure to an errno): a location beyond max_flow_rules, an unknown
/// flow type or a queue beyond max_rx_queues INVALID_ARGUMENT; a location already holding a rule ALREADY_EXISTS; deleting
/// an empty location NOT_FOUND.
/// </remarks>
internal sealed class FlowRuleCommands(AdminCommandContext context) : AdminCommandGroup(context)
{
    private FlowSteering Flows => State.Steering.Flows;

    public AdminqStatuses Extended(ref AdminqExtendedCommand e)
    {
        if (e.InnerOpcode != AdminqExtendedOpcodes.ConfigureFlowRule || !Config.FlowSteering) return AdminqStatuses.CommandErrorUnimplemented;
        if (!State.Configured) return Context.NotConfigured("CONFIGURE_FLOW_RULE");
        if (e.InnerLength < AdminqConfigureFlowRule.Size) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.Aligned(e.InnerCommandAddr, "CONFIGURE_FLOW_RULE command")) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(e.InnerCommandAddr, AdminqConfigureFlowRule.Size, "CONFIGURE_FLOW_RULE command", out Span<byte> inner)) return AdminqStatuses.CommandErrorInvalidArgument;
        AdminqConfigureFlowRule c = AdminqConfigureFlowRule.Read(inner);
        switch (c.Opcode)
        {
            case FlowRuleCfgOpcode.Add:
                AdminqFlowRule rule = c.Rule;
                if (c.Location >= Config.MaxFlowRules || !FlowTypeInfo.IsDefined(rule.FlowType) || rule.Action >= Config.MaxRxQueues) return AdminqStatuses.CommandErrorInvalidArgument;
                return Flows.Add(c.Location, rule) ? AdminqStatuses.CommandPassed : AdminqStatuses.CommandErrorAlreadyExists;
            case FlowRuleCfgOpcode.Del:
                return Flows.Delete(c.Location) ? AdminqStatuses.CommandPassed : AdminqStatuses.CommandErrorNotFound;
            case FlowRuleCfgOpcode.Reset:
                Flows.Clear();
                return AdminqStatuses.CommandPassed;
            default:
                return AdminqStatuses.CommandErrorInvalidArgument;
        }
    }

    /// <summary>QUERY_FLOW_RULES: the descriptor, then as many rules (or locations) from starting_rule_id as fit the buffer; stats writes the descriptor only.</summary>
    public AdminqStatuses Query(ref AdminqQueryFlowRules q)
    {
        if (!Config.FlowSteering) return AdminqStatuses.CommandErrorUnimplemented;
        if (!State.Configured) return Context.NotConfigured("QUERY_FLOW_RULES");
        int entrySize = q.Opcode switch
        {
            FlowRuleQueryOpcode.QueryRules => AdminqQueriedFlowRule.Size,
            FlowRuleQueryOpcode.QueryIds => sizeof(uint),
            FlowRuleQueryOpcode.QueryStats => 0,
            _ => -1,
        };
        if (entrySize < 0) return AdminqStatuses.CommandErrorInvalidArgument;
        if (q.AvailableLength < (ulong)QueryFlowRulesDescriptor.Size || q.AvailableLength > int.MaxValue) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.Aligned(q.RuleDescriptorAddr, "flow rule query")) return AdminqStatuses.CommandErrorInvalidArgument;
        if (!Context.TryDma(q.RuleDescriptorAddr, (long)q.AvailableLength, "flow rule query", out Span<byte> at)) return AdminqStatuses.CommandErrorInvalidArgument;
        int room = entrySize == 0 ? 0 : (at.Length - QueryFlowRulesDescriptor.Size) / entrySize;
        int written = 0;
        foreach (KeyValuePair<uint, AdminqFlowRule> entry in Flows.Rules)
        {
            if (written == room) break;
            if (entry.Key < q.StartingRuleId) continue;
            Span<byte> slot = at.Slice(QueryFlowRulesDescriptor.Size + written * entrySize, entrySize);
            if (q.Opcode == FlowRuleQueryOpcode.QueryRules) new AdminqQueriedFlowRule { Location = entry.Key, FlowRule = entry.Value }.Write(slot);
            else new RssLutEntry { Queue = entry.Key }.Write(slot); // a big-endian u32, as a table entry
            written++;
        }
        new QueryFlowRulesDescriptor
        {
            NumFlowRules = (uint)Flows.Rules.Count,
            MaxFlowRules = Config.MaxFlowRules,
            NumQueriedRules = (uint)written,
            TotalLength = (uint)(QueryFlowRulesDescriptor.Size + written * entrySize),
        }.Write(at);
        return AdminqStatuses.CommandPassed;
    }
}
