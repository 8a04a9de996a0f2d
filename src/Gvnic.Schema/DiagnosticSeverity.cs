namespace Gvnic.Schema
{
    /// <summary>How serious a schema problem is.</summary>
    public enum DiagnosticSeverity
    {
        /// <summary>The schema still compiles; the warning says what to fix.</summary>
        Warning,

        /// <summary>The schema cannot be compiled into codecs.</summary>
        Error,
    }
}
