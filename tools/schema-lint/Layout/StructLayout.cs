using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.SchemaLint.Layout;

/// <summary>
/// One struct with the fields of its fixed part in schema order, and its trailing array (<c>counted_by:</c>), whose
/// elements follow the fixed part in a whole message, with the most bytes such a message may take (<c>max_size:</c>).
/// </summary>
public sealed record StructLayout(StructDef Def, IReadOnlyList<FieldLayout> Fields)
{
    /// <summary>The trailing array (its <see cref="FieldLayout.Size"/> is one element's), or null.</summary>
    public FieldLayout? Trailing { get; init; }

    /// <summary>The field that counts <see cref="Trailing"/>, or null.</summary>
    public string? CountedBy { get; init; }

    /// <summary>The resolved <c>max_size:</c> in bytes, or null.</summary>
    public ulong? MaxSize { get; init; }

    /// <summary>The most elements of <see cref="Trailing"/> that fit <see cref="MaxSize"/>, or null without either.</summary>
    public ulong? MaxCount => Trailing is null || MaxSize is null || Trailing.ElementSize <= 0 ? null : (MaxSize.Value - (ulong)Def.Size) / (ulong)Trailing.ElementSize;

    /// <summary>The struct's name.</summary>
    public string Name => Def.Name;
}
