using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Layout;

/// <summary>One struct with its fields in schema order.</summary>
public sealed record StructLayout(StructDef Def, IReadOnlyList<FieldLayout> Fields)
{
    /// <summary>The struct's name.</summary>
    public string Name => Def.Name;
}
