using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Text;
using YamlDotNet.RepresentationModel;

namespace Gvnic.SchemaFuzz.Tests;

/// <summary>
/// A small mutable YAML tree for structure mutations: cheap to clone, and serialisable to any shape a
/// mutation makes (non-scalar keys, anchors and aliases, cycles through aliases, deep nesting).
/// </summary>
internal abstract class FNode
{
    /// <summary>An anchor (<c>&amp;name</c>) written before the node, or null.</summary>
    public string? Anchor { get; set; }

    public abstract FNode Clone();

    /// <summary>Reads a YamlDotNet representation-model node.</summary>
    public static FNode From(YamlNode node) => node switch
    {
        YamlScalarNode s => new FScalar(s.Value ?? "", s.Style is YamlDotNet.Core.ScalarStyle.Plain or YamlDotNet.Core.ScalarStyle.Any),
        YamlSequenceNode q => new FSequence(q.Children.Select(From).ToList()),
        YamlMappingNode m => new FMapping(m.Children.Select(kv => new FEntry(From(kv.Key), From(kv.Value))).ToList()),
        _ => new FScalar("", true),
    };

    /// <summary>Parses YAML text with YamlDotNet's representation model.</summary>
    public static FNode Parse(string text)
    {
        var stream = new YamlStream();
        stream.Load(new StringReader(text));
        return From(stream.Documents[0].RootNode);
    }
}

/// <summary>A scalar; <see cref="Plain"/> ones are written unquoted when that reads back the same.</summary>
internal sealed class FScalar(string value, bool plain) : FNode
{
    public string Value { get; set; } = value;

    public bool Plain { get; set; } = plain;

    public override FNode Clone() => new FScalar(Value, Plain) { Anchor = Anchor };
}

/// <summary>A sequence.</summary>
internal sealed class FSequence(List<FNode> items) : FNode
{
    public List<FNode> Items { get; } = items;

    public override FNode Clone() => new FSequence(Items.Select(i => i.Clone()).ToList()) { Anchor = Anchor };
}

/// <summary>A mapping entry; the key may be any node (a mutation can make it a mapping).</summary>
internal sealed class FEntry(FNode key, FNode value)
{
    public FNode Key { get; set; } = key;

    public FNode Value { get; set; } = value;

    public FEntry Clone() => new(Key.Clone(), Value.Clone());
}

/// <summary>A mapping in file order; duplicate keys are allowed (a mutation makes them).</summary>
internal sealed class FMapping(List<FEntry> entries) : FNode
{
    public List<FEntry> Entries { get; } = entries;

    public FScalar? Get(string key) => Entries.FirstOrDefault(e => e.Key is FScalar k && k.Value == key)?.Value as FScalar;

    public FNode? GetNode(string key) => Entries.FirstOrDefault(e => e.Key is FScalar k && k.Value == key)?.Value;

    public override FNode Clone() => new FMapping(Entries.Select(e => e.Clone()).ToList()) { Anchor = Anchor };
}

/// <summary>An alias (<c>*name</c>) to an anchor elsewhere in the tree.</summary>
internal sealed class FAlias(string name) : FNode
{
    public string Name { get; } = name;

    public override FNode Clone() => new FAlias(Name);
}

/// <summary>Writes an <see cref="FNode"/> tree as YAML in flow style, an item down to fields a line, for readable excerpts.</summary>
internal static class FWriter
{
    public static string Write(FNode root)
    {
        var sb = new StringBuilder();
        Write(sb, root, 0);
        sb.Append('\n');
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, FNode node, int depth)
    {
        if (node is FAlias alias)
        {
            sb.Append('*').Append(alias.Name);
            return;
        }
        if (node.Anchor != null) sb.Append('&').Append(node.Anchor).Append(' ');
        switch (node)
        {
            case FScalar s:
                Scalar(sb, s);
                break;
            case FSequence q:
                sb.Append('[');
                for (int i = 0; i < q.Items.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    NewLine(sb, depth + 1);
                    Write(sb, q.Items[i], depth + 1);
                }
                sb.Append(']');
                break;
            case FMapping m:
                sb.Append('{');
                for (int i = 0; i < m.Entries.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    NewLine(sb, depth + 1);
                    var e = m.Entries[i];
                    if (e.Key is FScalar) Write(sb, e.Key, depth + 1);
                    else
                    {
                        sb.Append("? ");
                        Write(sb, e.Key, depth + 1);
                        NewLine(sb, depth + 1);
                    }
                    sb.Append(": ");
                    Write(sb, e.Value, depth + 1);
                }
                sb.Append('}');
                break;
        }
    }

    private static void NewLine(StringBuilder sb, int depth)
    {
        // Items down to fields start a line, so failure excerpts read; deeper ones (and indentation) would only
        // make the text longer and slower to parse.
        if (depth <= 5) sb.Append('\n');
    }

    private static void Scalar(StringBuilder sb, FScalar s)
    {
        if (s.Plain && IsSafePlain(s.Value))
        {
            sb.Append(s.Value);
            return;
        }
        sb.Append('"');
        foreach (char c in s.Value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                default:
                    if (c < 0x20 || c == 0x7f || (c >= 0x80 && c < 0xa0) || char.IsSurrogate(c) || c == '\u2028' || c == '\u2029' || c == '\ufeff')
                        sb.Append("\\u").Append(((int)c).ToString("x4"));
                    else sb.Append(c);
                    break;
            }
        }
        sb.Append('"');
    }

    /// <summary>Whether <paramref name="v"/> reads back as the same plain scalar inside flow collections.</summary>
    private static bool IsSafePlain(string v)
    {
        if (v.Length == 0) return false;
        foreach (char c in v)
        {
            if (!(char.IsAsciiLetterOrDigit(c) || c == '_' || c == '.' || c == '-')) return false;
        }
        if (v[0] == '-') return v.Length > 1 && char.IsAsciiDigit(v[1]);
        return v[0] != '.';
    }
}
