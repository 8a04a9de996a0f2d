using System.CommandLine;
using System.Linq;
using System.Text.Json;
using Gvnic.Wire;
using Spectre.Console;

namespace Gvnic.Cli.Commands;

/// <summary><c>gvnic types [--json]</c>: every struct the schema defines, with its size and byte order.</summary>
internal static class TypesCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var json = new Option<bool>("--json") { Description = "Write JSON: [{name, size, order, fields, doc}]." };
        var command = new Command("types", "List every type the schema defines, with its size in bytes.") { json };
        command.SetAction(p => GvnicApp.Guard(context, () => Run(context, p.GetValue(json))));
        return command;
    }

    /// <summary>Writes the list; returns the exit code.</summary>
    public static int Run(CliContext context, bool json)
    {
        if (json)
        {
            using var stream = new System.IO.MemoryStream();
            using (var w = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                w.WriteStartArray();
                foreach (var type in GvnicCatalog.Types)
                {
                    w.WriteStartObject();
                    w.WriteString("name", type.Name);
                    w.WriteNumber("size", type.Size);
                    w.WriteString("order", type.Order);
                    w.WriteNumber("fields", type.Fields.Count);
                    w.WriteString("doc", type.Doc);
                    w.WriteEndObject();
                }
                w.WriteEndArray();
            }
            context.Out.WriteLine(System.Text.Encoding.UTF8.GetString(stream.ToArray()));
            return ExitCodes.Ok;
        }
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("Type");
        table.AddColumn(new TableColumn("Size").RightAligned());
        table.AddColumn("Order");
        table.AddColumn("Description");
        foreach (var type in GvnicCatalog.Types)
            table.AddRow(new Text(type.Name), new Text(type.Size.ToString(System.Globalization.CultureInfo.InvariantCulture)), new Text(type.Order), new Text(type.Doc));
        context.Console.Write(table);
        context.Console.WriteLine(GvnicCatalog.Types.Count + " types, " + GvnicCatalog.Enums.Count + " enums. Decode one with 'gvnic decode TYPE HEX', build one with 'gvnic encode TYPE FIELD=VALUE...'.");
        return ExitCodes.Ok;
    }
}
