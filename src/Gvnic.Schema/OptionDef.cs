namespace Gvnic.Schema
{
    /// <summary>
    /// One option of an <see cref="OptionListDef"/>: its id (a value name of the id field's enum), its payload struct
    /// (none: the payload is empty and the length must be 0), the fewest payload bytes accepted (the payload's size
    /// unless given), and the header values it requires.
    /// </summary>
    public sealed record OptionDef(
        string Id,
        string? Payload,
        int? MinLength,
        EquatableArray<HeaderValueDef> Requires,
        string Doc,
        SourceSpan At);
}
