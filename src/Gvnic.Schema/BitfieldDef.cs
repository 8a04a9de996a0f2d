namespace Gvnic.Schema
{
    /// <summary>A named bit range inside a container field.</summary>
    public sealed record BitfieldDef(string Name, int At, int Width, string? Type, ReservedKind Reserved, string Doc, SourceSpan Location);
}
