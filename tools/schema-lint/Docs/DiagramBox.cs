namespace Gvnic.SchemaLint.Docs;

/// <summary>A box of a row: columns <paramref name="Start"/>..<c>Start + Width - 1</c> counted from the left (bit 31).</summary>
public sealed record DiagramBox(int Start, int Width, string Label, bool Reserved, string Key);
