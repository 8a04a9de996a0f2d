using Gvnic.Schema;

namespace Gvnic.SchemaLint.Layout;

/// <summary>One register (an array of registers when <c>Stride</c> is set) with its effective byte order.</summary>
public sealed record RegisterLayout(RegisterDef Def, ByteOrder Order)
{
    /// <summary>The register's width in bytes.</summary>
    public int Bytes => Def.Width / 8;
}
