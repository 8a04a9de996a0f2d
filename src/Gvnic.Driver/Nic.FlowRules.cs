using System;
using System.Collections.Generic;
using Gvnic.Driver.Lifecycle;
using Gvnic.Wire;

namespace Gvnic.Driver;

/// <summary>Flow steering: rules that send matching frames to a chosen RX queue before RSS (CONFIGURE_FLOW_RULE through EXTENDED_COMMAND, QUERY_FLOW_RULES).</summary>
public sealed partial class Nic
{
    /// <summary>The rules the device accepted, by location (applied again after a recovery).</summary>
    private readonly SortedDictionary<int, FlowRule> _flowRules = new();

    /// <summary>The most flow rules the device holds with the format in use (its FLOW_STEERING option's max_flow_rules, at most <see cref="int.MaxValue"/>).</summary>
    /// <exception cref="NicConfigurationException">The device offers no flow steering with the format in use.</exception>
    public int MaxFlowRules => (int)Math.Min(SteeringLimits.FlowRules(Device, Plan), int.MaxValue);

    /// <summary>Whether the device offers flow steering with the format in use.</summary>
    public bool FlowSteeringSupported
    {
        get
        {
            try
            {
                SteeringLimits.FlowRules(Device, Plan);
                return true;
            }
            catch (NicConfigurationException)
            {
                return false;
            }
        }
    }

    /// <summary>Adds <paramref name="rule"/> at its <see cref="FlowRule.Location"/>, or at the first free location when it has none; returns the location.</summary>
    /// <exception cref="ArgumentNullException"><paramref name="rule"/> is null.</exception>
    /// <exception cref="ArgumentException">The rule is malformed (see <see cref="FlowRule"/>), its queue is no RX queue of this NIC, its location is outside the device's slots or holds a rule, or every slot is taken.</exception>
    /// <exception cref="NicConfigurationException">The device offers no flow steering with the format in use.</exception>
    /// <exception cref="AdminCommandException">The device refused the command.</exception>
    public int AddFlowRule(FlowRule rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        NicInstance instance = InService();
        int max = (int)Math.Min(SteeringLimits.FlowRules(instance.Device, instance.Plan), int.MaxValue);
        rule.Validate(nameof(rule));
        if ((uint)rule.Queue >= (uint)instance.Rx.Length)
            throw new ArgumentException("the rule steers to RX queue " + rule.Queue + "; the NIC has " + instance.Rx.Length + " RX queues (0 … " + (instance.Rx.Length - 1) + ")", nameof(rule));
        int location;
        if (rule.Location is int wanted)
        {
            if ((uint)wanted >= (uint)max)
                throw new ArgumentException("flow rule location " + wanted + " is outside the device's 0 … " + (max - 1) + " (max_flow_rules " + max + ")", nameof(rule));
            if (_flowRules.ContainsKey(wanted))
                throw new ArgumentException("flow rule location " + wanted + " already holds a rule; delete it first (DeleteFlowRule)", nameof(rule));
            location = wanted;
        }
        else
        {
            location = FirstFreeLocation(max);
        }
        FlowRule placed = rule with { Location = location };
        var wire = new AdminqFlowRule();
        placed.WriteTo(ref wire);
        ControlPlaneOf(instance).ConfigureFlowRule(FlowRuleCfgOpcode.Add, (uint)location, wire);
        _flowRules[location] = placed;
        return location;
    }

    /// <summary>Deletes the rule at <paramref name="location"/>.</summary>
    /// <exception cref="ArgumentException">No rule is at <paramref name="location"/>.</exception>
    /// <exception cref="NicConfigurationException">The device offers no flow steering with the format in use.</exception>
    /// <exception cref="AdminCommandException">The device refused the command.</exception>
    public void DeleteFlowRule(int location)
    {
        NicInstance instance = InService();
        SteeringLimits.FlowRules(instance.Device, instance.Plan);
        if (!_flowRules.ContainsKey(location))
            throw new ArgumentException("no flow rule at location " + location + " (rules are at " + (_flowRules.Count == 0 ? "no location" : string.Join(", ", _flowRules.Keys)) + ")", nameof(location));
        ControlPlaneOf(instance).ConfigureFlowRule(FlowRuleCfgOpcode.Del, (uint)location, default);
        _flowRules.Remove(location);
    }

