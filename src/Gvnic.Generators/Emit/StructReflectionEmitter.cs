using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>
    /// Emits the run-time description of a struct (its <c>Fields</c>) and by-path access to its bytes
    /// (<c>TryGetField</c>, <c>TrySetField</c>), each path case calling the typed property, so tools never
    /// re-implement byte order or bit packing.
    /// </summary>
    internal sealed class StructReflectionEmitter
    {
        private readonly SchemaTypes _types;
        private readonly StructDef _struct;
        private readonly string _name;
        private readonly ByteOrder _order;
        private readonly CodeWriter _w;

        private StructReflectionEmitter(SchemaDocument schema, SchemaTypes types, StructDef s)
        {
            _types = types;
            _struct = s;
            _name = Naming.Pascal(s.Name);
            _order = s.Order ?? ByteOrder.Big;
            _w = FileHeader.Start(schema.Name, schema.Namespace, "System", "System.Collections.Generic");
        }

        public static GeneratedSource Emit(SchemaDocument schema, SchemaTypes types, StructDef s)
        {
            var e = new StructReflectionEmitter(schema, types, s);
            e.EmitAll();
            return new GeneratedSource(schema.Name + "." + e._name + ".Fields.g.cs", e._w.ToString());
        }

        private string Prop(string schemaName) => StructEmitter.PropertyName(schemaName, _name, _struct);

        private void EmitAll()
        {
            _w.Open("public partial struct " + _name);
            _w.Line("/// <summary>");
            _w.Line("/// The fields, bit ranges and union members of <c>" + _struct.Name + "</c> as the schema describes them.");
            _w.Line("/// </summary>");
            _w.Open("public static IReadOnlyList<WireField> Fields { get; } = new WireField[]");
            foreach (var f in _struct.Fields)
            {
                if (f.IsTrailing)
                {
                    var kind = _types.KindOf(f.Type);
                    string? order = kind != TypeKind.Struct && _types.SizeOf(f.Type) > 1 ? ((f.Order ?? _order) == ByteOrder.Big ? "big" : "little") : null;
                    string? typeName = kind == TypeKind.Enum || kind == TypeKind.Struct ? f.Type : null;
                    Entry(f.Name, KindOf(f.Type), _struct.Size, _types.SizeOf(f.Type), 0, -1, 0, null, null, order, typeName, "", null, f.When, f.Doc, f.CountedBy);
                }
                else if (f.IsUnion)
                {
                    string? selectEnum = _types.SelectorType(_struct, f);
                    Entry(f.Name, "Union", f.Offset, f.UnionSize ?? 0, 1, -1, 0, null, null, null, selectEnum, "", f.Select, f.When, f.Doc);
                    foreach (var m in f.Union) FieldEntries(m, f.Offset, f.Name);
                }
                else
                {
                    FieldEntries(f, f.Offset, null);
                }
            }
            _w.Close(";");
            EmitGet();
            EmitSet();
            _w.Close();
        }

        private string KindOf(string type)
        {
            switch (_types.KindOf(type))
            {
                case TypeKind.Struct: return "Struct";
                case TypeKind.Bool: return "Bool";
                case TypeKind.Enum: return _types.Enum(type)!.Flags ? "Flags" : "Enum";
                default: return "Integer";
            }
        }

        private void FieldEntries(FieldDef f, int offset, string? union)
        {
            var kind = _types.KindOf(f.Type);
            int elem = _types.SizeOf(f.Type);
            string? order = kind != TypeKind.Struct && elem > 1 ? ((f.Order ?? _order) == ByteOrder.Big ? "big" : "little") : null;
            string kindName = f.Bits.Count > 0 ? "Integer" : KindOf(f.Type);
            string? typeName = kind == TypeKind.Enum || kind == TypeKind.Struct ? f.Type : null;
            if (f.Bits.Count > 0) typeName = null;
            Entry(f.Name, kindName, offset, elem, f.Count ?? 1, -1, 0, null, union, order, typeName, Reserved(f.Reserved), null, f.When, f.Doc);
            foreach (var b in f.Bits)
            {
                string bitKind = b.Type is null ? "Integer" : KindOf(b.Type);
                string? bitType = b.Type != null && _types.KindOf(b.Type) == TypeKind.Enum ? b.Type : null;
                Entry(b.Name, bitKind, offset, elem, 1, b.At, b.Width, f.Name, union, order, bitType, Reserved(b.Reserved), null, EquatableArray<string>.Empty, b.Doc);
            }
        }

        private static string Reserved(ReservedKind r) => r == ReservedKind.Zero ? "zero" : r == ReservedKind.Ignore ? "ignore" : "";

        private static string Lit(string? s) => s is null ? "null" : CodeWriter.Literal(s);

        /// <summary>
        /// One <c>WireField</c> with named arguments, leaving out those that keep their default (a single, non-bit,
        /// non-member value), so a reader sees at once what the field is.
        /// </summary>
        private void Entry(string name, string kind, int offset, int size, int count, int bitOffset, int bitWidth, string? container, string? union,
            string? order, string? typeName, string reserved, string? select, EquatableArray<string> when, string doc, string? countedBy = null)
        {
            var args = new List<string>
            {
                "Name: " + Lit(name),
                "Kind: WireFieldKind." + kind,
                "Offset: " + offset,
                "Size: " + size,
            };
            if (count != 1) args.Add("Count: " + count);
            if (bitOffset != -1) args.Add("BitOffset: " + bitOffset);
            if (bitWidth != 0) args.Add("BitWidth: " + bitWidth);
            if (container != null) args.Add("Container: " + Lit(container));
            if (union != null) args.Add("Union: " + Lit(union));
            if (order != null) args.Add("Order: " + Lit(order));
            if (typeName != null) args.Add("TypeName: " + Lit(typeName));
            if (reserved.Length > 0) args.Add("Reserved: " + Lit(reserved));
            if (select != null) args.Add("Select: " + Lit(select));
            if (when.Count > 0)
            {
                var whens = new List<string>();
                foreach (var w in when) whens.Add(CodeWriter.Literal(w));
                args.Add("When: new[] { " + string.Join(", ", whens) + " }");
            }
            args.Add("Doc: " + Lit(doc));
            if (countedBy != null) args.Add("CountedBy: " + Lit(countedBy));
            _w.Line("new(" + string.Join(", ", args) + "),");
        }

        /// <summary>Every value-bearing field or member with its offset, for the switch statements.</summary>
        private IEnumerable<(FieldDef Field, int Offset)> Values()
        {
            foreach (var f in _struct.Fields)
            {
                if (f.IsTrailing) continue;
                if (f.IsUnion)
                {
                    foreach (var m in f.Union) yield return (m, f.Offset);
                }
                else
                {
                    yield return (f, f.Offset);
                }
            }
        }

        private void EmitGet()
        {
            _w.Line();
            _w.Line("/// <summary>");
            _w.Line("/// Reads the value at <paramref name=\"path\"/> (a field, bit range, <c>array[index]</c> or <c>nested.field</c> by schema name)");
            _w.Line("/// out of <c>" + _struct.Name + "</c> wire bytes; enums and booleans as their numbers.");
            _w.Line("/// </summary>");
            _w.Line("/// <param name=\"bytes\">At least <see cref=\"Size\"/> bytes.</param>");
            _w.Line("/// <param name=\"path\">The schema path.</param>");
            _w.Line("/// <param name=\"value\">The value, or 0 when the path names no value.</param>");
            _w.Line("/// <returns>Whether the path names a value.</returns>");
            _w.Line("public static bool TryGetField(ReadOnlySpan<byte> bytes, string path, out ulong value)");
            _w.Line("{");
            _w.Line("    ref readonly var s = ref AsReadOnly(bytes);");
            var cases = new CodeWriter();
            foreach (var (f, _) in Values())
            {
                if (f.Count.HasValue || _types.KindOf(f.Type) == TypeKind.Struct) continue;
                cases.Line("        case " + CodeWriter.Literal(f.Name) + ":");
                cases.Line("            value = " + Widen("s." + Prop(f.Name), f.Bits.Count > 0 ? null : f.Type) + ";");
                cases.Line("            return true;");
                foreach (var b in f.Bits)
                {
                    cases.Line("        case " + CodeWriter.Literal(b.Name) + ":");
                    cases.Line("            value = " + Widen("s." + Prop(b.Name), b.Type) + ";");
                    cases.Line("            return true;");
                }
            }
            Switch(cases);
            PathBranches(
                (type, slice, rest) => "if (" + rest + ".Length > 0) return " + type + ".TryGetField(" + slice + ", " + rest + ", out value);",
                (type, slice, rest) => "return " + type + ".TryGetField(" + slice + ", " + rest + ", out value);",
                (f, i, rest) =>
                [
                    "if (" + rest + ".Length == 0)",
                    "{",
                    "    value = " + Widen("s.Get" + Prop(f.Name) + "(" + i + ")", f.Type) + ";",
                    "    return true;",
                    "}",
                ],
                (f, i, rest) =>
                [
                    "if (" + rest + ".Length == 0)",
                    "{",
                    "    value = " + Widen("Get" + Prop(f.Name) + "(bytes, " + i + ")", f.Type) + ";",
                    "    return true;",
                    "}",
                ]);
            _w.Line("    value = 0;");
            _w.Line("    return false;");
            _w.Line("}");
        }

        private string Widen(string expression, string? type)
        {
            if (type != null && _types.KindOf(type) == TypeKind.Bool) return "(" + expression + " ? 1UL : 0UL)";
            return "(ulong)" + expression;
        }

        private void EmitSet()
        {
            _w.Line();
            _w.Line("/// <summary>");
            _w.Line("/// Stores <paramref name=\"value\"/> at <paramref name=\"path\"/> in <c>" + _struct.Name + "</c> wire bytes, through the typed property");
            _w.Line("/// (so byte order and neighbouring bits are handled as everywhere else).");
            _w.Line("/// </summary>");
            _w.Line("/// <param name=\"bytes\">At least <see cref=\"Size\"/> bytes.</param>");
            _w.Line("/// <param name=\"path\">The schema path: a field, bit range, <c>array[index]</c> or <c>nested.field</c>.</param>");
            _w.Line("/// <param name=\"value\">The value; enums and booleans as numbers.</param>");
            _w.Line("/// <returns>Whether it was stored, and why not.</returns>");
            _w.Line("public static WireSetResult TrySetField(Span<byte> bytes, string path, ulong value)");
            _w.Line("{");
            _w.Line("    ref var s = ref AsRef(bytes);");
            var cases = new CodeWriter();
            foreach (var f in _struct.Fields)
            {
                if (f.IsUnion || f.IsTrailing)
                {
                    cases.Line("        case " + CodeWriter.Literal(f.Name) + ":");
                    cases.Line("            return WireSetResult.NotAValue;");
                }
            }
            foreach (var (f, _) in Values())
            {
                var kind = _types.KindOf(f.Type);
                if (f.Count.HasValue || kind == TypeKind.Struct)
                {
                    cases.Line("        case " + CodeWriter.Literal(f.Name) + ":");
                    cases.Line("            return WireSetResult.NotAValue;");
                    continue;
                }
                int size = _types.SizeOf(f.Type);
                string raw = CSharpTypes.OfSize(size);
                string type = f.Bits.Count == 0 && kind == TypeKind.Enum ? Naming.Pascal(f.Type) : raw;
                Case(cases, f.Name, SchemaTypes.MaxValue(size), "s." + Prop(f.Name) + " = " + (type == raw ? "(" + raw + ")value" : "(" + type + ")(" + raw + ")value"));
                foreach (var b in f.Bits)
                {
                    ulong max = SchemaTypes.MaxValueOfBits(b.Width);
                    var bkind = b.Type is null ? TypeKind.Integer : _types.KindOf(b.Type);
                    string assign;
                    if (bkind == TypeKind.Bool) assign = "s." + Prop(b.Name) + " = value != 0";
                    else if (bkind == TypeKind.Enum) assign = "s." + Prop(b.Name) + " = (" + Naming.Pascal(b.Type!) + ")(" + CSharpTypes.OfInteger(_types.Enum(b.Type!)!.Type) + ")value";
                    else assign = "s." + Prop(b.Name) + " = (" + (b.Type is null ? raw : CSharpTypes.OfInteger(b.Type)) + ")value";
                    Case(cases, b.Name, max, assign);
                }
            }
            Switch(cases);
            PathBranches(
                (type, slice, rest) => "return " + rest + ".Length == 0 ? WireSetResult.NotAValue : " + type + ".TrySetField(" + slice + ", " + rest + ", value);",
                (type, slice, rest) => "return " + type + ".TrySetField(" + slice + ", " + rest + ", value);",
                (f, i, rest) => SetElement(f, i, rest, "s.Set" + Prop(f.Name) + "("),
                (f, i, rest) => SetElement(f, i, rest, "Set" + Prop(f.Name) + "(bytes, "));
            _w.Line("    return WireSetResult.UnknownField;");
            _w.Line("}");
        }

        /// <summary>
        /// The branches of TryGetField and TrySetField for paths into arrays (<c>name[i]</c>, <c>name[i].rest</c>) and
        /// nested structs (<c>name.rest</c>): what they do at an element of an array of structs, at a nested struct
        /// (both given the struct type, the slice of its bytes and the rest of the path) and at an element of a value
        /// array (given the field, the index variable and the rest variable).
        /// </summary>
        /// <summary>The lines that set element <paramref name="i"/> of a value array through <paramref name="call"/> (the setter's name and any leading arguments).</summary>
        private string[] SetElement(FieldDef f, string i, string rest, string call)
        {
            int elem = _types.SizeOf(f.Type);
            string raw = CSharpTypes.OfSize(elem);
            string type = _types.KindOf(f.Type) == TypeKind.Enum ? Naming.Pascal(f.Type) : raw;
            return
            [
                "if (" + rest + ".Length > 0) return WireSetResult.UnknownField;",
                "if (value > " + CSharpTypes.Hex(SchemaTypes.MaxValue(elem)) + "UL) return WireSetResult.OutOfRange;",
                call + i + ", " + (type == raw ? "(" + raw + ")value" : "(" + type + ")(" + raw + ")value") + ");",
                "return WireSetResult.Ok;",
            ];
        }

        private void PathBranches(
            System.Func<string, string, string, string> structElement,
            System.Func<string, string, string, string> nestedStruct,
            System.Func<FieldDef, string, string, string[]> valueElement,
            System.Func<FieldDef, string, string, string[]> trailingElement)
        {
            int n = 0;
            foreach (var (f, offset) in Values())
            {
                var kind = _types.KindOf(f.Type);
                string type = Naming.Pascal(f.Type);
                if (f.Count.HasValue)
                {
                    int count = f.Count.Value, elem = _types.SizeOf(f.Type);
                    string i = "i" + n, rest = "rest" + n++;
                    _w.Line("    if (WirePath.TryIndex(path, " + CodeWriter.Literal(f.Name) + ", out int " + i + ", out string " + rest + ") && (uint)" + i + " < " + count + ")");
                    _w.Line("    {");
                    if (kind == TypeKind.Struct) _w.Line("        " + structElement(type, "bytes.Slice(" + offset + " + " + i + " * " + elem + ", " + elem + ")", rest));
                    else foreach (var line in valueElement(f, i, rest)) _w.Line("        " + line);
                    _w.Line("    }");
                }
                else if (kind == TypeKind.Struct)
                {
                    string rest = "inner" + n++;
                    _w.Line("    if (WirePath.TryMember(path, " + CodeWriter.Literal(f.Name) + ", out string " + rest + ")) " + nestedStruct(type, "bytes.Slice(" + offset + ", " + type + ".Size)", rest));
                }
            }
            // A trailing array: its elements follow the fixed part in the bytes of the whole message, as many as its counter states.
            var t = _struct.Trailing;
            if (t != null && _types.Counter(_struct, t) != null && _types.SizeOf(t.Type) > 0)
            {
                var kind = _types.KindOf(t.Type);
                int elem = _types.SizeOf(t.Type);
                string i = "i" + n, rest = "rest" + n;
                string prop = Prop(t.Name);
                _w.Line("    if (WirePath.TryIndex(path, " + CodeWriter.Literal(t.Name) + ", out int " + i + ", out string " + rest + ") && Has" + prop + "(bytes, " + i + "))");
                _w.Line("    {");
                if (kind == TypeKind.Struct) _w.Line("        " + structElement(Naming.Pascal(t.Type), "bytes.Slice(Size + " + i + " * " + elem + ", " + elem + ")", rest));
                else foreach (var line in trailingElement(t, i, rest)) _w.Line("        " + line);
                _w.Line("    }");
            }
        }

        private void Switch(CodeWriter cases)
        {
            var text = cases.ToString();
            if (text.Length == 0) return;
            _w.Line("    switch (path)");
            _w.Line("    {");
            foreach (var line in text.TrimEnd('\n').Split('\n')) _w.Line(line);
            _w.Line("    }");
        }

        private static void Case(CodeWriter cases, string name, ulong max, string assign)
        {
            cases.Line("        case " + CodeWriter.Literal(name) + ":");
            if (max != ulong.MaxValue) cases.Line("            if (value > " + CSharpTypes.Hex(max) + "UL) return WireSetResult.OutOfRange;");
            cases.Line("            " + assign + ";");
            cases.Line("            return WireSetResult.Ok;");
        }
    }
}
