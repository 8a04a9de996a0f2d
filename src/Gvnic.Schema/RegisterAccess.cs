namespace Gvnic.Schema
{
    /// <summary>Which way a register may be accessed.</summary>
    public enum RegisterAccess
    {
        /// <summary>The driver only reads it.</summary>
        Read,

        /// <summary>The driver only writes it.</summary>
        Write,

        /// <summary>The driver reads and writes it.</summary>
        ReadWrite,
    }
}
