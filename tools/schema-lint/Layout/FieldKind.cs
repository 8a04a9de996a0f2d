namespace Gvnic.SchemaLint.Layout;

/// <summary>What a field stores.</summary>
public enum FieldKind
{
    /// <summary>An unsigned integer (u8..u64), or an array of them.</summary>
    Integer,

    /// <summary>An enum or flag set, stored in the enum's integer type.</summary>
    Enum,

    /// <summary>A nested struct (or array of structs); its own layout gives its byte order.</summary>
    Struct,

    /// <summary>A union of members that all start at the field's offset.</summary>
    Union,
}
