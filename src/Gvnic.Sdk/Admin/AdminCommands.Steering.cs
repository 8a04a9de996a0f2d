using Gvnic.Wire;

namespace Gvnic.Admin;

/// <summary>The RX steering commands: RSS (CONFIGURE_RSS, QUERY_RSS) and flow steering (EXTENDED_COMMAND with CONFIGURE_FLOW_RULE, QUERY_FLOW_RULES).</summary>
public static partial class AdminCommands
{
    /// <summary>
    /// CONFIGURE_RSS: hash <paramref name="hashTypes"/> with <paramref name="hashAlgorithm"/>; a key of
    /// <paramref name="keySize"/> bytes at <paramref name="keyAddress"/> and a table of <paramref name="tableSize"/>
    /// big-endian u32 entries at <paramref name="tableAddress"/>. A zero size (and address) leaves that part unchanged.
    /// </summary>
    public static void ConfigureRss(ref AdminqCommand cmd, RssHashTypes hashTypes, RssHashAlg hashAlgorithm, ushort keySize, ulong keyAddress, ushort tableSize, ulong tableAddress)
    {
        Begin(ref cmd, AdminqOpcodes.ConfigureRss);
        ref AdminqConfigureRss body = ref cmd.ConfigureRss;
        body.HashTypes = hashTypes;
        body.HashAlg = hashAlgorithm;
        body.HashKeySize = keySize;
        body.HashLutSize = tableSize;
        body.HashKeyAddr = keyAddress;
        body.HashLutAddr = tableAddress;
    }

    /// <summary>QUERY_RSS: the device writes a <see cref="QueryRssDescriptor"/>, the key and the table into the <paramref name="length"/> bytes at <paramref name="address"/>.</summary>
    public static void QueryRss(ref AdminqCommand cmd, ulong address, ulong length)
    {
        Begin(ref cmd, AdminqOpcodes.QueryRss);
        ref AdminqQueryRss body = ref cmd.QueryRss;
        body.AvailableLength = length;
        body.RssDescriptorAddr = address;
    }

    /// <summary>EXTENDED_COMMAND: the inner command <paramref name="innerOpcode"/>, <paramref name="innerLength"/> bytes at <paramref name="innerAddress"/>.</summary>
    public static void ExtendedCommand(ref AdminqCommand cmd, AdminqExtendedOpcodes innerOpcode, uint innerLength, ulong innerAddress)
    {
        Begin(ref cmd, AdminqOpcodes.ExtendedCommand);
        ref AdminqExtendedCommand body = ref cmd.ExtendedCommand;
        body.InnerOpcode = innerOpcode;
        body.InnerLength = innerLength;
        body.InnerCommandAddr = innerAddress;
    }

    /// <summary>
    /// The inner command of CONFIGURE_FLOW_RULE (<see cref="AdminqConfigureFlowRule"/>): clears it, then writes
    /// <paramref name="opcode"/> and <paramref name="location"/>; an add then fills <see cref="AdminqConfigureFlowRule.Rule"/>.
    /// </summary>
    public static void ConfigureFlowRule(ref AdminqConfigureFlowRule inner, FlowRuleCfgOpcode opcode, uint location)
    {
        inner = default;
        inner.Opcode = opcode;
        inner.Location = location;
    }

    /// <summary>QUERY_FLOW_RULES: the device writes a <see cref="QueryFlowRulesDescriptor"/> and what <paramref name="opcode"/> asks for, from rule <paramref name="startingLocation"/>, into the <paramref name="length"/> bytes at <paramref name="address"/>.</summary>
    public static void QueryFlowRules(ref AdminqCommand cmd, FlowRuleQueryOpcode opcode, uint startingLocation, ulong address, ulong length)
    {
        Begin(ref cmd, AdminqOpcodes.QueryFlowRules);
        ref AdminqQueryFlowRules body = ref cmd.QueryFlowRules;
        body.Opcode = opcode;
        body.StartingRuleId = startingLocation;
        body.AvailableLength = length;
        body.RuleDescriptorAddr = address;
    }
}
