using Gvnic.Wire;

namespace Gvnic.Admin;

/// <summary>What the device offers with one queue format: upstream enables an optional feature only when the format option's supported-features mask has its bit.</summary>
/// <param name="Format">The queue format.</param>
/// <param name="SupportedFeatures">The format option's supported-features mask (0 when the format had no option).</param>
/// <param name="MaxMtu">The MTU limit: the jumbo-frames max MTU when enabled, otherwise the descriptor's MTU.</param>
/// <param name="RingLimits">Modify-ring limits when enabled.</param>
/// <param name="PacketBufferSize">The buffer-sizes option's packet buffer size when enabled (0 otherwise).</param>
/// <param name="HeaderBufferSize">The buffer-sizes option's header buffer size when enabled (0 otherwise).</param>
public readonly record struct FormatCapabilities(QueueFormat Format, SupFeatureMask SupportedFeatures, int MaxMtu, RingSizeLimits? RingLimits, ushort PacketBufferSize, ushort HeaderBufferSize);
