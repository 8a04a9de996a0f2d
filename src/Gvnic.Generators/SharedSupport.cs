using Microsoft.CodeAnalysis;

namespace Gvnic.Generators
{
    /// <summary>
    /// Finds the public support types (<c>IMmioRegion</c>, <c>WireIssue</c>, <c>WireType</c>, …) in a referenced
    /// assembly. Gvnic.Sdk.dll carries them in <c>Gvnic.Wire</c>; a project that references it and brings a
    /// schema of its own must use those (one <c>WireIssue</c>, one <c>WireType</c> for every schema) rather than
    /// declare a second copy. Its generated code then imports <c>Gvnic.Wire</c> and declares only the internal
    /// helpers (byte order, throw helpers, path parsing) in its own namespace.
    /// </summary>
    internal static class SharedSupport
    {
        /// <summary>The namespace of the standard schema, where Gvnic.Sdk.dll declares the support types.</summary>
        public const string Namespace = "Gvnic.Wire";

        private static readonly string[] Markers = { "IMmioRegion", "WireIssue", "WireIssueKind", "WireType", "WireField", "WireEnum", "WireSetResult" };

        /// <summary>
        /// <see cref="Namespace"/> when every public support type is declared public in a referenced assembly
        /// (not in the compilation itself), else null: the generated code then declares its own.
        /// </summary>
        public static string? Find(Compilation compilation)
        {
            foreach (var marker in Markers)
            {
                var type = compilation.GetTypeByMetadataName(Namespace + "." + marker);
                if (type is null || type.DeclaredAccessibility != Accessibility.Public || SymbolEqualityComparer.Default.Equals(type.ContainingAssembly, compilation.Assembly))
                    return null;
            }
            return Namespace;
        }
    }
}
