using Gvnic.Schema;

namespace Gvnic.SchemaLint.Layout;

/// <summary>
/// A named bit range of a container field: bits <paramref name="Lsb"/>..<c>Msb</c> of the container's value
/// (after its byte order is applied), living in wire bytes <paramref name="FirstByte"/>..<paramref name="LastByte"/>
/// of the struct.
/// </summary>
public sealed record BitLayout(string Name, int Lsb, int Width, string? Type, ReservedKind Reserved, int FirstByte, int LastByte, string Doc)
{
    /// <summary>The most significant bit of the range.</summary>
    public int Msb => Lsb + Width - 1;
}
