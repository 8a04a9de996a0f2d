using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Globalization;
using System.Text;
using System.Text.Json;
using Gvnic.Cli.Schema;
using Gvnic.Wire;

namespace Gvnic.Cli.Commands;

/// <summary>
/// <c>gvnic encode TYPE FIELD=VALUE… [--json]</c>: builds a wire struct from zero bytes, storing each value by its
/// schema path through the generated setter, and prints the bytes in hex. For a message type with a trailing array
/// (a mailbox message) the value given to its counter sizes the message, and the elements are set by path
/// (<c>num_queues=2 queue_id=4,5</c>, <c>tx_queues[1].msix_index=2</c>).
/// </summary>
internal static class EncodeCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var type = new Argument<string>("TYPE") { Description = "A schema type name (see 'gvnic types'), e.g. tx_pkt_desc_dqo." };
        var assignments = new Argument<string[]>("FIELD=VALUE")
        {
            Description = "A field path (queue_id, mac[3], create_tx_queue.queue_id, ptypes[7].l3_type, a bit range by its name) and a value: "
                + "decimal, 0x hex, 0b binary, an enum value name, flag names joined with '|', true/false; a whole byte array as colon-separated hex (mac=42:01:0a:00:00:02) "
                + "or any array as comma-separated values.",
            Arity = ArgumentArity.ZeroOrMore,
        };
        var json = new Option<bool>("--json") { Description = "Write JSON: {type, size, hex, set: [{path, value}]}." };
        var command = new Command("encode", "Encode a schema type from FIELD=VALUE pairs (every other byte zero) and print the bytes in hex.") { type, assignments, json };
        command.SetAction(p => GvnicApp.Guard(context, () => Run(context, p.GetValue(type)!, p.GetValue(assignments) ?? [], p.GetValue(json))));
        return command;
    }

    /// <summary>Encodes <paramref name="assignments"/> into a zeroed <paramref name="typeName"/>; errors name the FIELD or VALUE.</summary>
    public static byte[] Encode(string typeName, IReadOnlyList<string> assignments, out WireType type, out List<(string Path, ulong Value)> stored)
    {
        type = Catalog.RequireType(typeName);
        var bytes = new byte[MessageLength(type, assignments)];
        var resolver = new PathResolver(type);
        if (type.Trailing is WireField trailing)
        {
            // The counter first, so the elements it states have rows (and room) before they are set.
            foreach (var assignment in assignments)
            {
                int at = assignment.IndexOf('=');
                if (at < 0 || assignment[..at].Trim() != trailing.CountedBy) continue;
                var counter = resolver.Resolve(trailing.CountedBy, "FIELD")[0];
                Store(type, bytes, counter, ValueText.Parse(counter, assignment[(at + 1)..].Trim(), "VALUE of " + trailing.CountedBy));
            }
            resolver = new PathResolver(type, bytes);
        }
        stored = new List<(string, ulong)>();
        foreach (var assignment in assignments)
        {
            int eq = assignment.IndexOf('=');
            if (eq < 0)
            {
                var named = resolver.Resolve(assignment.Trim(), "FIELD");
                throw new UsageException("FIELD=VALUE '" + assignment + "' has no value; write e.g. " + named[0].Path + "=" + (named[0].Field.Kind == WireFieldKind.Bool ? "true" : "1"));
            }
            string path = assignment[..eq].Trim();
            string text = assignment[(eq + 1)..].Trim();
            if (path.Length == 0) throw new UsageException("FIELD=VALUE '" + assignment + "' has no field name before '='");
            var rows = resolver.Resolve(path, "FIELD");
            if (rows.Count == 1)
            {
                ulong value = ValueText.Parse(rows[0], text, "VALUE of " + rows[0].Path);
                Store(type, bytes, rows[0], value);
                stored.Add((rows[0].Path, value));
                continue;
            }
            // A whole array: colon-separated hex bytes for a byte array, else comma-separated values.
            bool colonBytes = rows[0].Field.Size == 1 && text.Contains(':', StringComparison.Ordinal);
            var parts = colonBytes ? text.Split(':') : text.Split(',', StringSplitOptions.TrimEntries);
            if (parts.Length > rows.Count)
                throw new UsageException("VALUE of " + path + ": " + parts.Length + " values for an array of " + rows.Count);
            for (int i = 0; i < parts.Length; i++)
            {
                string part = colonBytes ? "0x" + parts[i].Trim() : parts[i];
                if (colonBytes && (parts[i].Trim().Length is 0 or > 2))
                    throw new UsageException("VALUE of " + path + ": '" + parts[i] + "' is not a hex byte (write e.g. 42:01:0a:00:00:02)");
                ulong value = ValueText.Parse(rows[i], part, "VALUE of " + rows[i].Path);
                Store(type, bytes, rows[i], value);
                stored.Add((rows[i].Path, value));
            }
        }
        return bytes;
    }

    /// <summary>
    /// The bytes to encode: the type's size, and for a message type the elements its counter's assignment states, which
    /// must fit the type's max_size (or 64 KiB without one).
    /// </summary>
    private static int MessageLength(WireType type, IReadOnlyList<string> assignments)
    {
        if (type.Trailing is not WireField trailing) return type.Size;
        var counter = new PathResolver(type).Resolve(trailing.CountedBy!, "FIELD")[0];
        ulong count = 0;
        foreach (var assignment in assignments)
        {
            int at = assignment.IndexOf('=');
            if (at > 0 && assignment[..at].Trim() == trailing.CountedBy)
                count = ValueText.Parse(counter, assignment[(at + 1)..].Trim(), "VALUE of " + trailing.CountedBy);
        }
        int max = type.MaxSize ?? 65536;
        ulong room = (ulong)(max - type.Size) / (ulong)trailing.Size;
        if (count > room)
            throw new UsageException("VALUE of " + trailing.CountedBy + ": " + count + " elements of " + trailing.Name + " (" + trailing.Size + " bytes each) do not fit the " + max + " bytes of a " + type.Name + "; at most " + room);
        return type.Size + (int)count * trailing.Size;
    }

    private static void Store(WireType type, byte[] bytes, SchemaRow row, ulong value)
    {
        var result = type.Set(bytes, row.Path, value);
        switch (result)
        {
            case WireSetResult.Ok:
                return;
            case WireSetResult.OutOfRange:
                throw new UsageException("VALUE of " + row.Path + ": " + value.ToString(CultureInfo.InvariantCulture) + " is out of range; " + ValueText.Allowed(row));
            case WireSetResult.NotAValue:
                throw new UsageException("FIELD '" + row.Path + "' is a struct or union, not a value");
            default:
                throw new UsageException("FIELD '" + row.Path + "' is not a field of " + type.Name);
        }
    }

    /// <summary>Encodes and writes; returns the exit code.</summary>
    public static int Run(CliContext context, string typeName, IReadOnlyList<string> assignments, bool json)
    {
        var bytes = Encode(typeName, assignments, out var type, out var stored);
        var issues = new List<WireIssue>();
        type.Validate(bytes, issues);
        TrailingArray.Check(type, bytes, issues);
        if (!json)
        {
            context.Out.WriteLine(HexInput.Format(bytes));
            foreach (var issue in issues) context.Error.WriteLine("gvnic: warning: " + DecodeCommand.Describe(issue));
            return ExitCodes.Ok;
        }
        using var stream = new System.IO.MemoryStream();
        using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
        {
            w.WriteStartObject();
            w.WriteString("type", type.Name);
            w.WriteNumber("size", bytes.Length);
            w.WriteString("hex", HexInput.Format(bytes));
            w.WriteStartArray("set");
            foreach (var (path, value) in stored)
            {
                w.WriteStartObject();
                w.WriteString("path", path);
                w.WriteNumber("value", value);
                w.WriteEndObject();
            }
            w.WriteEndArray();
            w.WriteStartArray("warnings");
            foreach (var issue in issues) w.WriteStringValue(DecodeCommand.Describe(issue));
            w.WriteEndArray();
            w.WriteEndObject();
        }
        context.Out.WriteLine(Encoding.UTF8.GetString(stream.ToArray()));
        return ExitCodes.Ok;
    }
}
