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
            var w = FileHeader.Start(schema.Name, schema.Namespace, "System", "System.Runtime.CompilerServices");
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
            foreach (var r in block.Registers)
            {
                EmitRegister(w, types, block, r);
            }
            w.Close();
            return new GeneratedSource(schema.Name + "." + name + ".g.cs", w.ToString());
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
                string decoded = bytes == 1 ? "raw" : "Endian." + CSharpTypes.Order(order) + "(raw)";
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
                w.Line("public static " + raw + " Encode" + pascal + "(" + type + " value) => " + (bytes == 1 ? value : "Endian." + CSharpTypes.Order(order) + "(" + value + ")") + ";");
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
