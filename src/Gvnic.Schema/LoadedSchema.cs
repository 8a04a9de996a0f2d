namespace Gvnic.Schema
{
    /// <summary>A parsed and validated schema with every diagnostic found.</summary>
    public sealed record LoadedSchema(SchemaDocument? Document, EquatableArray<SchemaDiagnostic> Diagnostics)
    {
        /// <summary>Whether any diagnostic is an error (then the schema must not be compiled).</summary>
        public bool HasErrors
        {
            get
            {
                foreach (var d in Diagnostics)
                {
                    if (d.Severity == DiagnosticSeverity.Error) return true;
                }
                return false;
            }
        }
    }
}
