using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>
    /// Emits one schema struct as a blittable value type whose storage is exactly the wire bytes, with
    /// byte-order-converting properties, bitfield accessors, array views, union members, codecs over spans,
    /// validation and a readable ToString.
    /// </summary>
    internal sealed class StructEmitter
    {
        private static readonly HashSet<string> MemberNamesTaken = new HashSet<string>
        {
            "Size", "SchemaName", "Offsets", "Read", "Write", "AsRef", "AsReadOnly", "Validate", "ToString", "Equals", "GetHashCode", "GetType", "Bytes", "ReadOnlyBytes",
            "Fields", "TryGetField", "TrySetField", "Fail",
        };

        private readonly SchemaDocument _schema;
        private readonly SchemaTypes _types;
        private readonly StructDef _struct;
        private readonly string _name;
        private readonly CodeWriter _w;
        private readonly ByteOrder _order;
        private bool _hasArrays;

        private StructEmitter(SchemaDocument schema, SchemaTypes types, StructDef s)
        {
            _schema = schema;
            _types = types;
            _struct = s;
            _name = Naming.Pascal(s.Name);
            _order = s.Order ?? ByteOrder.Big;
            _w = FileHeader.Start(schema.Name, schema.Namespace,
                "System", "System.Buffers.Binary", "System.Collections.Generic", "System.Diagnostics.CodeAnalysis",
                "System.Runtime.CompilerServices", "System.Runtime.InteropServices", "System.Text");
        }

        public static GeneratedSource Emit(SchemaDocument schema, SchemaTypes types, StructDef s)
        {
            var e = new StructEmitter(schema, types, s);
            e.EmitStruct();
            return new GeneratedSource(schema.Name + "." + e._name + ".g.cs", e._w.ToString());
        }

        /// <summary>A field or union member with the offset it sits at.</summary>
        internal readonly struct Slot
        {
            public Slot(FieldDef field, int offset)
            {
                Field = field;
                Offset = offset;
            }

            public FieldDef Field { get; }

            public int Offset { get; }
        }

        private IEnumerable<Slot> Slots()
        {
            foreach (var f in _struct.Fields)
            {
                if (f.IsTrailing) continue; // past the fixed storage: reached through the message (TrailingArrayEmitter)
                if (f.IsUnion)
                {
                    foreach (var m in f.Union) yield return new Slot(m, f.Offset);
                }
                else
                {
                    yield return new Slot(f, f.Offset);
                }
            }
        }

        /// <summary>
        /// The C# property of field or bit range <paramref name="schemaName"/> of struct <paramref name="owner"/> (C# name
        /// <paramref name="typeName"/>): its PascalCase name, with <c>Field</c> appended when a generated member has that name
        /// (a whole message's <c>MaxSize</c>, <c>MessageSize</c> and <c>ValidateMessage</c> only where the struct has them).
        /// </summary>
        internal static string PropertyName(string schemaName, string typeName, StructDef owner)
        {
            var p = Naming.Pascal(schemaName);
            bool message = (p == "MessageSize" || p == "ValidateMessage") && owner.Trailing != null || p == "MaxSize" && owner.MaxSizeText != null;
            return MemberNamesTaken.Contains(p) || p == typeName || message ? p + "Field" : p;
        }

        private string Prop(string schemaName) => PropertyName(schemaName, _name, _struct);

        private static string Storage(string schemaName) => Naming.Private(schemaName);

        private ByteOrder OrderOf(FieldDef f) => f.Order ?? _order;

        private void EmitStruct()
        {
            var s = _struct;
            foreach (var slot in Slots()) _hasArrays |= slot.Field.Count.HasValue;
            foreach (var f in _struct.Fields) _hasArrays |= f.IsUnion && f.Select != null;
            _w.Summary(CodeWriter.Escape(s.Doc));
            var trailing = s.Trailing;
            string message = trailing is null ? "" : ", then the trailing array <c>" + trailing.Name + "</c> of <c>" + trailing.CountedBy + "</c> elements (a whole message is reached through the static members that take it)";
            _w.Remarks("Schema struct <c>" + s.Name + "</c>: " + s.Size + " bytes, " + (_order == ByteOrder.Big ? "big" : "little") + "-endian" + message +
                (s.Upstream is null ? "." : "; layout follows " + CodeWriter.Escape(s.Upstream) + "."));
            _w.Line("[StructLayout(LayoutKind.Explicit, Size = " + s.Size + ")]");
            _w.Open("public partial struct " + _name + " : IWireStruct<" + _name + ">");
            _w.Summary("The size of <c>" + s.Name + "</c> on the wire, in bytes.");
            _w.Line("public const int Size = " + s.Size + ";");
            _w.Line();
            _w.Summary("The schema name of the struct.");
            _w.Line("public const string SchemaName = " + CodeWriter.Literal(s.Name) + ";");
            _w.Line();
            TrailingArrayEmitter.EmitMaxSize(_w, _types, s);
            EmitOffsets();
            EmitStorage();
            foreach (var f in s.Fields)
            {
                if (f.IsTrailing) continue;
                if (f.IsUnion) EmitUnion(f);
                else EmitField(f, f.Offset);
            }
            TrailingArrayEmitter.EmitTrailing(_w, _types, s, Prop);
            if (_hasArrays) EmitByteViews();
            EmitCodecs();
            EmitValidate();
            EmitToString();
            _w.Close();
        }

        private void EmitOffsets()
        {
            _w.Summary("Byte offsets of the fields of <c>" + _struct.Name + "</c> (union members share their union's offset).");
            _w.Open("public static class Offsets");
            bool first = true;
            foreach (var f in _struct.Fields)
            {
                if (!first) _w.Line();
                first = false;
                _w.Summary("Byte offset of <c>" + f.Name + "</c>.");
                _w.Line("public const int " + Prop(f.Name) + " = " + f.Offset + ";");
                if (!f.IsUnion) continue;
                foreach (var m in f.Union)
                {
                    _w.Line();
                    _w.Summary("Byte offset of union member <c>" + m.Name + "</c>.");
                    _w.Line("public const int " + Prop(m.Name) + " = " + f.Offset + ";");
                }
            }
            _w.Close();
        }

        private void EmitStorage()
        {
            _w.Line();
            _w.Line("// Storage: the wire bytes, as they are in memory. Arrays are reached through byte views.");
            foreach (var slot in Slots())
            {
                var f = slot.Field;
                if (f.Count.HasValue) continue;
                var kind = _types.KindOf(f.Type);
                string type = kind == TypeKind.Struct ? Naming.Pascal(f.Type) : CSharpTypes.OfSize(_types.SizeOf(f.Type));
                _w.Line("[FieldOffset(" + slot.Offset + ")] private " + type + " " + Storage(f.Name) + ";");
            }
        }

        private string Where(FieldDef f, int offset)
        {
            int size = _types.SizeOf(f);
            string bytes = size == 1 ? "Byte " + offset : "Bytes " + offset + ".." + (offset + size - 1);
            string order = "";
            if (!f.IsUnion && _types.KindOf(f.Type) != TypeKind.Struct && _types.SizeOf(f.Type) > 1)
            {
                order = ", " + (OrderOf(f) == ByteOrder.Big ? "big" : "little") + "-endian";
            }
            string reserved = f.Reserved == ReservedKind.Zero ? "; reserved, must be zero" : f.Reserved == ReservedKind.Ignore ? "; reserved, any value accepted" : "";
            return bytes + order + " (schema <c>" + f.Name + "</c>" + reserved + ").";
        }

        private void EmitField(FieldDef f, int offset)
        {
            var kind = _types.KindOf(f.Type);
            string prop = Prop(f.Name);
            string store = Storage(f.Name);
            _w.Line();
            if (f.Count.HasValue)
            {
                EmitArray(f, offset);
                return;
            }
            _w.Summary(CodeWriter.Escape(f.Doc));
            _w.Remarks(Where(f, offset));
            if (kind == TypeKind.Struct)
            {
                string type = Naming.Pascal(f.Type);
                _w.Line("[UnscopedRef]");
                _w.Line("public ref " + type + " " + prop + " => ref " + store + ";");
                return;
            }
            int size = _types.SizeOf(f.Type);
            string raw = CSharpTypes.OfSize(size);
            bool hasBits = f.Bits.Count > 0;
            string type2 = kind == TypeKind.Enum && !hasBits ? Naming.Pascal(f.Type) : raw;
            string getter = Convert(store, size, OrderOf(f));
            string setterValue = type2 == raw ? "value" : "(" + raw + ")value";
            _w.Open("public " + type2 + " " + prop);
            _w.Line("readonly get => " + (type2 == raw ? getter : "(" + type2 + ")" + getter) + ";");
            _w.Line("set => " + store + " = " + Convert(setterValue, size, OrderOf(f)) + ";");
            _w.Close();
            foreach (var b in f.Bits) EmitBits(f, b);
        }

        private static string Convert(string expression, int size, ByteOrder order)
            => size == 1 ? expression : "WireEndian." + CSharpTypes.Order(order) + "(" + expression + ")";

        private string BitType(FieldDef container, BitfieldDef b)
        {
            if (b.Type is null) return CSharpTypes.OfSize(_types.SizeOf(container.Type));
            var kind = _types.KindOf(b.Type);
            if (kind == TypeKind.Bool) return "bool";
            if (kind == TypeKind.Enum) return Naming.Pascal(b.Type);
            return CSharpTypes.OfInteger(b.Type);
        }

        private void EmitBits(FieldDef container, BitfieldDef b)
        {
            int size = _types.SizeOf(container.Type);
            string ctype = CSharpTypes.OfSize(size);
            string c = Prop(container.Name);
            string prop = Prop(b.Name);
            string type = BitType(container, b);
            ulong mask = SchemaTypes.MaxValueOfBits(b.Width);
            ulong shifted = mask << b.At;
            ulong keep = ~shifted & SchemaTypes.MaxValue(size);
            string widen = size == 8 ? "ulong" : "uint";
            _w.Line();
            _w.Summary(CodeWriter.Escape(b.Doc));
            string range = b.Width == 1 ? "Bit " + b.At : "Bits " + b.At + ".." + (b.At + b.Width - 1);
            string reserved = b.Reserved == ReservedKind.Zero ? "; reserved, must be zero" : b.Reserved == ReservedKind.Ignore ? "; reserved, any value accepted" : "";
            _w.Remarks(range + " of <see cref=\"" + c + "\"/> (schema <c>" + b.Name + "</c>" + reserved + "). The setter keeps the other bits.");
            _w.Open("public " + type + " " + prop);
            if (type == "bool")
            {
                _w.Line("readonly get => (" + c + " & " + CSharpTypes.Hex(shifted, size) + ") != 0;");
                _w.Line("set => " + c + " = value ? (" + ctype + ")(" + c + " | " + CSharpTypes.Hex(shifted, size) + ") : (" + ctype + ")(" + c + " & " + CSharpTypes.Hex(keep, size) + ");");
            }
            else
            {
                string extract = (b.At == 0 ? c : "(" + c + " >> " + b.At + ")") + " & " + CSharpTypes.Hex(mask, size);
                var kind = b.Type is null ? TypeKind.Integer : _types.KindOf(b.Type);
                string underlying = kind == TypeKind.Enum ? CSharpTypes.OfInteger(_types.Enum(b.Type!)!.Type) : type;
                string get = kind == TypeKind.Enum ? "(" + type + ")(" + underlying + ")(" + extract + ")" : "(" + type + ")(" + extract + ")";
                _w.Line("readonly get => " + get + ";");
                _w.Open("set");
                int typeBits = kind == TypeKind.Enum ? SchemaTypes.IntegerSize(_types.Enum(b.Type!)!.Type) * 8 : SchemaTypes.IntegerSize(TypeName(type)) * 8;
                if (typeBits > b.Width)
                {
                    _w.Line("if ((ulong)value > " + CSharpTypes.Hex(mask) + "UL) WireThrow.BitfieldRange(SchemaName, " + CodeWriter.Literal(b.Name) + ", (ulong)value, " + b.Width + ");");
                }
                string kept = size <= 2 ? "(uint)(" + c + " & " + CSharpTypes.Hex(keep, size) + ")" : "(" + c + " & " + CSharpTypes.Hex(keep, size) + ")";
                string placed = b.At == 0 ? "(" + widen + ")value" : "((" + widen + ")value << " + b.At + ")";
                _w.Line(c + " = (" + ctype + ")(" + kept + " | " + placed + ");");
                _w.Close();
            }
            _w.Close();
        }

        private static string TypeName(string csharp)
        {
            switch (csharp)
            {
                case "byte": return "u8";
                case "ushort": return "u16";
                case "uint": return "u32";
                default: return "u64";
            }
        }

        private void EmitArray(FieldDef f, int offset)
        {
            string prop = Prop(f.Name);
            int count = f.Count!.Value;
            var kind = _types.KindOf(f.Type);
            int elem = _types.SizeOf(f.Type);
            string type = kind == TypeKind.Integer ? CSharpTypes.OfInteger(f.Type) : Naming.Pascal(f.Type);
            _w.Summary("The number of elements of <see cref=\"Get" + prop + "\"/>.");
            _w.Line("public const int " + prop + "Length = " + count + ";");
            if (kind == TypeKind.Struct || elem == 1 && kind == TypeKind.Integer)
            {
                _w.Line();
                _w.Summary(CodeWriter.Escape(f.Doc));
                _w.Remarks(Where(f, offset) + " A view over this struct's bytes: writes go straight to the storage.");
                _w.Line("[UnscopedRef]");
                if (kind == TypeKind.Struct)
                {
                    _w.Line("public Span<" + type + "> " + prop + " => MemoryMarshal.Cast<byte, " + type + ">(Bytes.Slice(" + offset + ", " + elem * count + "));");
                }
                else
                {
                    _w.Line("public Span<byte> " + prop + " => Bytes.Slice(" + offset + ", " + count + ");");
                }
            }
            var order = CSharpTypes.Order(OrderOf(f));
            string at = offset + " + index * " + elem;
            _w.Line();
            _w.Summary("Reads element <paramref name=\"index\"/> of <c>" + f.Name + "</c>: " + CodeWriter.Escape(f.Doc));
            _w.Remarks(Where(f, offset));
            _w.Line("/// <param name=\"index\">The element, from 0 to " + (count - 1) + ".</param>");
            _w.Open("public readonly " + type + " Get" + prop + "(int index)");
            _w.Line("if ((uint)index >= " + count + ") WireThrow.Index(SchemaName, " + CodeWriter.Literal(f.Name) + ", index, " + count + ");");
            string raw = CSharpTypes.OfSize(elem);
            string rawName = elem == 1 ? "Byte" : elem == 2 ? "UInt16" : elem == 4 ? "UInt32" : "UInt64";
            if (kind == TypeKind.Struct)
            {
                _w.Line("return MemoryMarshal.Read<" + type + ">(ReadOnlyBytes.Slice(" + at + ", " + elem + "));");
            }
            else
            {
                string read = elem == 1 ? "ReadOnlyBytes[" + at + "]" : "BinaryPrimitives.Read" + rawName + order + "Endian(ReadOnlyBytes.Slice(" + at + ", " + elem + "))";
                _w.Line("return " + (type == raw ? read : "(" + type + ")" + read) + ";");
            }
            _w.Close();
            _w.Line();
            _w.Summary("Writes element <paramref name=\"index\"/> of <c>" + f.Name + "</c>.");
            _w.Line("/// <param name=\"index\">The element, from 0 to " + (count - 1) + ".</param>");
            _w.Line("/// <param name=\"value\">The value to store.</param>");
            _w.Open("public void Set" + prop + "(int index, " + type + " value)");
            _w.Line("if ((uint)index >= " + count + ") WireThrow.Index(SchemaName, " + CodeWriter.Literal(f.Name) + ", index, " + count + ");");
            if (kind == TypeKind.Struct)
            {
                _w.Line("MemoryMarshal.Write(Bytes.Slice(" + at + ", " + elem + "), in value);");
            }
            else
            {
                string value = type == raw ? "value" : "(" + raw + ")value";
                _w.Line(elem == 1 ? "Bytes[" + at + "] = " + value + ";" : "BinaryPrimitives.Write" + rawName + order + "Endian(Bytes.Slice(" + at + ", " + elem + "), " + value + ");");
            }
            _w.Close();
        }

        private void EmitUnion(FieldDef u)
        {
            foreach (var m in u.Union)
            {
                EmitField(m, u.Offset);
            }
            if (u.Select is null) return;
            var (selector, enumDef) = Selector(u);
            if (enumDef is null) return;
            string enumType = Naming.Pascal(enumDef.Name);
            foreach (var m in u.Union)
            {
                if (m.When.Count == 0) continue;
                _w.Line();
                _w.Summary("Whether <c>" + m.Name + "</c> is the member of <c>" + u.Name + "</c> in force, as <c>" + u.Select + "</c> says.");
                var parts = new List<string>();
                foreach (var w in m.When) parts.Add(enumType + "." + Naming.Pascal(w));
                _w.Line("public readonly bool Is" + Prop(m.Name) + " => " + selector + " is " + string.Join(" or ", parts) + ";");
            }
        }

        /// <summary>The C# expression that reads a union's selector (readonly-safe) and the selector's enum.</summary>
        /// <summary>
        /// Writes the case labels that select member <paramref name="m"/>, one a value: two enum names may share a
        /// value (the validator makes sure they select the same member), and C# allows a value once a switch.
        /// Returns false when the member has no label of its own.
        /// </summary>
        private bool CaseLabels(FieldDef m, EnumDef enumDef, string enumType, HashSet<ulong> labelled)
        {
            bool any = false;
            foreach (var w in m.When)
            {
                foreach (var v in enumDef.Values)
                {
                    if (v.Name != w) continue;
                    if (labelled.Add(v.Value))
                    {
                        _w.Line("case " + enumType + "." + Naming.Pascal(w) + ":");
                        any = true;
                    }
                    break;
                }
            }
            return any;
        }

        private (string Expression, EnumDef? Enum) Selector(FieldDef u)
        {
            var type = _types.SelectorType(_struct, u);
            var enumDef = type is null ? null : _types.Enum(type);
            var path = u.Select!;
            int dot = path.IndexOf('.');
            string expression = dot > 0
                ? Storage(path.Substring(0, dot)) + "." + Naming.Pascal(path.Substring(dot + 1))
                : Prop(path);
            return (expression, enumDef);
        }

        private void EmitByteViews()
        {
            _w.Line();
            _w.Line("[UnscopedRef]");
            _w.Line("private Span<byte> Bytes => MemoryMarshal.CreateSpan(ref Unsafe.As<" + _name + ", byte>(ref this), Size);");
            _w.Line();
            _w.Line("private readonly ReadOnlySpan<byte> ReadOnlyBytes => MemoryMarshal.CreateReadOnlySpan(ref Unsafe.As<" + _name + ", byte>(ref Unsafe.AsRef(in this)), Size);");
        }

        private void EmitCodecs()
        {
            // The copies and views are written once, generically (WireStruct); these members give them the struct's name.
            _w.Line();
            _w.Line("static int IWireStruct<" + _name + ">.Size => Size;");
            _w.Line();
            _w.Line("static string IWireStruct<" + _name + ">.SchemaName => SchemaName;");
            _w.Line();
            _w.Line("/// <inheritdoc/>");
            _w.Line("public static " + _name + " Read(ReadOnlySpan<byte> source) => WireStruct.Read<" + _name + ">(source);");
            _w.Line();
            _w.Line("/// <inheritdoc/>");
            _w.Line("public readonly void Write(Span<byte> destination) => WireStruct.Write(in this, destination);");
            _w.Line();
            _w.Line("/// <inheritdoc/>");
            _w.Line("public static ref " + _name + " AsRef(Span<byte> bytes) => ref WireStruct.AsRef<" + _name + ">(bytes);");
            _w.Line();
            _w.Line("/// <inheritdoc/>");
            _w.Line("public static ref readonly " + _name + " AsReadOnly(ReadOnlySpan<byte> bytes) => ref WireStruct.AsReadOnly<" + _name + ">(bytes);");
        }

        private void EmitValidate()
        {
            _w.Line();
            _w.Summary("Checks decoded bytes: reserved spans and bits that must be zero, enum values the schema does not define, and union selectors without a member.");
            _w.Line("/// <param name=\"issues\">Receives one <see cref=\"WireIssue\"/> per problem; null to only get the answer.</param>");
            _w.Line("/// <returns>True when nothing is wrong.</returns>");
            _w.Open("public readonly bool Validate(ICollection<WireIssue>? issues = null)");
            _w.Line("bool ok = true;");
            foreach (var f in _struct.Fields)
            {
                if (f.IsTrailing) continue;
                if (f.IsUnion) ValidateUnion(f);
                else ValidateField(f, f.Offset);
            }
            _w.Line("return ok;");
            _w.Close();
            _w.Line();
            _w.Line("private static bool Fail(ICollection<WireIssue>? issues, string field, WireIssueKind kind, ulong value)");
            _w.Line("{");
            _w.Line("    issues?.Add(new WireIssue(SchemaName, field, kind, value));");
            _w.Line("    return false;");
            _w.Line("}");
        }

        private void Check(string condition, string field, string kind, string value)
            => _w.Line("if (" + condition + ") ok = Fail(issues, " + CodeWriter.Literal(field) + ", WireIssueKind." + kind + ", " + value + ");");

        private void ValidateField(FieldDef f, int offset)
        {
            var kind = _types.KindOf(f.Type);
            string store = Storage(f.Name);
            string prop = Prop(f.Name);
            if (f.Count.HasValue)
            {
                int count = f.Count.Value;
                int elem = _types.SizeOf(f.Type);
                if (f.Reserved == ReservedKind.Zero)
                {
                    _w.Open("");
                    _w.Line("int nonZero = ReadOnlyBytes.Slice(" + offset + ", " + count * elem + ").IndexOfAnyExcept((byte)0);");
                    Check("nonZero >= 0", f.Name, "ReservedNotZero", "ReadOnlyBytes[" + offset + " + nonZero]");
                    _w.Close();
                }
                else if (kind == TypeKind.Struct)
                {
                    _w.Line("for (int i = 0; i < " + count + "; i++) ok = Get" + prop + "(i).Validate(issues) && ok;");
                }
                else if (kind == TypeKind.Enum)
                {
                    var e = _types.Enum(f.Type)!;
                    _w.Line("for (int i = 0; i < " + count + "; i++)");
                    _w.Open("");
                    _w.Line("var element = Get" + prop + "(i);");
                    Check("!" + Naming.Pascal(e.Name) + "Info.IsDefined(element)", f.Name, e.Flags ? "UnknownFlags" : "UnknownEnumValue", "(ulong)element");
                    _w.Close();
                }
                return;
            }
            if (kind == TypeKind.Struct)
            {
                _w.Line("ok = " + store + ".Validate(issues) && ok;");
                return;
            }
            if (f.Reserved == ReservedKind.Zero)
            {
                Check(store + " != 0", f.Name, "ReservedNotZero", "(ulong)" + prop);
                return;
            }
            if (f.Reserved == ReservedKind.Ignore) return;
            if (kind == TypeKind.Enum && f.Bits.Count == 0)
            {
                var e = _types.Enum(f.Type)!;
                Check("!" + Naming.Pascal(e.Name) + "Info.IsDefined(" + prop + ")", f.Name, e.Flags ? "UnknownFlags" : "UnknownEnumValue", "(ulong)" + prop);
            }
            if (f.Bits.Count > 0)
            {
                int size = _types.SizeOf(f.Type);
                ulong named = 0;
                foreach (var b in f.Bits)
                {
                    ulong shifted = SchemaTypes.MaxValueOfBits(b.Width) << b.At;
                    named |= shifted;
                    if (b.Reserved == ReservedKind.Zero)
                    {
                        Check("(" + prop + " & " + CSharpTypes.Hex(shifted, size) + ") != 0", b.Name, "ReservedNotZero", "(ulong)" + Prop(b.Name));
                    }
                    else if (b.Reserved == ReservedKind.None && b.Type != null && _types.KindOf(b.Type) == TypeKind.Enum)
                    {
                        var e = _types.Enum(b.Type)!;
                        Check("!" + Naming.Pascal(e.Name) + "Info.IsDefined(" + Prop(b.Name) + ")", b.Name, e.Flags ? "UnknownFlags" : "UnknownEnumValue", "(ulong)" + Prop(b.Name));
                    }
                }
                ulong unnamed = ~named & SchemaTypes.MaxValue(size);
                if (unnamed != 0)
                {
                    Check("(" + prop + " & " + CSharpTypes.Hex(unnamed, size) + ") != 0", f.Name, "ReservedNotZero", "(ulong)(" + prop + " & " + CSharpTypes.Hex(unnamed, size) + ")");
                }
            }
        }

        private void ValidateUnion(FieldDef u)
        {
            SwitchOnSelector(u, m =>
            {
                ValidateField(m, u.Offset);
                UnionPadding(u, _types.SizeOf(m));
            }, (selector, enumType) =>
            {
                _w.Line("if (!" + enumType + "Info.IsDefined(" + selector + ")) ok = Fail(issues, " + CodeWriter.Literal(u.Name) + ", WireIssueKind.UnknownVariant, (ulong)" + selector + ");");
                _w.Line("else");
                _w.Open("");
                UnionPadding(u, 0);
                _w.Close();
            });
        }

        /// <summary>
        /// A <c>switch</c> on the selector of union <paramref name="u"/>: a case per member with its labels, and a default
        /// case (no member for the value). Returns false, writing nothing, when the union has no selector of enum type.
        /// </summary>
        private bool SwitchOnSelector(FieldDef u, System.Action<FieldDef> member, System.Action<string, string> none)
        {
            if (u.Select is null) return false;
            var (selector, enumDef) = Selector(u);
            if (enumDef is null) return false;
            string enumType = Naming.Pascal(enumDef.Name);
            _w.Open("switch (" + selector + ")");
            var labelled = new HashSet<ulong>();
            foreach (var m in u.Union)
            {
                if (!CaseLabels(m, enumDef, enumType, labelled)) continue;
                _w.Open("");
                member(m);
                _w.Line("break;");
                _w.Close();
            }
            _w.Line("default:");
            _w.Open("");
            none(selector, enumType);
            _w.Line("break;");
            _w.Close();
            _w.Close();
            return true;
        }

        /// <summary>Bytes of a union past its member in force (all of it when no member is) must be zero.</summary>
        private void UnionPadding(FieldDef u, int memberSize)
        {
            int unionSize = u.UnionSize ?? 0;
            if (memberSize >= unionSize) return;
            _w.Line("int padding = ReadOnlyBytes.Slice(" + (u.Offset + memberSize) + ", " + (unionSize - memberSize) + ").IndexOfAnyExcept((byte)0);");
            Check("padding >= 0", u.Name, "ReservedNotZero", "ReadOnlyBytes[" + (u.Offset + memberSize) + " + padding]");
        }

        private void EmitToString()
        {
            _w.Line();
            _w.Summary("Every field by name, e.g. for a debugger or a log line.");
            _w.Open("public override readonly string ToString()");
            _w.Line("var text = new StringBuilder();");
            _w.Line("text.Append(" + CodeWriter.Literal(_name + " { ") + ");");
            bool first = true;
            foreach (var f in _struct.Fields)
            {
                if (f.IsTrailing) continue;
                if (f.IsUnion) ToStringUnion(f, ref first);
                else ToStringField(f, f.Offset, ref first);
            }
            _w.Line("text.Append(\" }\");");
            _w.Line("return text.ToString();");
            _w.Close();
        }

        private void Label(string prop, ref bool first)
        {
            _w.Line("text.Append(" + CodeWriter.Literal((first ? "" : ", ") + prop + " = ") + ");");
            first = false;
        }

        private void ToStringField(FieldDef f, int offset, ref bool first)
        {
            var kind = _types.KindOf(f.Type);
            string prop = Prop(f.Name);
            Label(prop, ref first);
            if (f.Count.HasValue)
            {
                int elem = _types.SizeOf(f.Type);
                if (elem == 1 && kind == TypeKind.Integer)
                {
                    _w.Line("text.Append(Convert.ToHexString(ReadOnlyBytes.Slice(" + offset + ", " + f.Count.Value + ")));");
                }
                else
                {
                    _w.Line("text.Append('[');");
                    _w.Line("for (int i = 0; i < " + f.Count.Value + "; i++) text.Append(i == 0 ? \"\" : \", \").Append(Get" + prop + "(i)" + (kind == TypeKind.Integer ? ".ToString()" : ".ToString()") + ");");
                    _w.Line("text.Append(']');");
                }
                return;
            }
            if (kind == TypeKind.Struct)
            {
                _w.Line("text.Append(" + Storage(f.Name) + ".ToString());");
                return;
            }
            if (f.Bits.Count > 0)
            {
                _w.Line("text.Append(\"{ \");");
                bool inner = true;
                foreach (var b in f.Bits)
                {
                    _w.Line("text.Append(" + CodeWriter.Literal((inner ? "" : ", ") + Prop(b.Name) + " = ") + ").Append(" + Prop(b.Name) + ");");
                    inner = false;
                }
                _w.Line("text.Append(\" }\");");
                return;
            }
            if (kind == TypeKind.Integer && _types.SizeOf(f.Type) == 8)
            {
                _w.Line("text.Append(\"0x\").Append(" + prop + ".ToString(\"X\"));");
                return;
            }
            _w.Line("text.Append(" + prop + ");");
        }

        private void ToStringUnion(FieldDef u, ref bool first)
        {
            bool isFirst = first;
            if (SwitchOnSelector(u, m =>
            {
                bool f = isFirst;
                ToStringField(m, u.Offset, ref f);
            }, (_, _) => _w.Line("text.Append(" + CodeWriter.Literal((isFirst ? "" : ", ") + Prop(u.Name) + " = (no member for this " + u.Select + ")") + ");")))
            {
                first = false;
                return;
            }
            foreach (var m in u.Union) ToStringField(m, u.Offset, ref first);
        }
    }
}
