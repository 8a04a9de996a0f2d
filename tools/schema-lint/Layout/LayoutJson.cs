using System.Collections.Generic;
using System.IO;
using System.Text;
using System.Text.Encodings.Web;
using System.Text.Json;
using Gvnic.Schema;
using Gvnic.SchemaLint.Docs;

namespace Gvnic.SchemaLint.Layout;

/// <summary>
/// Writes a <see cref="SchemaLayout"/> as JSON for other tools. Every property is always present (null
/// when it does not apply) and the names never change meaning; docs/schema-lint.md lists them.
/// </summary>
public static class LayoutJson
{
    /// <summary>The version of the JSON format, written as <c>format_version</c>.</summary>
    public const int FormatVersion = 1;

    /// <summary>The JSON text of <paramref name="layout"/> (indented, '\n' line ends, ending with a newline).</summary>
    public static string Write(SchemaLayout layout)
    {
        var areas = AreaClassifier.Classify(layout.Document);
        using var stream = new MemoryStream();
        var options = new JsonWriterOptions { Indented = true, Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping, NewLine = "\n" };
        using (var json = new Utf8JsonWriter(stream, options))
        {
            var doc = layout.Document;
            json.WriteStartObject();
            json.WriteNumber("format_version", FormatVersion);
            json.WriteString("schema", doc.Name);
            json.WriteString("namespace", doc.Namespace);
            json.WriteStartArray("structs");
            foreach (var s in layout.Structs)
            {
                json.WriteStartObject();
                json.WriteString("name", s.Name);
                json.WriteNumber("size", s.Def.Size);
                json.WriteString("order", Order(s.Def.Order));
                json.WriteString("area", DocAreas.Key(areas[s.Name]));
                json.WriteString("csharp_name", Naming.Pascal(s.Name));
                WriteFields(json, "fields", s.Fields);
                if (s.MaxSize.HasValue) json.WriteNumber("max_size", s.MaxSize.Value);
                else json.WriteNull("max_size");
                if (s.Trailing is null)
                {
                    json.WriteNull("trailing");
                }
                else
                {
                    json.WriteStartObject("trailing");
                    json.WriteString("name", s.Trailing.Name);
                    json.WriteNumber("offset", s.Trailing.Offset);
                    json.WriteString("type", s.Trailing.Type);
                    json.WriteNumber("element_size", s.Trailing.ElementSize);
                    json.WriteString("counted_by", s.CountedBy);
                    if (s.Trailing.Order.HasValue) json.WriteString("order", Order(s.Trailing.Order));
                    else json.WriteNull("order");
                    if (s.MaxCount.HasValue) json.WriteNumber("max_count", s.MaxCount.Value);
                    else json.WriteNull("max_count");
                    json.WriteEndObject();
                }
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("register_blocks");
            foreach (var b in layout.Blocks)
            {
                json.WriteStartObject();
                json.WriteString("name", b.Name);
                json.WriteNumber("bar", b.Def.Bar);
                json.WriteString("order", Order(b.Def.Order));
                json.WriteStartArray("registers");
                foreach (var r in b.Registers)
                {
                    json.WriteStartObject();
                    json.WriteString("name", r.Def.Name);
                    json.WriteNumber("offset", r.Def.Offset);
                    json.WriteNumber("width", r.Def.Width);
                    json.WriteNumber("size", r.Bytes);
                    json.WriteString("access", r.Def.Access switch { RegisterAccess.Read => "read", RegisterAccess.Write => "write", _ => "read_write" });
                    json.WriteString("type", r.Def.Type ?? "u" + r.Def.Width);
                    json.WriteString("order", Order(r.Order));
                    if (r.Def.Stride.HasValue) json.WriteNumber("stride", r.Def.Stride.Value);
                    else json.WriteNull("stride");
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteStartArray("enums");
            foreach (var e in doc.Enums)
            {
                json.WriteStartObject();
                json.WriteString("name", e.Name);
                json.WriteString("type", e.Type);
                json.WriteBoolean("flags", e.Flags);
                json.WriteStartArray("values");
                foreach (var v in e.Values)
                {
                    json.WriteStartObject();
                    json.WriteString("name", v.Name);
                    json.WriteNumber("value", v.Value);
                    json.WriteEndObject();
                }
                json.WriteEndArray();
                json.WriteEndObject();
            }
            json.WriteEndArray();
            json.WriteEndObject();
        }
        return Encoding.UTF8.GetString(stream.ToArray()) + "\n";
    }

    private static void WriteFields(Utf8JsonWriter json, string property, IReadOnlyList<FieldLayout> fields)
    {
        json.WriteStartArray(property);
        foreach (var f in fields)
        {
            json.WriteStartObject();
            json.WriteString("name", f.Name);
            json.WriteNumber("offset", f.Offset);
            json.WriteNumber("size", f.Size);
            json.WriteString("type", f.Type);
            json.WriteString("kind", f.Kind switch { FieldKind.Integer => "integer", FieldKind.Enum => "enum", FieldKind.Struct => "struct", _ => "union" });
            if (f.Count.HasValue) json.WriteNumber("count", f.Count.Value);
            else json.WriteNull("count");
            json.WriteNumber("element_size", f.ElementSize);
            if (f.Order.HasValue) json.WriteString("order", Order(f.Order));
            else json.WriteNull("order");
            json.WriteString("reserved", Reserved(f.Reserved));
            json.WriteStartArray("bits");
            foreach (var b in f.Bits)
            {
                json.WriteStartObject();
                json.WriteString("name", b.Name);
                json.WriteNumber("lsb", b.Lsb);
                json.WriteNumber("msb", b.Msb);
                json.WriteNumber("width", b.Width);
                if (b.Type is null) json.WriteNull("type");
                else json.WriteString("type", b.Type);
                json.WriteString("reserved", Reserved(b.Reserved));
                json.WriteNumber("first_byte", b.FirstByte);
                json.WriteNumber("last_byte", b.LastByte);
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (f.Select is null) json.WriteNull("select");
            else json.WriteString("select", f.Select);
            json.WriteStartArray("when");
            foreach (var w in f.When) json.WriteStringValue(w);
            json.WriteEndArray();
            WriteFields(json, "members", f.Members);
            json.WriteEndObject();
        }
        json.WriteEndArray();
    }

    private static string Order(ByteOrder? order) => order == ByteOrder.Little ? "little" : "big";

    private static string Reserved(ReservedKind kind) => kind switch { ReservedKind.Zero => "zero", ReservedKind.Ignore => "ignore", _ => "none" };
}
