namespace Gvnic.Wire;

/// <summary>What a validation found wrong in decoded wire data.</summary>
public enum WireIssueKind
{
    /// <summary>A reserved or padding span (or bit range) that must be zero is not.</summary>
    ReservedNotZero,

    /// <summary>An enum field holds a value the schema does not define.</summary>
    UnknownEnumValue,

    /// <summary>A flag-set field has bits set that the schema does not define.</summary>
    UnknownFlags,

    /// <summary>A union's selector holds a value for which the schema has no member.</summary>
    UnknownVariant,
}
