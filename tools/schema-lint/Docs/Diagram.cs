using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Docs;

/// <summary>
/// A datasheet-style bit diagram: rows of 32 bits (bit 31 on the left), each holding boxes of named
/// fields. <paramref name="Lanes"/> says which byte of the row's word is on the left: big-endian rows
/// show bytes +0..+3, little-endian rows +3..+0, so a multi-byte value always reads left to right.
/// </summary>
public sealed record Diagram(string Name, string Caption, ByteOrder Lanes, IReadOnlyList<DiagramRow> Rows);
