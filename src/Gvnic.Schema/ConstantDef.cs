namespace Gvnic.Schema
{
    /// <summary>A named numeric constant.</summary>
    public sealed record ConstantDef(string Name, string Type, ulong Value, string Doc, SourceSpan At, SourceSpan ValueAt);
}
