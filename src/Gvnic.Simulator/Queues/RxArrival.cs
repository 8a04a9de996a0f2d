namespace Gvnic.Simulator.Queues;

/// <summary>
/// A frame off the wire as the RX queue gets it: the frame parsed once on arrival (<see cref="Info"/>), and the RSS hash
/// when steering computed it (<see cref="HashVersion"/> names the steering configuration it was computed under, -1 when
/// it was not), so delivery neither parses nor hashes the frame again.
/// </summary>
internal readonly struct RxArrival(byte[] frame, in FrameInfo info, uint hash, long hashVersion)
{
    /// <summary>The frame: one of the device's frame buffers.</summary>
    public byte[] Frame { get; } = frame;

    /// <summary>What the parser found in <see cref="Frame"/>.</summary>
    public FrameInfo Info { get; } = info;

    /// <summary>The RSS hash of <see cref="Frame"/>, valid while the steering configuration is at <see cref="HashVersion"/>.</summary>
    public uint Hash { get; } = hash;

    /// <summary>The steering configuration <see cref="Hash"/> was computed under (<see cref="Device.RxSteering.Version"/>), or -1.</summary>
    public long HashVersion { get; } = hashVersion;

    /// <summary>A frame parsed now, not hashed.</summary>
    public static RxArrival Parse(byte[] frame) => new(frame, FrameInfo.Parse(frame), 0, -1);
}
