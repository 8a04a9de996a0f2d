using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Docs;

/// <summary>
/// A datasheet-style bit diagram: rows of 32 bits (bit 31 on the left), each holding boxes of named
/// fields. <paramref name="Lanes"/> says which byte of the row's word is on the left: big-endian rows
/// show bytes +0..+3, little-endian rows +3..+0, so a multi-byte value always reads left to right.
/// </summary>
public sealed record Diagram(string Name, string Caption, ByteOrder Lanes, IReadOnlyList<DiagramRow> Rows);

/// <summary>One row of a diagram: a left-hand label (the byte offset) and its boxes left to right.</summary>
/// <param name="Label">The byte offset of the row, e.g. <c>0x04</c>, or a range for a collapsed band.</param>
/// <param name="Boxes">The boxes; columns no box covers lie outside the struct.</param>
/// <param name="Collapsed">Whether the row stands for several rows of one large field.</param>
public sealed record DiagramRow(string Label, IReadOnlyList<DiagramBox> Boxes, bool Collapsed);

/// <summary>A box of a row: columns <paramref name="Start"/>..<c>Start + Width - 1</c> counted from the left (bit 31).</summary>
public sealed record DiagramBox(int Start, int Width, string Label, bool Reserved, string Key);
