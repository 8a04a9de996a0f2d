namespace Gvnic.Driver;

/// <summary>What is known of one checksum of a received frame (<see cref="RxInfo.L3Checksum"/>, <see cref="RxInfo.L4Checksum"/>).</summary>
public enum RxChecksum
{
    /// <summary>Not checked: the device did not process the header, the protocol has no such checksum (IPv6 has no header checksum), or the frame is a fragment.</summary>
    Unknown = 0,

    /// <summary>Checked and correct.</summary>
    Good = 1,

    /// <summary>Checked and wrong: the frame was corrupted (or built wrong) on the way.</summary>
    Bad = 2,
}
