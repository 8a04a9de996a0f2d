using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>Turns a loaded schema into generated files: nothing is emitted while the schema has errors.</summary>
    internal static class SchemaEmitter
    {
        /// <summary>
        /// Emits the schema's files. <paramref name="sharedSupport"/> is the namespace whose public support types
        /// a referenced assembly already declares (see <see cref="SharedSupport"/>), or null: then this schema
        /// declares them itself, in its own namespace.
        /// </summary>
        public static GeneratorOutput Emit(string path, LoadedSchema loaded, string? sharedSupport = null)
        {
            var sources = new List<GeneratedSource>();
            var diagnostics = new List<SchemaDiagnostic>(loaded.Diagnostics);
            var schema = loaded.Document;
            if (schema != null && !loaded.HasErrors)
            {
                try
                {
                    var types = new SchemaTypes(schema);
                    bool declareShared = sharedSupport is null;
                    sources.Add(SupportEmitter.Emit(schema.Name, schema.Namespace, declareShared));
                    sources.Add(ReflectionSupportEmitter.Emit(schema.Name, schema.Namespace, declareShared));
                    sources.Add(CatalogEmitter.Emit(schema));
                    if (schema.Constants.Count > 0) sources.Add(ConstantsEmitter.Emit(schema));
                    foreach (var e in schema.Enums) sources.Add(EnumEmitter.Emit(schema, e));
                    foreach (var s in schema.Structs)
                    {
                        sources.Add(StructEmitter.Emit(schema, types, s));
                        sources.Add(StructReflectionEmitter.Emit(schema, types, s));
                    }
                    foreach (var b in schema.RegisterBlocks) sources.Add(RegisterEmitter.Emit(schema, types, b));
                    if (sharedSupport != null && sharedSupport != schema.Namespace)
                    {
                        for (int i = 0; i < sources.Count; i++)
                            sources[i] = sources[i] with { Text = FileHeader.AddUsing(sources[i].Text, sharedSupport) };
                    }
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
