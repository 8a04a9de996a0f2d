namespace Gvnic.Schema
{
    /// <summary>A block of registers in one BAR.</summary>
    public sealed record RegisterBlockDef(string Name, int Bar, ByteOrder? Order, string Doc, EquatableArray<RegisterDef> Registers, SourceSpan At);
}
