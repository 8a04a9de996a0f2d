using System;
using System.Collections.Generic;
using System.Text;

namespace Gvnic.Schema
{
    /// <summary>Parses and validates schema text in one call: what the generator and schema-lint both use.</summary>
    public static class SchemaLoader
    {
        /// <summary>Loads <paramref name="text"/>. Never throws: an unexpected failure becomes GVNIC099.</summary>
        public static LoadedSchema Load(string text)
        {
            var diagnostics = new List<SchemaDiagnostic>();
            try
            {
                var (document, parseDiagnostics) = SchemaParser.Parse(text);
                diagnostics.AddRange(parseDiagnostics);
                if (document != null) diagnostics.AddRange(SchemaValidator.Validate(document));
                // A stable order (by place in the file, then id) so the same schema always reports the same list.
                // Messages quote schema text, which may hold line breaks: a diagnostic stays one line.
                var sorted = new SchemaDiagnostic[diagnostics.Count];
                for (int i = 0; i < sorted.Length; i++) sorted[i] = diagnostics[i] with { Message = OneLine(diagnostics[i].Message) };
                var keys = new long[sorted.Length];
                for (int i = 0; i < sorted.Length; i++) keys[i] = ((long)sorted[i].At.Index << 20) | (long)i;
                Array.Sort(keys, sorted);
                return new LoadedSchema(document, new EquatableArray<SchemaDiagnostic>(sorted));
            }
            catch (Exception e)
            {
                diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.InternalError, DiagnosticSeverity.Error,
                    "internal error while reading the schema (" + e.GetType().Name + ": " + OneLine(e.Message) + "); please report it with the schema", new SourceSpan(1, 1, 0, 0)));
                return new LoadedSchema(null, new EquatableArray<SchemaDiagnostic>(diagnostics.ToArray()));
            }
        }

        /// <summary><paramref name="message"/> with line breaks and other control characters escaped.</summary>
        private static string OneLine(string message)
        {
            StringBuilder? sb = null;
            for (int i = 0; i < message.Length; i++)
            {
                char c = message[i];
                bool escape = char.IsControl(c) || c == '\u2028' || c == '\u2029';
                if (escape && sb is null) sb = new StringBuilder(message, 0, i, message.Length + 16);
                if (sb is null) continue;
                if (c == '\n') sb.Append("\\n");
                else if (c == '\r') sb.Append("\\r");
                else if (c == '\t') sb.Append("\\t");
                else if (escape) sb.Append("\\u").Append(((int)c).ToString("x4"));
                else sb.Append(c);
            }
            return sb?.ToString() ?? message;
        }
    }
}
