using Gvnic.Admin;
using Gvnic.Wire;

namespace Gvnic.Driver.Lifecycle;

/// <summary>The plan for one device: format, queue counts, ring and buffer sizes, chosen from what it offers and what the caller asked.</summary>
internal sealed record DevicePlan(QueueFormat Format, FormatCapabilities Capabilities, int TxQueues, int RxQueues, int TxRingSize, int RxRingSize,
    int Mtu, int MaxFrame, int RxBufferSize, int TxPagesPerQpl, int RxPagesPerQpl)
{
    /// <summary>Whether the format uses DQO descriptors.</summary>
    public bool IsDqo => Format is QueueFormat.DqoRda or QueueFormat.DqoQpl;

    /// <summary>Whether the format uses queue page lists.</summary>
    public bool IsQpl => Format is QueueFormat.GqiQpl or QueueFormat.DqoQpl;
}
