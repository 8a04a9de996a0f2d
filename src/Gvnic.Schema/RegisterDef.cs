namespace Gvnic.Schema
{
    /// <summary>One register (or, with a stride, an array of registers).</summary>
    public sealed record RegisterDef(
        string Name,
        int Offset,
        int Width,
        RegisterAccess Access,
        string? Type,
        ByteOrder? Order,
        int? Stride,
        string Doc,
        SourceSpan At);
}
