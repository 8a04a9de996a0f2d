using System;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Diagnostics;

namespace Gvnic.Generators
{
    /// <summary>
    /// Decides which AdditionalFiles are schemas. With the Gvnic build integration (the package's
    /// <c>build/Gvnic.Sdk.props</c>, which sets the <c>GvnicSchemaItems</c> property) only files that came from
    /// a <c>GvnicSchema</c> item (metadata <c>GvnicSchema=true</c>) are schemas, so other YAML AdditionalFiles of
    /// a consumer are left alone. Without it (a bare analyzer reference, the generator tests) every
    /// <c>.yaml</c>/<c>.yml</c> AdditionalFile is a schema.
    /// </summary>
    internal static class SchemaFiles
    {
        /// <summary>The global option the build integration sets: only <c>GvnicSchema</c> items are schemas.</summary>
        public const string ItemsOnlyOption = "build_property.GvnicSchemaItems";

        /// <summary>The per-file option carrying the <c>GvnicSchema</c> metadata of an AdditionalFiles item.</summary>
        public const string FileMetadataOption = "build_metadata.AdditionalFiles.GvnicSchema";

        public static bool IsSchema(AdditionalText file, AnalyzerConfigOptionsProvider options)
        {
            if (options.GlobalOptions.TryGetValue(ItemsOnlyOption, out var itemsOnly) && IsTrue(itemsOnly))
                return options.GetOptions(file).TryGetValue(FileMetadataOption, out var marked) && IsTrue(marked);
            return file.Path.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || file.Path.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        }

        private static bool IsTrue(string value) => string.Equals(value.Trim(), "true", StringComparison.OrdinalIgnoreCase);
    }
}
