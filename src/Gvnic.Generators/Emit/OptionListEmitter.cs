using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>
    /// Emits an option list as one static class: the table of its options (id, payload, lengths, required header
    /// values), the check a decoder makes on a header, and per option a nested class with its constants and the
    /// code to append it (header and payload) to a buffer and to read its payload. A decoder and an encoder of the
    /// list both use these, so neither states an option's id, length or required values by hand.
    /// </summary>
    internal sealed class OptionListEmitter
    {
        private static readonly HashSet<string> OptionMembers = new HashSet<string> { "Id", "MinLength", "Size", "Append", "Read" };

        private readonly SchemaTypes _types;
        private readonly OptionListDef _list;
        private readonly string _name;
        private readonly StructDef _header;
        private readonly string _headerType;
        private readonly FieldDef _idField;
        private readonly FieldDef _lengthField;
        private readonly string _idEnum;
        private readonly CodeWriter _w;

        private OptionListEmitter(SchemaDocument schema, SchemaTypes types, OptionListDef list)
        {
            _types = types;
            _list = list;
            _name = Naming.Pascal(list.Name);
            _header = types.Struct(list.Header)!;
            _headerType = Naming.Pascal(_header.Name);
            _idField = Field(_header, list.IdField)!;
            _lengthField = Field(_header, list.LengthField)!;
            _idEnum = Naming.Pascal(_idField.Type);
            _w = FileHeader.Start(schema.Name, schema.Namespace, "System", "System.Collections.Generic");
        }

        public static GeneratedSource Emit(SchemaDocument schema, SchemaTypes types, OptionListDef list)
        {
            var e = new OptionListEmitter(schema, types, list);
            e.EmitList();
            return new GeneratedSource(schema.Name + "." + e._name + ".g.cs", e._w.ToString());
        }

        /// <summary>The field named <paramref name="name"/> of <paramref name="s"/>, or null.</summary>
        private static FieldDef? Field(StructDef s, string name)
        {
            foreach (var f in s.Fields)
            {
                if (f.Name == name) return f;
            }
            return null;
        }

        private string Prop(FieldDef f) => StructEmitter.PropertyName(f.Name, _headerType, _header);

        /// <summary>The constant of a required header value in an option's class: the field's name, with <c>Value</c> appended where that meets another member.</summary>
        private static string RequiredMember(string field)
        {
            var p = Naming.Pascal(field);
            return OptionMembers.Contains(p) ? p + "Value" : p;
        }

        private string OptionClass(OptionDef o) => Naming.OptionClass(_list.Name, o.Id);

        private string? PayloadType(OptionDef o) => o.Payload is null ? null : Naming.Pascal(o.Payload);

        private int MinLength(OptionDef o) => o.Payload is null ? 0 : o.MinLength ?? _types.SizeOf(o.Payload);

        private ulong MaxLength(OptionDef o) => o.Payload is null ? 0 : SchemaTypes.MaxValue(_types.SizeOf(_lengthField.Type));

        /// <summary>The C# type of a header field's property.</summary>
        private string FieldType(FieldDef f)
            => _types.KindOf(f.Type) == TypeKind.Enum ? Naming.Pascal(f.Type) : CSharpTypes.OfSize(_types.SizeOf(f.Type));

        /// <summary>A required value: its number and a constant expression of the header field's type.</summary>
        private (ulong Value, string Expression) Required(FieldDef field, HeaderValueDef r)
        {
            string type = FieldType(field);
            if (r.Number.HasValue)
            {
                string literal = CSharpTypes.Hex(r.Number.Value, _types.SizeOf(field.Type));
                return (r.Number.Value, _types.KindOf(field.Type) == TypeKind.Enum ? "(" + type + ")" + literal : literal);
            }
            int dot = r.Value.IndexOf('.');
            var e = _types.Enum(r.Value.Substring(0, dot))!;
            ulong value = SchemaTypes.ValueOf(e, r.Value.Substring(dot + 1))!.Value;
            string reference = Naming.Pascal(e.Name) + "." + Naming.Pascal(r.Value.Substring(dot + 1));
            return (value, Naming.Pascal(e.Name) == type ? reference : "(" + type + ")" + reference);
        }

        private void EmitList()
        {
            _w.Summary(CodeWriter.Escape(_list.Doc));
            _w.Remarks("Option list <c>" + _list.Name + "</c>: each option is a <see cref=\"" + _headerType + "\"/> (<c>" + _list.IdField + "</c> names it, <c>" +
                _list.LengthField + "</c> counts the payload bytes after it) followed by its payload.");
            _w.Open("public static partial class " + _name);
            _w.Summary("The size of the header before each payload, in bytes.");
            _w.Line("public const int HeaderSize = " + _headerType + ".Size;");
            _w.Line();
            EmitTable();
            EmitFind();
            EmitAccepts();
            foreach (var o in _list.Options) EmitOption(o);
            _w.Close();
        }

        private void EmitTable()
        {
            _w.Summary("Every option of the list, in schema order.");
            _w.Open("public static IReadOnlyList<WireOption> Options { get; } = new WireOption[]");
            var idEnum = _types.Enum(_idField.Type)!;
            foreach (var o in _list.Options)
            {
                var args = new List<string> { "Name: " + CodeWriter.Literal(o.Id), "Id: " + CSharpTypes.Hex(SchemaTypes.ValueOf(idEnum, o.Id)!.Value) };
                if (o.Payload != null)
                {
                    args.Add("Payload: " + CodeWriter.Literal(o.Payload));
                    args.Add("PayloadType: typeof(" + PayloadType(o) + ")");
                    args.Add("MinLength: " + MinLength(o));
                    args.Add("MaxLength: " + System.Math.Min(MaxLength(o), int.MaxValue));
                }
                if (o.Requires.Count > 0)
                {
                    var requires = new List<string>();
                    foreach (var r in o.Requires)
                    {
                        requires.Add("new(Field: " + CodeWriter.Literal(r.Field) + ", Value: " + CSharpTypes.Hex(Required(Field(_header, r.Field)!, r).Value) + ")");
                    }
                    args.Add("Requires: new WireHeaderValue[] { " + string.Join(", ", requires) + " }");
                }
                args.Add("Doc: " + CodeWriter.Literal(o.Doc));
                _w.Line("new(" + string.Join(", ", args) + "),");
            }
            _w.Close(";");
        }

        private void EmitFind()
        {
            _w.Line();
            _w.Summary("The option named by <paramref name=\"id\"/>, or null when the list has none.");
            _w.Line("/// <param name=\"id\">The id from a header's <c>" + _list.IdField + "</c>.</param>");
            _w.Open("public static WireOption? Find(" + _idEnum + " id)");
            _w.Open("switch (id)");
            for (int i = 0; i < _list.Options.Count; i++)
            {
                _w.Line("case " + _idEnum + "." + Naming.Pascal(_list.Options[i].Id) + ": return Options[" + i + "];");
            }
            _w.Line("default: return null;");
            _w.Close();
            _w.Close();
        }

        private void EmitAccepts()
        {
            _w.Line();
            _w.Summary("Whether <paramref name=\"header\"/> states an option of the list as the list requires it: a known id, a payload length within the option's limits, and the header values the option requires.");
            _w.Line("/// <param name=\"header\">A header read from the wire.</param>");
            _w.Open("public static bool Accepts(in " + _headerType + " header)");
            _w.Open("switch (header." + Prop(_idField) + ")");
            foreach (var o in _list.Options)
            {
                string cls = OptionClass(o);
                var conditions = new List<string>
                {
                    "header." + Prop(_lengthField) + (o.Payload is null ? " == 0" : " >= " + cls + ".MinLength"),
                };
                foreach (var r in o.Requires)
                {
                    var field = Field(_header, r.Field)!;
                    conditions.Add("header." + Prop(field) + " == " + cls + "." + RequiredMember(r.Field));
                }
                _w.Line("case " + _idEnum + "." + Naming.Pascal(o.Id) + ": return " + string.Join(" && ", conditions) + ";");
            }
            _w.Line("default: return false;");
            _w.Close();
            _w.Close();
        }

        private void EmitOption(OptionDef o)
        {
            string cls = OptionClass(o);
            string? payload = PayloadType(o);
            string lengthType = CSharpTypes.OfSize(_types.SizeOf(_lengthField.Type));
            _w.Line();
            _w.Summary("Option <c>" + o.Id + "</c>: " + CodeWriter.Escape(o.Doc));
            _w.Open("public static class " + cls);
            _w.Summary("The id that names the option in <c>" + _list.IdField + "</c>.");
            _w.Line("public const " + _idEnum + " Id = " + _idEnum + "." + Naming.Pascal(o.Id) + ";");
            _w.Line();
            _w.Summary(o.Payload is null
                ? "Payload bytes the option has: none, so <c>" + _list.LengthField + "</c> must be 0."
                : "Fewest payload bytes accepted; a longer payload is used for its known prefix, a shorter one of at least this many reads as zero past its end.");
            _w.Line("public const int MinLength = " + MinLength(o) + ";");
            _w.Line();
            _w.Summary("Bytes the option takes when appended: the header" + (payload is null ? "" : " and the whole payload") + ".");
            _w.Line("public const int Size = " + _headerType + ".Size" + (payload is null ? "" : " + " + payload + ".Size") + ";");
            foreach (var r in o.Requires)
            {
                var field = Field(_header, r.Field)!;
                _w.Line();
                _w.Summary("The value <c>" + r.Field + "</c> must hold.");
                _w.Line("public const " + FieldType(field) + " " + RequiredMember(r.Field) + " = " + Required(field, r).Expression + ";");
            }
            _w.Line();
            _w.Summary("Writes the option at <paramref name=\"offset\"/> of <paramref name=\"buffer\"/>: its header (id, length and the required values) and" +
                (payload is null ? " no payload" : " a zeroed payload, returned for the caller to fill") + "; moves <paramref name=\"offset\"/> past it.");
            _w.Line("/// <param name=\"buffer\">The buffer the options go into.</param>");
            _w.Line("/// <param name=\"offset\">Where the option starts; on return, where the next one starts.</param>");
            _w.Line("/// <exception cref=\"ArgumentException\">The option does not fit the buffer at <paramref name=\"offset\"/>.</exception>");
            _w.Line("/// <exception cref=\"ArgumentOutOfRangeException\"><paramref name=\"offset\"/> is outside the buffer.</exception>");
            _w.Open("public static " + (payload is null ? "void" : "ref " + payload) + " Append(Span<byte> buffer, ref int offset)");
            _w.Line("Span<byte> entry = buffer.Slice(offset);");
            _w.Line("if (entry.Length < Size) WireThrow.TooShort(nameof(buffer), " + CodeWriter.Literal(_list.Name + "." + o.Id) + ", Size, entry.Length);");
            _w.Line("entry.Slice(0, Size).Clear();");
            _w.Line("ref " + _headerType + " header = ref " + _headerType + ".AsRef(entry);");
            _w.Line("header." + Prop(_idField) + " = Id;");
            _w.Line("header." + Prop(_lengthField) + " = " + (payload is null ? "0" : "(" + lengthType + ")" + payload + ".Size") + ";");
            foreach (var r in o.Requires)
            {
                _w.Line("header." + Prop(Field(_header, r.Field)!) + " = " + RequiredMember(r.Field) + ";");
            }
            _w.Line("offset += Size;");
            if (payload != null) _w.Line("return ref " + payload + ".AsRef(entry.Slice(" + _headerType + ".Size));");
            _w.Close();
            if (payload != null)
            {
                _w.Line();
                _w.Summary("Reads the option's payload: the bytes after its header, as many as its length says (at least <see cref=\"MinLength\"/>); bytes past a shorter payload's end read as zero.");
                _w.Line("/// <param name=\"payload\">The payload bytes.</param>");
                _w.Line("public static " + payload + " Read(ReadOnlySpan<byte> payload) => WireStruct.ReadPrefix<" + payload + ">(payload);");
            }
            _w.Close();
        }
    }
}
