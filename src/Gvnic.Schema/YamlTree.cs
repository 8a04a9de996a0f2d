using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gvnic.Schema
{
    /// <summary>A YAML node with the place it came from.</summary>
    internal abstract class YamlNodeAt
    {
        protected YamlNodeAt(SourceSpan at) => At = at;

        /// <summary>Where the node starts.</summary>
        public SourceSpan At { get; }
    }

    /// <summary>A scalar: its text as written.</summary>
    internal sealed class YamlScalarAt : YamlNodeAt
    {
        public YamlScalarAt(string value, bool quoted, SourceSpan at) : base(at)
        {
            Value = value;
            Quoted = quoted;
        }

        public string Value { get; }

        public bool Quoted { get; }
    }

    /// <summary>A sequence of nodes.</summary>
    internal sealed class YamlSequenceAt : YamlNodeAt
    {
        public YamlSequenceAt(SourceSpan at) : base(at)
        {
        }

        public List<YamlNodeAt> Items { get; } = new List<YamlNodeAt>();
    }

    /// <summary>A mapping kept in file order; duplicate keys are kept so they can be reported.</summary>
    internal sealed class YamlMappingAt : YamlNodeAt
    {
        public YamlMappingAt(SourceSpan at) : base(at)
        {
        }

        public List<KeyValuePair<YamlScalarAt, YamlNodeAt>> Entries { get; } = new List<KeyValuePair<YamlScalarAt, YamlNodeAt>>();
    }

    /// <summary>
    /// Reads YAML into located nodes with YamlDotNet's event parser. Unlike YamlDotNet's
    /// representation model it keeps duplicate keys, so the validator can name both places.
    /// </summary>
    internal static class YamlTree
    {
        public static YamlNodeAt? Read(string text, List<SchemaDiagnostic> diagnostics)
        {
            try
            {
                var parser = new Parser(new StringReader(text));
                var anchors = new Dictionary<string, YamlNodeAt>(StringComparer.Ordinal);
                parser.Consume<StreamStart>();
                if (parser.Accept<StreamEnd>(out _))
                {
                    diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.YamlSyntax, DiagnosticSeverity.Error, "the schema file is empty", new SourceSpan(1, 1, 0, 0)));
                    return null;
                }
                parser.Consume<DocumentStart>();
                var root = ReadNode(parser, anchors);
                parser.Consume<DocumentEnd>();
                if (!parser.Accept<StreamEnd>(out _))
                {
                    var extra = parser.Current;
                    diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.YamlSyntax, DiagnosticSeverity.Error, "the schema must be a single YAML document", At(extra?.Start ?? Mark.Empty)));
                    return null;
                }
                return root;
            }
            catch (YamlException e)
            {
                diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.YamlSyntax, DiagnosticSeverity.Error, "YAML syntax: " + Describe(e), At(e.Start)));
                return null;
            }
        }

        private static string Describe(YamlException e)
        {
            // YamlDotNet prefixes its messages with the position; the diagnostic carries that already.
            var message = e.InnerException?.Message ?? e.Message;
            int close = message.IndexOf("): ", StringComparison.Ordinal);
            if (message.StartsWith("(", StringComparison.Ordinal) && close > 0)
            {
                message = message.Substring(close + 3);
            }
            return message;
        }

        internal static SourceSpan At(Mark mark)
            => new SourceSpan((int)Math.Max(1, mark.Line), (int)Math.Max(1, mark.Column), (int)Math.Max(0, mark.Index), 0);

        private static YamlNodeAt ReadNode(IParser parser, Dictionary<string, YamlNodeAt> anchors)
        {
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (anchors.TryGetValue(alias.Value.Value, out var target)) return target;
                throw new YamlException(alias.Start, alias.End, "alias *" + alias.Value.Value + " names no anchor");
            }
            if (parser.TryConsume<Scalar>(out var scalar))
            {
                var node = new YamlScalarAt(scalar.Value, scalar.Style != ScalarStyle.Plain, Span(scalar));
                Remember(anchors, scalar.Anchor, node);
                return node;
            }
            if (parser.TryConsume<SequenceStart>(out var seqStart))
            {
                var seq = new YamlSequenceAt(Span(seqStart));
                Remember(anchors, seqStart.Anchor, seq);
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    seq.Items.Add(ReadNode(parser, anchors));
                }
                return seq;
            }
            if (parser.TryConsume<MappingStart>(out var mapStart))
            {
                var map = new YamlMappingAt(Span(mapStart));
                Remember(anchors, mapStart.Anchor, map);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyNode = ReadNode(parser, anchors);
                    var value = ReadNode(parser, anchors);
                    if (keyNode is YamlScalarAt key)
                    {
                        map.Entries.Add(new KeyValuePair<YamlScalarAt, YamlNodeAt>(key, value));
                    }
                    else
                    {
                        throw new YamlException(Mark.Empty, Mark.Empty, "mapping keys must be plain names") ;
                    }
                }
                return map;
            }
            var current = parser.Current;
            throw new YamlException(current?.Start ?? Mark.Empty, current?.End ?? Mark.Empty, "unexpected " + (current?.GetType().Name ?? "end of input"));
        }

        private static SourceSpan Span(ParsingEvent e)
        {
            var start = At(e.Start);
            return new SourceSpan(start.Line, start.Column, start.Index, (int)Math.Max(0, e.End.Index - e.Start.Index));
        }

        private static void Remember(Dictionary<string, YamlNodeAt> anchors, AnchorName anchor, YamlNodeAt node)
        {
            if (!anchor.IsEmpty) anchors[anchor.Value] = node;
        }
    }
}
