namespace Gvnic.Schema
{
    /// <summary>An enumeration or flag set.</summary>
    public sealed record EnumDef(string Name, string Type, bool Flags, string Doc, EquatableArray<EnumValueDef> Values, SourceSpan At);
}
