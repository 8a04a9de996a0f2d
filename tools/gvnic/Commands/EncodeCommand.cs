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
/// schema path through the generated setter, and prints the bytes in hex.
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
        var bytes = new byte[type.Size];
        var resolver = new PathResolver(type);
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
            w.WriteNumber("size", type.Size);
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
