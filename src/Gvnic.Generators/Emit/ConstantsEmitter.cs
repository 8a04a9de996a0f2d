using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>Emits the schema's constants as one static class.</summary>
    internal static class ConstantsEmitter
    {
        public static string ClassName(string schemaName) => Naming.Pascal(schemaName) + "Constants";

        public static GeneratedSource Emit(SchemaDocument schema)
        {
            var w = FileHeader.Start(schema.Name, schema.Namespace);
            w.Summary("The constants of the " + schema.Name + " schema: sizes, limits, ring rules and fixed values.");
            w.Open("public static class " + ClassName(schema.Name));
            for (int i = 0; i < schema.Constants.Count; i++)
            {
                var c = schema.Constants[i];
                w.Summary(CodeWriter.Escape(c.Doc));
                w.Line("public const " + CSharpTypes.OfInteger(c.Type) + " " + Naming.Pascal(c.Name) + " = " + CSharpTypes.Hex(c.Value, SchemaTypes.IntegerSize(c.Type)) + ";");
                if (i < schema.Constants.Count - 1) w.Line();
            }
            w.Close();
            return new GeneratedSource(schema.Name + "." + ClassName(schema.Name) + ".g.cs", w.ToString());
        }
    }
}
