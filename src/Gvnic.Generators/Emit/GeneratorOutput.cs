using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>What the generator produces for one schema file: sources and diagnostics, both plain data.</summary>
    internal sealed record GeneratorOutput(string Path, EquatableArray<GeneratedSource> Sources, EquatableArray<SchemaDiagnostic> Diagnostics);
}
