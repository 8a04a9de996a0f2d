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

    /// <summary>A message is shorter than its struct's fixed part (the value is the message's length).</summary>
    MessageTooShort,

    /// <summary>A message is longer than its struct's <c>max_size</c> (the value is the message's length).</summary>
    MessageTooLarge,

    /// <summary>
    /// The field that counts a trailing array states more elements than the message holds, or than its <c>max_size</c>
    /// allows (the value is the count; the field is the counter).
    /// </summary>
    CountBeyondMessage,
}
