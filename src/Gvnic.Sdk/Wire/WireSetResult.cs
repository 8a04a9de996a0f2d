namespace Gvnic.Wire;

/// <summary>What a by-name write did.</summary>
public enum WireSetResult
{
    /// <summary>The value was stored.</summary>
    Ok,

    /// <summary>No field, bit range or array element has that path.</summary>
    UnknownField,

    /// <summary>The value does not fit the field's bits.</summary>
    OutOfRange,

    /// <summary>The path names a struct or union, not a value; name one of its fields.</summary>
    NotAValue,
}
