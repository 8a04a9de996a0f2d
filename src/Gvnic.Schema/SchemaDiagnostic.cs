namespace Gvnic.Schema
{
    /// <summary>A problem found in a schema, with its id (GVNICnnn) and where it is.</summary>
    public sealed record SchemaDiagnostic(string Id, DiagnosticSeverity Severity, string Message, SourceSpan At)
    {
        /// <summary>The diagnostic as a compiler prints it: <c>FILE(LINE,COL): error GVNICnnn: message</c>.</summary>
        public string Format(string path)
            => path + "(" + At.Line + "," + At.Column + "): " + (Severity == DiagnosticSeverity.Error ? "error" : "warning") + " " + Id + ": " + Message;
    }
}
