namespace Gvnic.Schema
{
    /// <summary>What a type name in a schema refers to.</summary>
    public enum TypeKind
    {
        /// <summary>The name is not defined.</summary>
        Unknown,

        /// <summary>u8, u16, u32 or u64.</summary>
        Integer,

        /// <summary>bool (bitfields only).</summary>
        Bool,

        /// <summary>An enum or flag set of the schema.</summary>
        Enum,

        /// <summary>A struct of the schema.</summary>
        Struct,
    }
}
