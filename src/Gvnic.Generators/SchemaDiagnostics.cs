using System.Collections.Generic;
using Gvnic.Schema;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.Text;
using RoslynSeverity = Microsoft.CodeAnalysis.DiagnosticSeverity;

namespace Gvnic.Generators
{
    /// <summary>Turns schema diagnostics into compiler diagnostics located in the YAML file.</summary>
    internal static class SchemaDiagnostics
    {
        private static readonly Dictionary<string, string> Titles = new Dictionary<string, string>
        {
            [DiagnosticIds.YamlSyntax] = "Schema YAML syntax error",
            [DiagnosticIds.UnknownType] = "Unknown type in schema",
            [DiagnosticIds.DuplicateName] = "Duplicate name in schema",
            [DiagnosticIds.FieldBeyondStruct] = "Field beyond struct size",
            [DiagnosticIds.Overlap] = "Overlapping fields outside a union",
            [DiagnosticIds.BitfieldBeyondContainer] = "Bit range beyond its container",
            [DiagnosticIds.ValueTooLarge] = "Value too large for its type",
            [DiagnosticIds.MissingByteOrder] = "Missing byte order",
            [DiagnosticIds.SizeMismatch] = "Declared size differs from laid-out size",
            [DiagnosticIds.UnmarkedGap] = "Gap not marked reserved",
            [DiagnosticIds.UnionMemberTooLarge] = "Union member larger than the union",
            [DiagnosticIds.InvalidValue] = "Invalid schema value",
            [DiagnosticIds.UnknownKey] = "Unknown schema key",
            [DiagnosticIds.BadSelector] = "Union selector does not resolve",
            [DiagnosticIds.MissingDoc] = "Missing doc string",
            [DiagnosticIds.RecursiveStruct] = "Struct contains itself",
            [DiagnosticIds.RegisterTypeWidth] = "Register type does not match its width",
            [DiagnosticIds.BadOptionList] = "Option list does not resolve",
            [DiagnosticIds.BadCount] = "Trailing array count does not resolve",
            [DiagnosticIds.BadTrailingArray] = "Trailing array out of place",
            [DiagnosticIds.BadMaxSize] = "max_size does not resolve or cannot hold the struct",
            [DiagnosticIds.InternalError] = "Internal generator error",
        };

        private static readonly Dictionary<string, DiagnosticDescriptor> Descriptors = new Dictionary<string, DiagnosticDescriptor>();

        private static DiagnosticDescriptor Descriptor(string id, Schema.DiagnosticSeverity severity)
        {
            string key = id + severity;
            lock (Descriptors)
            {
                if (!Descriptors.TryGetValue(key, out var descriptor))
                {
                    descriptor = new DiagnosticDescriptor(
                        id,
                        Titles.TryGetValue(id, out var title) ? title : id,
                        "{0}",
                        "GvnicSchema",
                        severity == Schema.DiagnosticSeverity.Error ? RoslynSeverity.Error : RoslynSeverity.Warning,
                        isEnabledByDefault: true,
                        helpLinkUri: "docs/diagnostics.md#" + id.ToLowerInvariant());
                    Descriptors.Add(key, descriptor);
                }
                return descriptor;
            }
        }

        public static Diagnostic ToRoslyn(string path, SchemaDiagnostic d)
        {
            var start = new LinePosition(d.At.Line - 1, d.At.Column - 1);
            var end = new LinePosition(d.At.Line - 1, d.At.Column - 1 + d.At.Length);
            var location = Location.Create(path, new TextSpan(d.At.Index, d.At.Length), new LinePositionSpan(start, end));
            return Diagnostic.Create(Descriptor(d.Id, d.Severity), location, d.Message);
        }
    }
}
