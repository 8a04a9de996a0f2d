namespace Gvnic.Wire;

/// <summary>What a <see cref="WireField"/> is.</summary>
public enum WireFieldKind
{
    /// <summary>An unsigned integer (also the container of bit ranges).</summary>
    Integer,

    /// <summary>A value of an enum of the schema.</summary>
    Enum,

    /// <summary>A flag set of the schema.</summary>
    Flags,

    /// <summary>A one-bit boolean bit range.</summary>
    Bool,

    /// <summary>A nested struct of the schema.</summary>
    Struct,

    /// <summary>A union: its members follow it in the field list, with <see cref="WireField.Union"/> naming it.</summary>
    Union,
}
