namespace Gvnic.Cli.Schema;

/// <summary>What a <see cref="SchemaRow"/> stands for.</summary>
internal enum RowKind
{
    /// <summary>A value: an integer, enum, flag set or bool field, a bit range, or one array element.</summary>
    Value,

    /// <summary>A nested struct (or one element of an array of structs); its fields follow one level deeper.</summary>
    Struct,

    /// <summary>A union; the members in force follow one level deeper.</summary>
    Union,

    /// <summary>
    /// The raw bytes of a union whose selector names no member (one level under the union row): nothing tells how to
    /// read them, so they are shown as they are.
    /// </summary>
    Raw,
}
