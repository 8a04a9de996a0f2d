namespace Gvnic.Schema
{
    /// <summary>
    /// A list of options: entries of a header struct, whose <see cref="IdField"/> names the option and whose
    /// <see cref="LengthField"/> counts the payload bytes after it, each followed by that payload.
    /// </summary>
    public sealed record OptionListDef(
        string Name,
        string Header,
        string IdField,
        string LengthField,
        string Doc,
        EquatableArray<OptionDef> Options,
        SourceSpan At);
}
