using Gvnic.Admin;
using Gvnic.Wire;

namespace Gvnic.Driver.Lifecycle;

/// <summary>
/// What the device offers for RX steering with the format in use, as upstream decides it (gve_enable_supported_features,
/// gve_set_default_rss_sizes): the RSS_CONFIG and FLOW_STEERING options count only when the format's option lists them
/// among its supported features. The sizes are the device's numbers, checked where they are used.
/// </summary>
internal static class SteeringLimits
{
    /// <summary>The one admin buffer QUERY_RSS and QUERY_FLOW_RULES answer into (upstream GVE_ADMINQ_BUFFER_SIZE).</summary>
    public const int AnswerBuffer = (int)GvnicConstants.AdminqBufferSize;

    /// <summary>The shortest key a Toeplitz hash can use: its 32-bit window.</summary>
    public const int MinRssKey = 4;

    /// <summary>
    /// The RSS key and table sizes and whether the device can be asked for its configuration (QUERY_RSS, only with the
    /// RSS_CONFIG option). A DQO device without the option gets upstream's 40-byte key and 128-entry table, and the driver
    /// remembers what it configured instead of asking; GQI without the option has no RSS.
    /// </summary>
    /// <exception cref="NicConfigurationException">The device offers no RSS with this format.</exception>
    /// <exception cref="DeviceFaultException">The RSS_CONFIG option's sizes cannot be used (key shorter than 4 bytes, no table, or a QUERY_RSS answer that cannot fit one admin buffer).</exception>
    public static (int KeySize, int TableSize, bool Queryable) Rss(DeviceDescription device, DevicePlan plan)
    {
        bool listed = (plan.Capabilities.SupportedFeatures & SupFeatureMask.RssConfig) != 0;
        if (listed && device.RssConfig is (ushort key, ushort table))
        {
            const string Option = "RSS_CONFIG option";
            int room = AnswerBuffer - QueryRssDescriptor.Size;
            if (key < MinRssKey || key > room - RssLutEntry.Size)
                throw new DeviceFaultException(Option, "hash_key_size", -1, key, "a Toeplitz key takes " + MinRssKey + " … " + (room - RssLutEntry.Size)
                    + " bytes (its 32-bit window, and the QUERY_RSS answer must fit one " + AnswerBuffer + "-byte admin buffer with the table)");
            if (table == 0 || QueryRssDescriptor.Size + key + table * RssLutEntry.Size > AnswerBuffer)
                throw new DeviceFaultException(Option, "hash_lut_size", -1, table, "an indirection table needs 1 … " + (room - key) / RssLutEntry.Size
                    + " entries with a " + key + "-byte key (the QUERY_RSS answer must fit one " + AnswerBuffer + "-byte admin buffer)");
            return (key, table, true);
        }
        if (plan.IsDqo) return (GvnicConstants.RssKeySize, GvnicConstants.RssIndirSize, false);
        throw new NicConfigurationException("the device offers no RSS configuration with " + plan.Format + ": "
            + (device.RssConfig is null ? "it sent no RSS_CONFIG option" : "the " + plan.Format + " option does not list rss_config among its supported features")
            + " (upstream configures RSS on GQI only with that option; DQO formats use a 40-byte key and a 128-entry table without it)");
    }

    /// <summary>The most flow rules the device holds with the format in use.</summary>
    /// <exception cref="NicConfigurationException">The device offers no flow steering with this format (no FLOW_STEERING option, not listed by the format, or max_flow_rules 0).</exception>
    public static uint FlowRules(DeviceDescription device, DevicePlan plan)
    {
        bool listed = (plan.Capabilities.SupportedFeatures & SupFeatureMask.FlowSteering) != 0;
        if (listed && device.MaxFlowRules is uint max && max != 0) return max;
        throw new NicConfigurationException("the device offers no flow steering with " + plan.Format + ": "
            + (device.MaxFlowRules is null ? "it sent no FLOW_STEERING option"
                : !listed ? "the " + plan.Format + " option does not list flow_steering among its supported features"
                : "its FLOW_STEERING option allows 0 rules (max_flow_rules)"));
    }
}
