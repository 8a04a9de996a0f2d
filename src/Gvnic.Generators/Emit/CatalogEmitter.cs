using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>Emits the schema's catalog: every struct and enum at run time, found by schema name.</summary>
    internal static class CatalogEmitter
    {
        public static string ClassName(string schemaName) => Naming.Pascal(schemaName) + "Catalog";

        public static GeneratedSource Emit(SchemaDocument schema)
        {
            string name = ClassName(schema.Name);
            var w = FileHeader.Start(schema.Name, schema.Namespace, "System", "System.Collections.Generic");
            w.Summary("Every struct and enum of the " + CodeWriter.Escape(schema.Name) + " schema at run time, for tools that work by schema name.");
            w.Open("public static class " + name);
            w.Summary("Every struct, in schema order.");
            w.Open("public static IReadOnlyList<WireType> Types { get; } = new WireType[]");
            var types = new SchemaTypes(schema);
            foreach (var s in schema.Structs)
            {
                var max = types.MaxSize(s);
                w.Line("WireType.Of<" + Naming.Pascal(s.Name) + ">(Order: " + CodeWriter.Literal(s.Order == ByteOrder.Little ? "little" : "big") + ", Doc: " + CodeWriter.Literal(s.Doc) + ")"
                    + (max.HasValue ? " with { MaxSize = " + max.Value + " }" : "") + ",");
            }
            w.Close(";");
            w.Line();
            w.Summary("Every enum and flag set, in schema order.");
            w.Open("public static IReadOnlyList<WireEnum> Enums { get; } = new WireEnum[]");
            foreach (var e in schema.Enums)
            {
                w.Line("new(Name: " + CodeWriter.Literal(e.Name) + ", ClrType: typeof(" + Naming.Pascal(e.Name) + "), Size: " + SchemaTypes.IntegerSize(e.Type) + ", IsFlags: " + (e.Flags ? "true" : "false") + ", Doc: " + CodeWriter.Literal(e.Doc) + ", Values: new WireEnumValue[]");
                w.Open("");
                foreach (var v in e.Values) w.Line("new(Name: " + CodeWriter.Literal(v.Name) + ", Value: " + CSharpTypes.Hex(v.Value) + "UL, Doc: " + CodeWriter.Literal(v.Doc) + "),");
                w.Close("),");
            }
            w.Close(";");
            w.Line();
            w.Summary("The struct named <paramref name=\"schemaName\"/>, or null.");
            w.Line("/// <param name=\"schemaName\">A schema struct name such as <c>tx_pkt_desc_dqo</c>.</param>");
            w.Open("public static WireType? FindType(string schemaName)");
            w.Line("foreach (var type in Types)");
            w.Line("{");
            w.Line("    if (type.Name == schemaName) return type;");
            w.Line("}");
            w.Line("return null;");
            w.Close();
            w.Line();
            w.Summary("The enum named <paramref name=\"schemaName\"/>, or null.");
            w.Line("/// <param name=\"schemaName\">A schema enum name such as <c>adminq_opcodes</c>.</param>");
            w.Open("public static WireEnum? FindEnum(string schemaName)");
            w.Line("foreach (var e in Enums)");
            w.Line("{");
            w.Line("    if (e.Name == schemaName) return e;");
            w.Line("}");
            w.Line("return null;");
            w.Close();
            w.Close();
            return new GeneratedSource(schema.Name + "." + name + ".g.cs", w.ToString());
        }
    }
}
