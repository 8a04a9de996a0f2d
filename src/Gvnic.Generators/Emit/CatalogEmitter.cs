using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>Emits the schema's catalog: every struct and enum at run time, found by schema name.</summary>
    internal static class CatalogEmitter
    {
        public static string ClassName(SchemaDocument schema) => Naming.Pascal(schema.Name) + "Catalog";

        public static GeneratedSource Emit(SchemaDocument schema)
        {
            string name = ClassName(schema);
            var w = FileHeader.Start(schema.Name, schema.Namespace, "System", "System.Collections.Generic");
            w.Summary("Every struct and enum of the " + CodeWriter.Escape(schema.Name) + " schema at run time, for tools that work by schema name.");
            w.Open("public static class " + name);
            w.Summary("Every struct, in schema order.");
            w.Open("public static IReadOnlyList<WireType> Types { get; } = new WireType[]");
            foreach (var s in schema.Structs)
            {
                string t = Naming.Pascal(s.Name);
                w.Line("new(" + CodeWriter.Literal(s.Name) + ", typeof(" + t + "), " + t + ".Size, " + CodeWriter.Literal(s.Order == ByteOrder.Little ? "little" : "big") + ", " +
                    CodeWriter.Literal(s.Doc) + ", " + t + ".Fields, " + t + ".TryGetField, " + t + ".TrySetField, static (bytes, issues) => " + t + ".Read(bytes).Validate(issues), static bytes => " + t + ".Read(bytes).ToString()),");
            }
            w.Close(";");
            w.Line();
            w.Summary("Every enum and flag set, in schema order.");
            w.Open("public static IReadOnlyList<WireEnum> Enums { get; } = new WireEnum[]");
            foreach (var e in schema.Enums)
            {
                var values = new List<string>();
                foreach (var v in e.Values) values.Add("new(" + CodeWriter.Literal(v.Name) + ", " + CSharpTypes.Hex(v.Value) + "UL, " + CodeWriter.Literal(v.Doc) + ")");
                w.Line("new(" + CodeWriter.Literal(e.Name) + ", typeof(" + Naming.Pascal(e.Name) + "), " + SchemaTypes.IntegerSize(e.Type) + ", " + (e.Flags ? "true" : "false") + ", " +
                    CodeWriter.Literal(e.Doc) + ", new WireEnumValue[] { " + string.Join(", ", values) + " }),");
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
