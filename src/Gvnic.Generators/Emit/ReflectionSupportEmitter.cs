namespace Gvnic.Generators.Emit
{
    /// <summary>
    /// Emits the types that describe a schema at run time (fields, enums, by-name access), which tools such as
    /// <c>gvnic decode</c> and <c>gvnic encode</c> use instead of re-implementing the wire format.
    /// </summary>
    internal static class ReflectionSupportEmitter
    {
        /// <summary>
        /// The reflection support file. With <paramref name="declareShared"/> false (a referenced assembly declares
        /// the public types, see <see cref="SharedSupport"/>) only the internal path parser <c>WirePath</c>.
        /// </summary>
        public static GeneratedSource Emit(string schemaName, string ns, bool declareShared = true)
        {
            var w = FileHeader.Start(schemaName, ns, "System", "System.Collections.Generic");
            string body = declareShared ? SharedBody + "\n\n" + InternalBody : InternalBody;
            foreach (var line in body.Replace("\r\n", "\n").Split('\n')) w.Line(line);
            return new GeneratedSource(schemaName + ".Reflection.g.cs", w.ToString().TrimEnd('\n') + "\n");
        }

        private const string SharedBody = @"/// <summary>
/// What a <see cref=""WireField""/> is.
/// </summary>
public enum WireFieldKind
{
    /// <summary>An unsigned integer (also the container of bit ranges).</summary>
    Integer,

    /// <summary>A value of an enum of the schema.</summary>
    Enum,

    /// <summary>A flag set of the schema.</summary>
    Flags,

    /// <summary>A one-bit boolean bit range.</summary>
    Bool,

    /// <summary>A nested struct of the schema.</summary>
    Struct,

    /// <summary>A union: its members follow it in the field list, with <see cref=""WireField.Union""/> naming it.</summary>
    Union,
}

/// <summary>
/// One field, bit range or union member of a schema struct, as the schema describes it.
/// </summary>
/// <param name=""Name"">The schema name; with an index for arrays (<c>mac[3]</c>) and dotted for nested structs (<c>body.queue_id</c>) it forms a path.</param>
/// <param name=""Kind"">What it is.</param>
/// <param name=""Offset"">Byte offset in the struct (of the container, for a bit range).</param>
/// <param name=""Size"">Bytes of one element (of the container, for a bit range; of the union, for a union).</param>
/// <param name=""Count"">Array length; 1 for a single value.</param>
/// <param name=""BitOffset"">First bit inside the container, counted from its least significant bit; -1 unless a bit range.</param>
/// <param name=""BitWidth"">Bits in the range; 0 unless a bit range.</param>
/// <param name=""Container"">The container field of a bit range, or null.</param>
/// <param name=""Union"">The union a member belongs to, or null.</param>
/// <param name=""Order"">""big"" or ""little"" for multi-byte values, else null.</param>
/// <param name=""TypeName"">The schema enum or struct name for enum, flag, struct and union-selected fields, else null.</param>
/// <param name=""Reserved"">"""" for a value, ""zero"" for reserved spans that must be zero, ""ignore"" for reserved spans anything may fill.</param>
/// <param name=""Select"">For a union: the path of its selector, or null.</param>
/// <param name=""When"">For a union member: the selector's enum value names that choose it.</param>
/// <param name=""Doc"">The schema's doc string.</param>
public sealed record WireField(
    string Name,
    WireFieldKind Kind,
    int Offset,
    int Size,
    int Count,
    int BitOffset,
    int BitWidth,
    string? Container,
    string? Union,
    string? Order,
    string? TypeName,
    string Reserved,
    string? Select,
    IReadOnlyList<string> When,
    string Doc);

/// <summary>What a by-name write did.</summary>
public enum WireSetResult
{
    /// <summary>The value was stored.</summary>
    Ok,

    /// <summary>No field, bit range or array element has that path.</summary>
    UnknownField,

    /// <summary>The value does not fit the field's bits.</summary>
    OutOfRange,

    /// <summary>The path names a struct or union, not a value; name one of its fields.</summary>
    NotAValue,
}

/// <summary>Reads the value at a field path out of a struct's wire bytes.</summary>
public delegate bool WireFieldReader(ReadOnlySpan<byte> bytes, string path, out ulong value);

/// <summary>Stores a value at a field path in a struct's wire bytes.</summary>
public delegate WireSetResult WireFieldWriter(Span<byte> bytes, string path, ulong value);

/// <summary>Validates a struct's wire bytes (see the generated <c>Validate</c> methods).</summary>
public delegate bool WireValidator(ReadOnlySpan<byte> bytes, ICollection<WireIssue>? issues);

/// <summary>Formats a struct's wire bytes with every field by name.</summary>
public delegate string WireFormatter(ReadOnlySpan<byte> bytes);

/// <summary>A schema struct at run time: its layout and by-name access to its bytes.</summary>
/// <param name=""Name"">The schema name.</param>
/// <param name=""ClrType"">The generated type.</param>
/// <param name=""Size"">Bytes on the wire.</param>
/// <param name=""Order"">The struct's default byte order, ""big"" or ""little"".</param>
/// <param name=""Doc"">The schema's doc string.</param>
/// <param name=""Fields"">Fields, bit ranges and union members in schema order.</param>
/// <param name=""Get"">Reads a value by path.</param>
/// <param name=""Set"">Writes a value by path.</param>
/// <param name=""Validate"">Validates bytes.</param>
/// <param name=""Format"">Formats bytes.</param>
public sealed record WireType(
    string Name,
    Type ClrType,
    int Size,
    string Order,
    string Doc,
    IReadOnlyList<WireField> Fields,
    WireFieldReader Get,
    WireFieldWriter Set,
    WireValidator Validate,
    WireFormatter Format);

/// <summary>One value of a schema enum at run time.</summary>
/// <param name=""Name"">The schema name.</param>
/// <param name=""Value"">The value.</param>
/// <param name=""Doc"">The schema's doc string.</param>
public sealed record WireEnumValue(string Name, ulong Value, string Doc);

/// <summary>A schema enum or flag set at run time.</summary>
/// <param name=""Name"">The schema name.</param>
/// <param name=""ClrType"">The generated enum.</param>
/// <param name=""Size"">Bytes of its storage type.</param>
/// <param name=""IsFlags"">Whether values are bit masks.</param>
/// <param name=""Doc"">The schema's doc string.</param>
/// <param name=""Values"">Its values in schema order.</param>
public sealed record WireEnum(string Name, Type ClrType, int Size, bool IsFlags, string Doc, IReadOnlyList<WireEnumValue> Values);";

        private const string InternalBody = @"/// <summary>Parses field paths: <c>name</c>, <c>name[index]</c> and <c>name[index].rest</c>.</summary>
internal static class WirePath
{
    /// <summary>Whether <paramref name=""path""/> is <paramref name=""name""/>[index] (optionally followed by '.' and a rest).</summary>
    public static bool TryIndex(string path, string name, out int index, out string rest)
    {
        index = -1;
        rest = """";
        if (path.Length < name.Length + 3 || !path.StartsWith(name, StringComparison.Ordinal) || path[name.Length] != '[') return false;
        int close = path.IndexOf(']', name.Length + 1);
        if (close < 0 || !int.TryParse(path.AsSpan(name.Length + 1, close - name.Length - 1), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out index)) return false;
        if (close == path.Length - 1) return true;
        if (path[close + 1] != '.') return false;
        rest = path.Substring(close + 2);
        return true;
    }

    /// <summary>Whether <paramref name=""path""/> is <paramref name=""name""/>.rest.</summary>
    public static bool TryMember(string path, string name, out string rest)
    {
        rest = """";
        if (path.Length <= name.Length + 1 || path[name.Length] != '.' || !path.StartsWith(name, StringComparison.Ordinal)) return false;
        rest = path.Substring(name.Length + 1);
        return true;
    }
}";
    }
}
