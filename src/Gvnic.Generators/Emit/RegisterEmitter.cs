using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>
    /// Emits a register block as a struct over <c>IMmioRegion</c>: a typed read and/or write method per
    /// register (indexed for register arrays), converting from the register's byte order.
    /// </summary>
    internal static class RegisterEmitter
    {
        public static GeneratedSource Emit(SchemaDocument schema, SchemaTypes types, RegisterBlockDef block)
        {
            var w = FileHeader.Start(schema.Name, schema.Namespace, "System", "System.Collections.Generic", "System.Runtime.CompilerServices");
            string name = Naming.Pascal(block.Name) + "Registers";
            w.Summary(CodeWriter.Escape(block.Doc));
            w.Remarks("Register block <c>" + block.Name + "</c> in BAR " + block.Bar + ", " + (block.Order == ByteOrder.Little ? "little" : "big") + "-endian unless a register says otherwise.");
            w.Open("public readonly partial struct " + name);
            w.Line("private readonly IMmioRegion _region;");
            w.Line();
            w.Summary("Accesses the registers through <paramref name=\"region\"/>, the mapping of BAR " + block.Bar + ".");
            w.Open("public " + name + "(IMmioRegion region)");
            w.Line("ArgumentNullException.ThrowIfNull(region);");
            w.Line("_region = region;");
            w.Close();
            w.Line();
            w.Summary("The BAR this block lives in.");
            w.Line("public const int Bar = " + block.Bar + ";");
            w.Line();
            w.Summary("Byte offsets of the registers in the BAR (the first element, for register arrays).");
            w.Open("public static class Offsets");
            for (int i = 0; i < block.Registers.Count; i++)
            {
                var r = block.Registers[i];
                if (i > 0) w.Line();
                w.Summary("Offset of <c>" + r.Name + "</c>.");
                w.Line("public const int " + Naming.Pascal(r.Name) + " = " + CSharpTypes.Hex((ulong)r.Offset) + ";");
            }
            w.Close();
            foreach (var r in block.Registers)
            {
                if (r.Stride.HasValue)
                {
                    w.Line();
                    w.Summary("Distance in bytes between elements of <c>" + r.Name + "</c>.");
                    w.Line("public const int " + Naming.Pascal(r.Name) + "Stride = " + r.Stride.Value + ";");
                }
            }
            EmitLayout(w, block);
            EmitWidths(w, block, "Read", "read", r => r.Access != RegisterAccess.Write);
            EmitWidths(w, block, "Write", "written", r => r.Access != RegisterAccess.Read);
            foreach (var r in block.Registers)
            {
                EmitRegister(w, types, block, r);
            }
            w.Close();
            return new GeneratedSource(schema.Name + "." + name + ".g.cs", w.ToString());
        }

        private static string AccessName(RegisterAccess access)
            => access == RegisterAccess.Read ? "read" : access == RegisterAccess.Write ? "write" : "read_write";

        /// <summary>The block's register map at run time: a <c>WireRegister</c> per register, named arguments.</summary>
        private static void EmitLayout(CodeWriter w, RegisterBlockDef block)
        {
            w.Line();
            w.Summary("Every register of <c>" + block.Name + "</c>, as the schema describes it: a device model or a trace tool checks accesses against it.");
            w.Open("public static IReadOnlyList<WireRegister> Registers { get; } = new WireRegister[]");
            foreach (var r in block.Registers)
            {
                var order = r.Width == 8 ? null : (r.Order ?? block.Order ?? ByteOrder.Big) == ByteOrder.Big ? "big" : "little";
                var args = new List<string>
                {
                    "Name: " + CodeWriter.Literal(r.Name),
                    "Offset: " + CSharpTypes.Hex((ulong)r.Offset),
                    "Width: " + r.Width,
                    "Access: " + CodeWriter.Literal(AccessName(r.Access)),
                };
                if (r.Stride.HasValue) args.Add("Stride: " + r.Stride.Value);
                if (order != null) args.Add("Order: " + CodeWriter.Literal(order));
                if (r.Type != null) args.Add("TypeName: " + CodeWriter.Literal(r.Type));
                args.Add("Doc: " + CodeWriter.Literal(r.Doc));
                w.Line("new(" + string.Join(", ", args) + "),");
            }
            w.Close(";");
        }

        /// <summary>
        /// <c>ReadWidth</c> or <c>WriteWidth</c>: the width in bytes of the register that may be accessed at an offset
        /// (single registers at their offset, register arrays at every element), 0 where none may.
        /// </summary>
        private static void EmitWidths(CodeWriter w, RegisterBlockDef block, string verb, string done, System.Func<RegisterDef, bool> allowed)
        {
            w.Line();
            w.Summary("The width in bytes of the register that may be " + done + " at <paramref name=\"offset\"/> in the BAR (a register array's elements sit at its offset plus a multiple of its stride); 0 when none may.");
            w.Line("/// <param name=\"offset\">A byte offset in the BAR.</param>");
            w.Open("public static int " + verb + "Width(long offset)");
            var cases = new List<string>();
            var seen = new HashSet<int>();
            foreach (var r in block.Registers)
            {
                // The first register at an offset wins (only register arrays may share one in a valid schema).
                if (!r.Stride.HasValue && allowed(r) && seen.Add(r.Offset)) cases.Add("case Offsets." + Naming.Pascal(r.Name) + ": return " + r.Width / 8 + ";");
            }
            if (cases.Count > 0)
            {
                w.Open("switch (offset)");
                foreach (var c in cases) w.Line(c);
                w.Close();
            }
            foreach (var r in block.Registers)
            {
                if (!r.Stride.HasValue || !allowed(r)) continue;
                string pascal = Naming.Pascal(r.Name);
                w.Line("if (offset >= Offsets." + pascal + " && (offset - Offsets." + pascal + ") % " + pascal + "Stride == 0) return " + r.Width / 8 + ";");
            }
            w.Line("return 0;");
            w.Close();
        }

        private static void EmitRegister(CodeWriter w, SchemaTypes types, RegisterBlockDef block, RegisterDef r)
        {
            string pascal = Naming.Pascal(r.Name);
            int bytes = r.Width / 8;
            string raw = CSharpTypes.OfSize(bytes);
            var order = r.Order ?? block.Order ?? ByteOrder.Big;
            string type = raw;
            var kind = r.Type is null ? TypeKind.Integer : types.KindOf(r.Type);
            if (r.Type != null && kind != TypeKind.Integer) type = Naming.Pascal(r.Type);
            string address = r.Stride.HasValue ? "Offsets." + pascal + " + (long)index * " + r.Stride.Value : "Offsets." + pascal;
            string indexParam = r.Stride.HasValue ? "int index" : "";
            string indexDoc = r.Stride.HasValue ? "/// <param name=\"index\">The element of the register array.</param>" : "";
            string orderText = bytes == 1 ? "" : (order == ByteOrder.Big ? ", big-endian" : ", little-endian");

            string where = r.Width + " bits at " + CSharpTypes.Hex((ulong)r.Offset) + orderText + (r.Stride.HasValue ? ", stride " + r.Stride.Value : "");

            // Decode/Encode: the conversion between the raw load or store and the register's value, shared by
            // the driver-side Read/Write below and by anything that sees the raw side (a device model, a trace).
            w.Line();
            w.Summary("Converts the raw value of <c>" + r.Name + "</c>, as a load of the BAR returns it, into the register's value.");
            w.Line("/// <param name=\"raw\">What a " + r.Width + "-bit load at the register's offset returned.</param>");
            if (kind == TypeKind.Struct)
            {
                w.Line("public static " + type + " Decode" + pascal + "(" + raw + " raw) => Unsafe.As<" + raw + ", " + type + ">(ref raw);");
            }
            else
            {
                string decoded = bytes == 1 ? "raw" : "WireEndian." + CSharpTypes.Order(order) + "(raw)";
                w.Line("public static " + type + " Decode" + pascal + "(" + raw + " raw) => " + (type == raw ? decoded : "(" + type + ")" + decoded) + ";");
            }
            w.Line();
            w.Summary("Converts a value of <c>" + r.Name + "</c> into the raw value a store to the BAR writes.");
            w.Line("/// <param name=\"value\">The register's value.</param>");
            if (kind == TypeKind.Struct)
            {
                w.Line("public static " + raw + " Encode" + pascal + "(" + type + " value) => Unsafe.As<" + type + ", " + raw + ">(ref value);");
            }
            else
            {
                string value = type == raw ? "value" : "(" + raw + ")value";
                w.Line("public static " + raw + " Encode" + pascal + "(" + type + " value) => " + (bytes == 1 ? value : "WireEndian." + CSharpTypes.Order(order) + "(" + value + ")") + ";");
            }

            if (r.Access != RegisterAccess.Write)
            {
                w.Line();
                w.Summary(CodeWriter.Escape(r.Doc));
                w.Remarks("Reads <c>" + r.Name + "</c> (" + where + ").");
                if (indexDoc.Length > 0) w.Line(indexDoc);
                w.Line("public " + type + " Read" + pascal + "(" + indexParam + ") => Decode" + pascal + "(_region.Read" + r.Width + "(" + address + "));");
            }
            if (r.Access != RegisterAccess.Read)
            {
                w.Line();
                w.Summary(CodeWriter.Escape(r.Doc));
                w.Remarks("Writes <c>" + r.Name + "</c> (" + where + ").");
                if (indexDoc.Length > 0) w.Line(indexDoc);
                w.Line("/// <param name=\"value\">The value to write.</param>");
                string parameters = (indexParam.Length > 0 ? indexParam + ", " : "") + type + " value";
                w.Line("public void Write" + pascal + "(" + parameters + ") => _region.Write" + r.Width + "(" + address + ", Encode" + pascal + "(value));");
            }
        }
    }
}
