using System.Net.NetworkInformation;

namespace Gvnic.Cli.Scenario;

/// <summary>What a scenario achieved, for the exit code and for tests.</summary>
internal sealed class ScenarioResult
{
    /// <summary>The DHCP offer, or null when none came.</summary>
    public DhcpOffer? Offer { get; set; }

    /// <summary>The MAC the ARP reply gave, or null.</summary>
    public PhysicalAddress? RouterMac { get; set; }

    /// <summary>Whether the ping was answered.</summary>
    public bool PingAnswered { get; set; }

    /// <summary>Traffic-run frames answered.</summary>
    public int EchoesReceived { get; set; }

    /// <summary>Frames sent.</summary>
    public int FramesOut { get; set; }

    /// <summary>Frames received.</summary>
    public int FramesIn { get; set; }

    /// <summary>DMA regions still allocated after teardown.</summary>
    public int RegionsKept { get; set; }

    /// <summary>Whether <see cref="ScenarioOptions.Cancellation"/> stopped the conversation before it ended.</summary>
    public bool Interrupted { get; set; }

    /// <summary>Whether every step succeeded.</summary>
    public bool Ok => !Interrupted && Offer is not null && RouterMac is not null && PingAnswered && RegionsKept == 0;
}
