namespace Gvnic.Schema
{
    /// <summary>The byte order of a multi-byte value on the wire.</summary>
    public enum ByteOrder
    {
        /// <summary>Most significant byte first (registers, admin commands, GQI descriptors).</summary>
        Big,

        /// <summary>Least significant byte first (DQO descriptors).</summary>
        Little,
    }
}
