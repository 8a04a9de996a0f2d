namespace Gvnic.Schema
{
    /// <summary>What a decoder must see in a reserved span.</summary>
    public enum ReservedKind
    {
        /// <summary>Not reserved: a named value.</summary>
        None,

        /// <summary>Reserved or padding that must read as zero.</summary>
        Zero,

        /// <summary>Reserved; any value is accepted.</summary>
        Ignore,
    }
}
