using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Layout;

/// <summary>The laid-out schema: every struct and register block with resolved sizes and byte orders.</summary>
public sealed record SchemaLayout(SchemaDocument Document, IReadOnlyList<StructLayout> Structs, IReadOnlyList<RegisterBlockLayout> Blocks);
