using System.Collections.Generic;

namespace Gvnic.SchemaLint.Docs;

/// <summary>One row of a diagram: a left-hand label (the byte offset) and its boxes left to right.</summary>
/// <param name="Label">The byte offset of the row, e.g. <c>0x04</c>, or a range for a collapsed band.</param>
/// <param name="Boxes">The boxes; columns no box covers lie outside the struct.</param>
/// <param name="Collapsed">Whether the row stands for several rows of one large field.</param>
public sealed record DiagramRow(string Label, IReadOnlyList<DiagramBox> Boxes, bool Collapsed);
