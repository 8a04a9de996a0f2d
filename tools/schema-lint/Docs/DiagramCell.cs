namespace Gvnic.SchemaLint.Docs;

/// <summary>One bit of a diagram: its owner and, for scalars, which bit of the owner's value it is.</summary>
public readonly record struct DiagramCell(DiagramItem? Item, int ValueBit, int Byte);
