using System;
using System.Collections.Generic;

namespace Gvnic.Wire;

/// <summary>A schema enum or flag set at run time.</summary>
/// <param name="Name">The schema name.</param>
/// <param name="ClrType">The generated enum.</param>
/// <param name="Size">Bytes of its storage type.</param>
/// <param name="IsFlags">Whether values are bit masks.</param>
/// <param name="Doc">The schema's doc string.</param>
/// <param name="Values">Its values in schema order.</param>
public sealed record WireEnum(string Name, Type ClrType, int Size, bool IsFlags, string Doc, IReadOnlyList<WireEnumValue> Values);
