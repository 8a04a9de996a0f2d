using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>Emits a C# enum per schema enum, and a small static class that knows its defined values.</summary>
    internal static class EnumEmitter
    {
        public static GeneratedSource Emit(SchemaDocument schema, EnumDef e)
        {
            var w = FileHeader.Start(schema.Name, schema.Namespace, "System");
            string name = Naming.Pascal(e.Name);
            string underlying = CSharpTypes.OfInteger(e.Type);
            int bytes = SchemaTypes.IntegerSize(e.Type);
            w.Summary(CodeWriter.Escape(e.Doc));
            w.Remarks("Schema enum <c>" + e.Name + "</c>" + (e.Flags ? ", a flag set" : "") + ", stored as " + e.Type + ".");
            if (e.Flags) w.Line("[Flags]");
            w.Open("public enum " + name + " : " + underlying);
            for (int i = 0; i < e.Values.Count; i++)
            {
                var v = e.Values[i];
                w.Summary(CodeWriter.Escape(v.Doc));
                w.Line(Naming.Pascal(v.Name) + " = " + CSharpTypes.Hex(v.Value, bytes) + ",");
                if (i < e.Values.Count - 1) w.Line();
            }
            w.Close();
            w.Line();

            w.Summary("What the schema defines for <see cref=\"" + name + "\"/>.");
            w.Open("public static class " + name + "Info");
            w.Summary("The schema name of the enum.");
            w.Line("public const string SchemaName = " + CodeWriter.Literal(e.Name) + ";");
            w.Line();
            if (e.Flags)
            {
                ulong all = 0;
                foreach (var v in e.Values) all |= v.Value;
                w.Summary("Every bit the schema defines.");
                w.Line("public const " + name + " All = (" + name + ")" + CSharpTypes.Hex(all, bytes) + ";");
                w.Line();
                w.Summary("Whether <paramref name=\"value\"/> has only bits the schema defines.");
                w.Line("public static bool IsDefined(" + name + " value) => (value & ~All) == 0;");
            }
            else
            {
                w.Summary("Whether <paramref name=\"value\"/> is a value the schema defines.");
                w.Open("public static bool IsDefined(" + name + " value)");
                w.Open("switch ((" + underlying + ")value)");
                var seen = new HashSet<ulong>();
                foreach (var v in e.Values)
                {
                    if (seen.Add(v.Value)) w.Line("case " + CSharpTypes.Hex(v.Value, bytes) + ":");
                }
                // An enum without values (only in a schema with errors, which still generates its types) defines nothing.
                if (seen.Count > 0) w.Line("    return true;");
                w.Line("default:");
                w.Line("    return false;");
                w.Close();
                w.Close();
            }
            w.Close();
            return new GeneratedSource(schema.Name + "." + name + ".g.cs", w.ToString());
        }
    }
}
