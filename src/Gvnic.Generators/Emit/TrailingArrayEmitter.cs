using System;
using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>
    /// Emits the members of a struct that is a whole message: <c>MaxSize</c> for <c>max_size:</c>, and for a trailing
    /// array (<c>counted_by:</c>) static accessors over the message's bytes, since its elements lie past the struct's
    /// fixed storage: the element count the counter states (checked against the message), typed element access,
    /// views for struct and byte elements, the size of a message of n elements, and a validation of the whole message.
    /// </summary>
    internal sealed class TrailingArrayEmitter
    {
        private readonly SchemaTypes _types;
        private readonly StructDef _struct;
        private readonly CodeWriter _w;
        private readonly ulong? _maxSize;

        private TrailingArrayEmitter(CodeWriter w, SchemaTypes types, StructDef s)
        {
            _w = w;
            _types = types;
            _struct = s;
            _maxSize = types.MaxSize(s);
        }

        /// <summary>Writes <c>MaxSize</c> (when the struct states it) into the struct being emitted.</summary>
        public static void EmitMaxSize(CodeWriter w, SchemaTypes types, StructDef s)
        {
            var max = types.MaxSize(s);
            if (max is null) return;
            w.Summary("The most bytes a whole <c>" + s.Name + "</c> message may take" + (s.Trailing is null ? "" : ", its trailing array included") +
                " (schema <c>max_size: " + CodeWriter.Escape(s.MaxSizeText!) + "</c>).");
            w.Line("public const int MaxSize = " + max.Value + ";");
            w.Line();
        }

        /// <summary>Writes the accessors of the trailing array of <paramref name="s"/>, if it has one with a counter.</summary>
        public static void EmitTrailing(CodeWriter w, SchemaTypes types, StructDef s, Func<string, string> prop)
        {
            var f = s.Trailing;
            if (f is null) return;
            var counter = types.Counter(s, f);
            if (counter is null) return;
            new TrailingArrayEmitter(w, types, s).Emit(f, counter, prop);
        }

        /// <summary>The C# names a trailing array <paramref name="prop"/> takes among the struct's members.</summary>
        public static string[] MemberNames(string prop, TypeKind kind, int elementSize)
        {
            bool views = kind == TypeKind.Struct || elementSize == 1 && kind == TypeKind.Integer;
            return views
                ? new[] { prop, prop + "ReadOnly", "Get" + prop, "Set" + prop, prop + "Count", prop + "MaxCount", prop + "ElementSize", "Has" + prop }
                : new[] { "Get" + prop, "Set" + prop, prop + "Count", prop + "MaxCount", prop + "ElementSize", "Has" + prop };
        }

        private void Emit(FieldDef f, FieldDef counter, Func<string, string> propOf)
        {
            var kind = _types.KindOf(f.Type);
            int elem = _types.SizeOf(f.Type);
            if (elem <= 0) return;
            string prop = propOf(f.Name);
            string counterProp = propOf(counter.Name);
            string type = kind == TypeKind.Integer ? CSharpTypes.OfInteger(f.Type) : Naming.Pascal(f.Type);
            string raw = CSharpTypes.OfSize(elem);
            string name = CodeWriter.Literal(f.Name);
            string order = CSharpTypes.Order(f.Order ?? _struct.Order ?? ByteOrder.Big);
            int size = Math.Max(0, _struct.Size);
            // The most elements: what max_size leaves after the fixed part, else what the counter and a span can hold.
            ulong byBytes = ((_maxSize ?? int.MaxValue) - (ulong)size) / (ulong)elem;
            ulong byCounter = SchemaTypes.MaxValue(_types.SizeOf(counter.Type));
            ulong max = Math.Min(byBytes, byCounter);
            bool views = kind == TypeKind.Struct || elem == 1 && kind == TypeKind.Integer;
            string what = "the trailing array <c>" + f.Name + "</c>";

            _w.Line();
            _w.Summary("Bytes of one element of " + what + ".");
            _w.Line("public const int " + prop + "ElementSize = " + elem + ";");
            _w.Line();
            _w.Summary("The most elements of " + what + " a message holds: " +
                (_maxSize.HasValue && byBytes <= byCounter ? "what <see cref=\"MaxSize\"/> leaves after the fixed part" : "as many as <c>" + counter.Name + "</c> can state") + ".");
            _w.Line("public const int " + prop + "MaxCount = " + max + ";");
            _w.Line();
            _w.Summary("The bytes of a message whose trailing array <c>" + f.Name + "</c> has <paramref name=\"count\"/> elements: <see cref=\"Size\"/> + count × " + elem + ".");
            _w.Line("/// <param name=\"count\">The number of elements, from 0 to <see cref=\"" + prop + "MaxCount\"/>.</param>");
            _w.Line("/// <exception cref=\"ArgumentOutOfRangeException\"><paramref name=\"count\"/> is negative or more than <see cref=\"" + prop + "MaxCount\"/>.</exception>");
            _w.Open("public static int MessageSize(int count)");
            _w.Line("if ((uint)count > " + prop + "MaxCount) WireThrow.Count(SchemaName, " + name + ", count, " + prop + "MaxCount);");
            _w.Line("return Size + count * " + elem + ";");
            _w.Close();

            _w.Line();
            _w.Summary("The number of elements of " + what + " that <paramref name=\"message\"/> states in <c>" + counter.Name + "</c>, checked against the message.");
            _w.Line("/// <param name=\"message\">The whole message: the fixed part, then the elements.</param>");
            _w.Line("/// <exception cref=\"ArgumentException\">The message is shorter than <see cref=\"Size\"/>, or than the elements it states, or states more than <see cref=\"" + prop + "MaxCount\"/>.</exception>");
            _w.Open("public static int " + prop + "Count(ReadOnlySpan<byte> message)");
            _w.Line("ulong count = AsReadOnly(message)." + counterProp + ";");
            _w.Line("long room = Math.Min(" + prop + "MaxCount, (message.Length - Size) / " + elem + ");");
            _w.Line("if (count > (ulong)room) WireThrow.CountBeyond(SchemaName, " + name + ", " + CodeWriter.Literal(counter.Name) + ", count, room);");
            _w.Line("return (int)count;");
            _w.Close();

            _w.Line();
            _w.Summary("Whether element <paramref name=\"index\"/> of " + what + " is in <paramref name=\"message\"/>: below the count it states, and inside its bytes. Never throws.");
            _w.Line("/// <param name=\"message\">The whole message.</param>");
            _w.Line("/// <param name=\"index\">The element.</param>");
            _w.Open("public static bool Has" + prop + "(ReadOnlySpan<byte> message, int index)");
            _w.Line("if (message.Length < Size || index < 0) return false;");
            _w.Line("ulong count = AsReadOnly(message)." + counterProp + ";");
            _w.Line("return (ulong)index < count && index < " + prop + "MaxCount && Size + (long)(index + 1) * " + elem + " <= message.Length;");
            _w.Close();

            if (views)
            {
                _w.Line();
                _w.Summary(CodeWriter.Escape(f.Doc));
                _w.Remarks("The elements <paramref name=\"message\"/> states (<c>" + counter.Name + "</c>), as a view over its bytes after the fixed part: writes go straight to the message. Schema <c>" + f.Name + "</c>.");
                _w.Line("/// <param name=\"message\">The whole message; write <c>" + counter.Name + "</c> first.</param>");
                _w.Line("public static Span<" + type + "> " + prop + "(Span<byte> message) => " + View("message", prop, type, elem) + ";");
                _w.Line();
                _w.Summary(CodeWriter.Escape(f.Doc));
                _w.Remarks("The elements <paramref name=\"message\"/> states (<c>" + counter.Name + "</c>), read-only. Schema <c>" + f.Name + "</c>.");
                _w.Line("/// <param name=\"message\">The whole message.</param>");
                _w.Line("public static ReadOnlySpan<" + type + "> " + prop + "ReadOnly(ReadOnlySpan<byte> message) => " + View("message", prop, type, elem) + ";");
            }

            string at = "Size + index * " + elem;
            string rawName = elem == 1 ? "Byte" : elem == 2 ? "UInt16" : elem == 4 ? "UInt32" : "UInt64";
            _w.Line();
            _w.Summary("Reads element <paramref name=\"index\"/> of " + what + ": " + CodeWriter.Escape(f.Doc));
            if (kind != TypeKind.Struct && elem > 1) _w.Remarks(order + "-endian elements.");
            _w.Line("/// <param name=\"message\">The whole message.</param>");
            _w.Line("/// <param name=\"index\">The element, below the count <c>" + counter.Name + "</c> states.</param>");
            _w.Open("public static " + type + " Get" + prop + "(ReadOnlySpan<byte> message, int index)");
            _w.Line("int count = " + prop + "Count(message);");
            _w.Line("if ((uint)index >= (uint)count) WireThrow.Index(SchemaName, " + name + ", index, count);");
            if (kind == TypeKind.Struct)
            {
                _w.Line("return MemoryMarshal.Read<" + type + ">(message.Slice(" + at + ", " + elem + "));");
            }
            else
            {
                string read = elem == 1 ? "message[" + at + "]" : "BinaryPrimitives.Read" + rawName + order + "Endian(message.Slice(" + at + ", " + elem + "))";
                _w.Line("return " + (type == raw ? read : "(" + type + ")" + read) + ";");
            }
            _w.Close();
            _w.Line();
            _w.Summary("Writes element <paramref name=\"index\"/> of " + what + ".");
            _w.Line("/// <param name=\"message\">The whole message; write <c>" + counter.Name + "</c> first.</param>");
            _w.Line("/// <param name=\"index\">The element, below the count <c>" + counter.Name + "</c> states.</param>");
            _w.Line("/// <param name=\"value\">The value to store.</param>");
            _w.Open("public static void Set" + prop + "(Span<byte> message, int index, " + type + " value)");
            _w.Line("int count = " + prop + "Count(message);");
            _w.Line("if ((uint)index >= (uint)count) WireThrow.Index(SchemaName, " + name + ", index, count);");
            if (kind == TypeKind.Struct)
            {
                _w.Line("MemoryMarshal.Write(message.Slice(" + at + ", " + elem + "), in value);");
            }
            else
            {
                string value = type == raw ? "value" : "(" + raw + ")value";
                _w.Line(elem == 1 ? "message[" + at + "] = " + value + ";" : "BinaryPrimitives.Write" + rawName + order + "Endian(message.Slice(" + at + ", " + elem + "), " + value + ");");
            }
            _w.Close();

            EmitValidateMessage(f, counter, counterProp, kind, type, elem, prop);
        }

        private static string View(string message, string prop, string type, int elem)
            => type == "byte"
                ? message + ".Slice(Size, " + prop + "Count(" + message + "))"
                : "MemoryMarshal.Cast<byte, " + type + ">(" + message + ".Slice(Size, " + prop + "Count(" + message + ") * " + elem + "))";

        private void EmitValidateMessage(FieldDef f, FieldDef counter, string counterProp, TypeKind kind, string type, int elem, string prop)
        {
            _w.Line();
            _w.Summary("Checks a whole message: its length" + (_maxSize.HasValue ? " (at least <see cref=\"Size\"/>, at most <see cref=\"MaxSize\"/>)" : " (at least <see cref=\"Size\"/>)") +
                ", the fixed part as <see cref=\"Validate\"/> does, the count <c>" + counter.Name + "</c> against the message" +
                (kind == TypeKind.Integer ? "" : ", and every element of <c>" + f.Name + "</c>") + ". Bytes after the last element are not looked at.");
            _w.Line("/// <param name=\"message\">The whole message: the fixed part, then the elements.</param>");
            _w.Line("/// <param name=\"issues\">Receives one <see cref=\"WireIssue\"/> per problem; null to only get the answer.</param>");
            _w.Line("/// <returns>True when nothing is wrong.</returns>");
            _w.Open("public static bool ValidateMessage(ReadOnlySpan<byte> message, ICollection<WireIssue>? issues = null)");
            _w.Line("if (message.Length < Size) return Fail(issues, " + CodeWriter.Literal(f.Name) + ", WireIssueKind.MessageTooShort, (ulong)message.Length);");
            _w.Line("bool ok = true;");
            if (_maxSize.HasValue) _w.Line("if (message.Length > MaxSize) ok = Fail(issues, " + CodeWriter.Literal(f.Name) + ", WireIssueKind.MessageTooLarge, (ulong)message.Length);");
            _w.Line("ref readonly var head = ref AsReadOnly(message);");
            _w.Line("ok = head.Validate(issues) && ok;");
            _w.Line("ulong count = head." + counterProp + ";");
            _w.Line("if (count > (ulong)Math.Min(" + prop + "MaxCount, (message.Length - Size) / " + elem + ")) return Fail(issues, " + CodeWriter.Literal(counter.Name) + ", WireIssueKind.CountBeyondMessage, count);");
            if (kind == TypeKind.Struct)
            {
                _w.Line("for (int i = 0; i < (int)count; i++) ok = " + type + ".AsReadOnly(message.Slice(Size + i * " + elem + ", " + elem + ")).Validate(issues) && ok;");
            }
            else if (kind == TypeKind.Enum)
            {
                var e = _types.Enum(f.Type)!;
                _w.Line("for (int i = 0; i < (int)count; i++)");
                _w.Open("");
                _w.Line("var element = Get" + prop + "(message, i);");
                _w.Line("if (!" + type + "Info.IsDefined(element)) ok = Fail(issues, " + CodeWriter.Literal(f.Name) + ", WireIssueKind." + (e.Flags ? "UnknownFlags" : "UnknownEnumValue") + ", (ulong)element);");
                _w.Close();
            }
            _w.Line("return ok;");
            _w.Close();
        }
    }
}