    /// <summary>Deletes every rule (CONFIGURE_FLOW_RULE reset).</summary>
    /// <exception cref="NicConfigurationException">The device offers no flow steering with the format in use.</exception>
    /// <exception cref="AdminCommandException">The device refused the command.</exception>
    public void ResetFlowRules()
    {
        NicInstance instance = InService();
        SteeringLimits.FlowRules(instance.Device, instance.Plan);
        ControlPlaneOf(instance).ConfigureFlowRule(FlowRuleCfgOpcode.Reset, 0, default);
        _flowRules.Clear();
    }

    /// <summary>The rules the device holds, by location, asked page by page (QUERY_FLOW_RULES query_rules).</summary>
    /// <exception cref="NicConfigurationException">The device offers no flow steering with the format in use.</exception>
    /// <exception cref="DeviceFaultException">An answer is malformed: its length or count, a location out of order or beyond the device's slots, a flow type or queue that does not exist.</exception>
    /// <exception cref="AdminCommandException">The device refused the command.</exception>
    public IReadOnlyList<FlowRule> QueryFlowRules()
    {
        NicInstance instance = InService();
        uint max = SteeringLimits.FlowRules(instance.Device, instance.Plan);
        return FlowRuleAnswer.Rules(start => ControlPlaneOf(instance).QueryFlowRules(FlowRuleQueryOpcode.QueryRules, start), max, instance.Rx.Length);
    }

    /// <summary>The locations that hold rules, asked page by page (QUERY_FLOW_RULES query_ids).</summary>
    /// <exception cref="NicConfigurationException">The device offers no flow steering with the format in use.</exception>
    /// <exception cref="DeviceFaultException">An answer is malformed: its length or count, or a location out of order or beyond the device's slots.</exception>
    /// <exception cref="AdminCommandException">The device refused the command.</exception>
    public IReadOnlyList<int> QueryFlowRuleLocations()
    {
        NicInstance instance = InService();
        uint max = SteeringLimits.FlowRules(instance.Device, instance.Plan);
        return FlowRuleAnswer.Locations(start => ControlPlaneOf(instance).QueryFlowRules(FlowRuleQueryOpcode.QueryIds, start), max);
    }

    /// <summary>How many rules the device holds and the most it can (QUERY_FLOW_RULES query_stats).</summary>
    /// <exception cref="NicConfigurationException">The device offers no flow steering with the format in use.</exception>
    /// <exception cref="DeviceFaultException">The answer is malformed (its length, or more rules than slots).</exception>
    /// <exception cref="AdminCommandException">The device refused the command.</exception>
    public FlowRuleStatistics QueryFlowRuleStatistics()
    {
        NicInstance instance = InService();
        uint max = SteeringLimits.FlowRules(instance.Device, instance.Plan);
        return FlowRuleAnswer.Statistics(ControlPlaneOf(instance).QueryFlowRules(FlowRuleQueryOpcode.QueryStats, 0), max);
    }

    private int FirstFreeLocation(int max)
    {
        int candidate = 0;
        foreach (int used in _flowRules.Keys)
        {
            if (used != candidate) break;
            candidate++;
        }
        if (candidate >= max) throw new ArgumentException("every flow rule location is taken (max_flow_rules " + max + "); delete one first", "rule");
        return candidate;
    }

    private void RestoreFlowRules(NicInstance instance)
    {
        foreach (FlowRule rule in _flowRules.Values)
        {
            var wire = new AdminqFlowRule();
            rule.WriteTo(ref wire);
            ControlPlaneOf(instance).ConfigureFlowRule(FlowRuleCfgOpcode.Add, (uint)rule.Location!.Value, wire);
        }
    }
}
