using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Layout;

/// <summary>A register block with its registers' resolved byte orders.</summary>
public sealed record RegisterBlockLayout(RegisterBlockDef Def, IReadOnlyList<RegisterLayout> Registers)
{
    /// <summary>The block's name.</summary>
    public string Name => Def.Name;
}
