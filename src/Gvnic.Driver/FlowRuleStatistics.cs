namespace Gvnic.Driver;

/// <summary>What QUERY_FLOW_RULES (query_stats) reports: rules installed and the most the device holds.</summary>
/// <param name="Count">Rules installed on the device (num_flow_rules).</param>
/// <param name="Max">The most rules the device holds (max_flow_rules).</param>
public readonly record struct FlowRuleStatistics(int Count, int Max);
