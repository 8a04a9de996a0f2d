using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>
    /// Turns a loaded schema into generated files. A schema with errors still generates every type it can
    /// (<see cref="SchemaRepair"/>), so the schema's diagnostics are the only errors of the build rather than the
    /// first of a flood of C# errors from code that uses its types.
    /// </summary>
    internal static class SchemaEmitter
    {
        public static GeneratorOutput Emit(string path, LoadedSchema loaded)
        {
            var sources = new List<GeneratedSource>();
            var diagnostics = new List<SchemaDiagnostic>(loaded.Diagnostics);
            var schema = loaded.Document is null ? null : loaded.HasErrors ? SchemaRepair.ForEmission(loaded.Document) : loaded.Document;
            if (schema != null)
            {
                try
                {
                    var types = new SchemaTypes(schema);
                    sources.Add(CatalogEmitter.Emit(schema));
                    if (schema.Constants.Count > 0) sources.Add(ConstantsEmitter.Emit(schema));
                    foreach (var e in schema.Enums) sources.Add(EnumEmitter.Emit(schema, e));
                    foreach (var s in schema.Structs)
                    {
                        sources.Add(StructEmitter.Emit(schema, types, s));
                        sources.Add(StructReflectionEmitter.Emit(schema, types, s));
                    }
                    foreach (var b in schema.RegisterBlocks) sources.Add(RegisterEmitter.Emit(schema, types, b));
                    foreach (var l in schema.OptionLists) sources.Add(OptionListEmitter.Emit(schema, types, l));
                }
                catch (System.Exception e)
                {
                    sources.Clear();
                    diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.InternalError, DiagnosticSeverity.Error,
                        "internal error while generating code (" + e.GetType().Name + ": " + e.Message + "); please report it with the schema", new SourceSpan(1, 1, 0, 0)));
                }
            }
            return new GeneratorOutput(path, EquatableArray.From(sources), EquatableArray.From(diagnostics));
        }
    }
}
