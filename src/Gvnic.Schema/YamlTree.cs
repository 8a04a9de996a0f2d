using System;
using System.Collections.Generic;
using System.IO;
using YamlDotNet.Core;
using YamlDotNet.Core.Events;

namespace Gvnic.Schema
{
    /// <summary>
    /// Reads YAML into located nodes with YamlDotNet's event parser. Unlike YamlDotNet's
    /// representation model it keeps duplicate keys, so the validator can name both places.
    /// </summary>
    internal static class YamlTree
    {
        /// <summary>
        /// Deepest nesting read. The schema language needs 7 levels (structs, a struct, fields, a field, union, a
        /// member, when); the limit keeps a hostile file from exhausting the stack, which no handler can catch.
        /// </summary>
        public const int MaxDepth = 64;

        /// <summary>
        /// Most nodes the document may stand for once aliases are expanded (the gVNIC schema has about 15,000),
        /// so a few lines of nested aliases (a "billion laughs") cannot make the checks run for hours.
        /// </summary>
        public const long MaxExpandedNodes = 250_000;

        public static YamlNodeAt? Read(string text, List<SchemaDiagnostic> diagnostics)
        {
            var state = new ReadState(new TextLines(text));
            var scanner = new Scanner(new StringReader(text));
            try
            {
                var parser = new Parser(scanner);
                parser.Consume<StreamStart>();
                if (parser.Accept<StreamEnd>(out _))
                {
                    diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.YamlSyntax, DiagnosticSeverity.Error, "the schema file is empty", state.Lines.At(0, 0)));
                    return null;
                }
                parser.Consume<DocumentStart>();
                var root = ReadNode(parser, state, 1);
                parser.Consume<DocumentEnd>();
                if (!parser.Accept<StreamEnd>(out _))
                {
                    var extra = parser.Current;
                    diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.YamlSyntax, DiagnosticSeverity.Error, "the schema must be a single YAML document",
                        state.At(extra?.Start ?? scanner.CurrentPosition)));
                    return null;
                }
                return root;
            }
            catch (YamlException e)
            {
                diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.YamlSyntax, DiagnosticSeverity.Error, "YAML syntax: " + Describe(e), state.At(e.Start)));
                return null;
            }
            catch (Exception e) when (e is InvalidOperationException || e is ArgumentException || e is IndexOutOfRangeException || e is FormatException || e is OverflowException)
            {
                // YamlDotNet's scanner fails this way on some malformed input (e.g. "- {\nm"); it is still a syntax error at the place it stopped.
                diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.YamlSyntax, DiagnosticSeverity.Error,
                    "YAML syntax: the YAML reader cannot go on from here (" + e.GetType().Name + "); check the brackets, quotes and indentation before this point",
                    state.At(scanner.CurrentPosition)));
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

        /// <summary>
        /// What one read keeps: the text's lines, the anchors seen so far, the nodes still being read (an alias to
        /// one of them would make a cycle) and how many nodes the document stands for with aliases expanded.
        /// </summary>
        private sealed class ReadState
        {
            public ReadState(TextLines lines) => Lines = lines;

            public TextLines Lines { get; }

            public Dictionary<string, YamlNodeAt> Anchors { get; } = new Dictionary<string, YamlNodeAt>(StringComparer.Ordinal);

            public HashSet<YamlNodeAt> Open { get; } = new HashSet<YamlNodeAt>();

            public long Expanded { get; private set; }

            public SourceSpan At(Mark mark) => Lines.At(mark.Index, 0);

            public SourceSpan Span(ParsingEvent e) => Lines.At(e.Start.Index, e.End.Index - e.Start.Index);

            public void Count(ParsingEvent e, long nodes)
            {
                Expanded += nodes;
                if (Expanded > MaxExpandedNodes)
                {
                    throw new YamlException(e.Start, e.End, "the schema stands for more than " + MaxExpandedNodes + " YAML nodes once its aliases are expanded; write the items out or use fewer nested aliases");
                }
            }

            public void Remember(AnchorName anchor, YamlNodeAt node)
            {
                if (!anchor.IsEmpty) Anchors[anchor.Value] = node;
            }
        }

        private static YamlNodeAt ReadNode(IParser parser, ReadState state, int depth)
        {
            if (parser.TryConsume<AnchorAlias>(out var alias))
            {
                if (!state.Anchors.TryGetValue(alias.Value.Value, out var target))
                {
                    throw new YamlException(alias.Start, alias.End, "alias *" + alias.Value.Value + " names no anchor");
                }
                if (state.Open.Contains(target))
                {
                    throw new YamlException(alias.Start, alias.End, "alias *" + alias.Value.Value + " is inside the node it names: a schema cannot contain itself");
                }
                state.Count(alias, target.Expanded);
                return target;
            }
            if (parser.TryConsume<Scalar>(out var scalar))
            {
                var node = new YamlScalarAt(scalar.Value, scalar.Style != ScalarStyle.Plain, state.Span(scalar));
                state.Remember(scalar.Anchor, node);
                state.Count(scalar, 1);
                return node;
            }
            var start = parser.Current;
            if (start is NodeEvent && depth > MaxDepth)
            {
                throw new YamlException(start.Start, start.End, "nesting deeper than " + MaxDepth + " levels; the schema language needs far fewer");
            }
            if (parser.TryConsume<SequenceStart>(out var seqStart))
            {
                var seq = new YamlSequenceAt(state.Span(seqStart));
                state.Remember(seqStart.Anchor, seq);
                state.Count(seqStart, 1);
                state.Open.Add(seq);
                while (!parser.TryConsume<SequenceEnd>(out _))
                {
                    var item = ReadNode(parser, state, depth + 1);
                    seq.Items.Add(item);
                    seq.Expanded += item.Expanded;
                }
                state.Open.Remove(seq);
                return seq;
            }
            if (parser.TryConsume<MappingStart>(out var mapStart))
            {
                var map = new YamlMappingAt(state.Span(mapStart));
                state.Remember(mapStart.Anchor, map);
                state.Count(mapStart, 1);
                state.Open.Add(map);
                while (!parser.TryConsume<MappingEnd>(out _))
                {
                    var keyEvent = parser.Current;
                    var keyNode = ReadNode(parser, state, depth + 1);
                    if (!(keyNode is YamlScalarAt key))
                    {
                        throw new YamlException(keyEvent?.Start ?? mapStart.Start, keyEvent?.End ?? mapStart.End, "a mapping key must be a name, not a list or a mapping");
                    }
                    var value = ReadNode(parser, state, depth + 1);
                    map.Entries.Add(new KeyValuePair<YamlScalarAt, YamlNodeAt>(key, value));
                    map.Expanded += keyNode.Expanded + value.Expanded;
                }
                state.Open.Remove(map);
                return map;
            }
            var current = parser.Current;
            throw new YamlException(current?.Start ?? Mark.Empty, current?.End ?? Mark.Empty, "unexpected " + (current?.GetType().Name ?? "end of input"));
        }
    }
}
