using System;

namespace Gvnic.Simulator;

/// <summary>The queue formats a simulated device can offer; each becomes the matching device option in DESCRIBE_DEVICE.</summary>
[Flags]
public enum OfferedFormats
{
    /// <summary>No format option: a driver falls back to GQI QPL.</summary>
    None = 0,
    /// <summary>GQI with queue page lists (device option GQI_QPL).</summary>
    GqiQpl = 1,
    /// <summary>GQI with raw DMA addressing (device option GQI_RDA).</summary>
    GqiRda = 2,
    /// <summary>DQO with raw DMA addressing (device option DQO_RDA).</summary>
    DqoRda = 4,
    /// <summary>DQO with queue page lists (device option DQO_QPL).</summary>
    DqoQpl = 8,
}
