namespace Gvnic.Schema
{
    /// <summary>A struct laid out at explicit byte offsets.</summary>
    public sealed record StructDef(
        string Name,
        int Size,
        ByteOrder? Order,
        string Doc,
        string? Upstream,
        EquatableArray<FieldDef> Fields,
        SourceSpan At,
        SourceSpan SizeAt);
}
