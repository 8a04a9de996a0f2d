namespace Gvnic.Schema
{
    /// <summary>One value of an enum.</summary>
    public sealed record EnumValueDef(string Name, ulong Value, string Doc, SourceSpan At, SourceSpan ValueAt);
}
