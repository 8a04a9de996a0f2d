using Gvnic.Generators.Emit;
using Gvnic.Schema;
using Microsoft.CodeAnalysis;

namespace Gvnic.Generators
{
    /// <summary>
    /// Turns every schema AdditionalFile (see <see cref="SchemaFiles"/>) into wire codecs. The pipeline is three
    /// cached steps, each producing plain equatable data: the file's text, the loaded (parsed and validated)
    /// schema, and the generated sources with their diagnostics. Nothing looks at the compilation, so an edit to
    /// a C# file re-runs none of them.
    /// </summary>
    [Generator(LanguageNames.CSharp)]
    public sealed class SchemaGenerator : IIncrementalGenerator
    {
        /// <summary>Tracking names of the pipeline steps, for incrementality tests.</summary>
        public static class Steps
        {
            /// <summary>Reading a schema file's text.</summary>
            public const string Text = "Gvnic.SchemaText";

            /// <summary>Parsing and validating the schema.</summary>
            public const string Model = "Gvnic.SchemaModel";

            /// <summary>Emitting C# and diagnostics.</summary>
            public const string Emit = "Gvnic.Emit";
        }

        /// <inheritdoc/>
        public void Initialize(IncrementalGeneratorInitializationContext context)
        {
            var texts = context.AdditionalTextsProvider
                .Combine(context.AnalyzerConfigOptionsProvider)
                .Where(static pair => SchemaFiles.IsSchema(pair.Left, pair.Right))
                .Select(static (pair, token) => new SchemaText(pair.Left.Path, pair.Left.GetText(token)?.ToString() ?? ""))
                .WithTrackingName(Steps.Text);
            var models = texts
                .Select(static (text, _) => new SchemaModel(text.Path, SchemaLoader.Load(text.Text)))
                .WithTrackingName(Steps.Model);
            var outputs = models
                .Select(static (model, _) => SchemaEmitter.Emit(model.Path, model.Schema))
                .WithTrackingName(Steps.Emit);
            context.RegisterSourceOutput(outputs, static (spc, output) =>
            {
                foreach (var d in output.Diagnostics) spc.ReportDiagnostic(SchemaDiagnostics.ToRoslyn(output.Path, d));
                foreach (var s in output.Sources) spc.AddSource(s.HintName, s.Text);
            });
        }

        private sealed record SchemaText(string Path, string Text);

        private sealed record SchemaModel(string Path, LoadedSchema Schema);
    }
}
