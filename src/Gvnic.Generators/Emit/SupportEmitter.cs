namespace Gvnic.Generators.Emit
{
    /// <summary>Emits the types every generated codec uses: MMIO access, byte order, validation issues, throw helpers.</summary>
    internal static class SupportEmitter
    {
        /// <summary>
        /// The support file. With <paramref name="declareShared"/> false (a referenced assembly declares the public
        /// ones, see <see cref="SharedSupport"/>) only the internal helpers <c>Endian</c> and <c>WireThrow</c>.
        /// </summary>
        public static GeneratedSource Emit(string schemaName, string ns, bool declareShared = true)
        {
            var w = FileHeader.Start(schemaName, ns, "System", "System.Buffers.Binary", "System.Diagnostics.CodeAnalysis", "System.Runtime.CompilerServices");
            if (declareShared) EmitShared(w);
            EmitInternal(w);
            return new GeneratedSource(schemaName + ".Support.g.cs", w.ToString());
        }

        private static void EmitShared(CodeWriter w)
        {
            w.Summary("A mapped BAR (or part of one): 8- to 64-bit loads and stores at byte offsets.");
            w.Remarks("A value is the bytes at that offset as a plain load of the host sees them; the generated register\ncode converts from the register's byte order. A VFIO mapping, a simulated device or a test double implement it.");
            w.Open("public interface IMmioRegion");
            foreach (var (bits, type) in new[] { (8, "byte"), (16, "ushort"), (32, "uint"), (64, "ulong") })
            {
                w.Summary("Loads the " + bits + "-bit value at byte <paramref name=\"offset\"/>.");
                w.Line(type + " Read" + bits + "(long offset);");
                w.Line();
                w.Summary("Stores a " + bits + "-bit value at byte <paramref name=\"offset\"/>.");
                w.Line("void Write" + bits + "(long offset, " + type + " value);");
                if (bits != 64) w.Line();
            }
            w.Close();
            w.Line();

            w.Summary("What a validation found wrong in decoded wire data.");
            w.Open("public enum WireIssueKind");
            w.Summary("A reserved or padding span (or bit range) that must be zero is not.");
            w.Line("ReservedNotZero,");
            w.Line();
            w.Summary("An enum field holds a value the schema does not define.");
            w.Line("UnknownEnumValue,");
            w.Line();
            w.Summary("A flag-set field has bits set that the schema does not define.");
            w.Line("UnknownFlags,");
            w.Line();
            w.Summary("A union's selector holds a value for which the schema has no member.");
            w.Line("UnknownVariant,");
            w.Close();
            w.Line();

            w.Summary("One problem found by a generated <c>Validate</c> method, naming the wire type, the field and the value.");
            w.Line("/// <param name=\"Type\">The schema name of the struct.</param>");
            w.Line("/// <param name=\"Field\">The schema name of the field or bit range.</param>");
            w.Line("/// <param name=\"Kind\">What is wrong.</param>");
            w.Line("/// <param name=\"Value\">The offending value.</param>");
            w.Open("public readonly record struct WireIssue(string Type, string Field, WireIssueKind Kind, ulong Value)");
            w.Summary("A one-line description, e.g. <c>tx_pkt_desc_dqo.reserved0: ReservedNotZero (0x1)</c>.");
            w.Line("public override string ToString() => Type + \".\" + Field + \": \" + Kind + \" (0x\" + Value.ToString(\"X\") + \")\";");
            w.Close();
            w.Line();
        }

        private static void EmitInternal(CodeWriter w)
        {
            w.Summary("Byte-order conversion for generated accessors: each call swaps when the host's order differs.");
            w.Open("internal static class Endian");
            foreach (var type in new[] { "ushort", "uint", "ulong" })
            {
                w.Summary("Converts between big-endian wire order and host order (the conversion is its own inverse).");
                w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                w.Line("public static " + type + " Big(" + type + " value) => BitConverter.IsLittleEndian ? BinaryPrimitives.ReverseEndianness(value) : value;");
                w.Line();
                w.Summary("Converts between little-endian wire order and host order.");
                w.Line("[MethodImpl(MethodImplOptions.AggressiveInlining)]");
                w.Line("public static " + type + " Little(" + type + " value) => BitConverter.IsLittleEndian ? value : BinaryPrimitives.ReverseEndianness(value);");
                if (type != "ulong") w.Line();
            }
            w.Close();
            w.Line();

            w.Summary("Throw helpers, kept out of line so accessors stay small and inlinable.");
            w.Open("internal static class WireThrow");
            w.Summary("A span is shorter than the wire type.");
            w.Line("[DoesNotReturn]");
            w.Line("public static void TooShort(string parameter, string type, int size, int length)");
            w.Line("    => throw new ArgumentException(type + \" needs \" + size + \" bytes but the span has \" + length, parameter);");
            w.Line();
            w.Summary("A value does not fit its bit range.");
            w.Line("[DoesNotReturn]");
            w.Line("public static void BitfieldRange(string type, string field, ulong value, int width)");
            w.Line("    => throw new ArgumentOutOfRangeException(field, value, type + \".\" + field + \" is \" + width + \" bits wide; the value does not fit\");");
            w.Line();
            w.Summary("An array index is outside the array.");
            w.Line("[DoesNotReturn]");
            w.Line("public static void Index(string type, string field, int index, int length)");
            w.Line("    => throw new ArgumentOutOfRangeException(\"index\", index, type + \".\" + field + \" has \" + length + \" elements\");");
            w.Close();
        }
    }
}
