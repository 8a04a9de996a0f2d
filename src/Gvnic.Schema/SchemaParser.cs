using System;
using System.Collections.Generic;
using System.Globalization;

namespace Gvnic.Schema
{
    /// <summary>
    /// Turns schema YAML into a <see cref="SchemaDocument"/>. Structural problems (a missing key, a
    /// value of the wrong form) are reported with their location; the parser never throws on bad input.
    /// Layout rules are the <see cref="SchemaValidator"/>'s job.
    /// </summary>
    public static class SchemaParser
    {
        private static readonly string[] RootKeys = { "schema", "namespace", "doc", "constants", "enums", "structs", "register_blocks", "option_lists" };
        private static readonly string[] ConstantKeys = { "name", "type", "value", "doc" };
        private static readonly string[] EnumKeys = { "name", "type", "flags", "doc", "values" };
        private static readonly string[] EnumValueKeys = { "name", "value", "doc" };
        private static readonly string[] StructKeys = { "name", "size", "max_size", "order", "doc", "upstream", "fields" };
        private static readonly string[] FieldKeys = { "name", "at", "type", "count", "counted_by", "order", "reserved", "bits", "union", "size", "select", "doc" };
        private static readonly string[] MemberKeys = { "name", "type", "count", "order", "reserved", "bits", "when", "doc" };
        private static readonly string[] BitKeys = { "name", "at", "width", "type", "reserved", "doc" };
        private static readonly string[] BlockKeys = { "name", "bar", "order", "doc", "registers" };
        private static readonly string[] RegisterKeys = { "name", "offset", "width", "access", "type", "order", "stride", "doc" };
        private static readonly string[] OptionListKeys = { "name", "header", "id", "length", "doc", "options" };
        private static readonly string[] OptionKeys = { "id", "payload", "min_length", "requires", "doc" };

        /// <summary>Parses <paramref name="text"/>; <c>Document</c> is null when the YAML itself is unusable.</summary>
        public static (SchemaDocument? Document, List<SchemaDiagnostic> Diagnostics) Parse(string text)
        {
            var diagnostics = new List<SchemaDiagnostic>();
            var root = YamlTree.Read(text, diagnostics);
            if (root is null) return (null, diagnostics);
            var reader = new Reader(diagnostics);
            if (!(root is YamlMappingAt map))
            {
                reader.Error(root.At, "the schema must be a mapping with schema:, namespace:, enums:, structs: and so on");
                return (null, diagnostics);
            }
            return (reader.ReadDocument(map), diagnostics);
        }

        private sealed class Reader
        {
            private readonly List<SchemaDiagnostic> _diagnostics;

            public Reader(List<SchemaDiagnostic> diagnostics) => _diagnostics = diagnostics;

            public void Error(SourceSpan at, string message)
                => _diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.InvalidValue, DiagnosticSeverity.Error, message, at));

            public SchemaDocument ReadDocument(YamlMappingAt map)
            {
                CheckKeys(map, RootKeys, "the schema");
                string name = RequiredName(map, "the schema", "schema") ?? "schema";
                string ns = RequiredString(map, "namespace", "the schema") ?? "Generated";
                if (!IsNamespace(ns)) Error(Get(map, "namespace")!.At, "namespace: '" + ns + "' is not a C# namespace; write identifiers separated by '.', e.g. Gvnic.Wire");
                string doc = Doc(map, "the schema '" + name + "'");
                return new SchemaDocument(
                    name,
                    ns,
                    doc,
                    ReadList(map, "constants", ReadConstant),
                    ReadList(map, "enums", ReadEnum),
                    ReadList(map, "structs", ReadStruct),
                    ReadList(map, "register_blocks", ReadBlock),
                    ReadList(map, "option_lists", ReadOptionList));
            }

            private ConstantDef? ReadConstant(YamlMappingAt map)
            {
                CheckKeys(map, ConstantKeys, "a constant");
                var name = RequiredName(map, "a constant");
                if (name is null) return null;
                var type = RequiredString(map, "type", "constant '" + name + "'") ?? "u64";
                var valueNode = Get(map, "value");
                ulong value = 0;
                if (valueNode is null) Error(map.At, "constant '" + name + "' has no value:");
                else value = Number(valueNode, "value of constant '" + name + "'") ?? 0;
                return new ConstantDef(name, type, value, Doc(map, "constant '" + name + "'"), map.At, valueNode?.At ?? map.At);
            }

            private EnumDef? ReadEnum(YamlMappingAt map)
            {
                CheckKeys(map, EnumKeys, "an enum");
                var name = RequiredName(map, "an enum");
                if (name is null) return null;
                var type = RequiredString(map, "type", "enum '" + name + "'") ?? "u32";
                bool flags = Bool(map, "flags", "enum '" + name + "'");
                var values = ReadList(map, "values", v => ReadEnumValue(v, name));
                if (values.Count == 0) Error(map.At, "enum '" + name + "' has no values:");
                return new EnumDef(name, type, flags, Doc(map, "enum '" + name + "'"), values, map.At);
            }

            private EnumValueDef? ReadEnumValue(YamlMappingAt map, string enumName)
            {
                CheckKeys(map, EnumValueKeys, "an enum value");
                var name = RequiredName(map, "a value of enum '" + enumName + "'");
                if (name is null) return null;
                var node = Get(map, "value");
                ulong value = 0;
                if (node is null) Error(map.At, "value '" + name + "' of enum '" + enumName + "' has no value:");
                else value = Number(node, "value '" + name + "' of enum '" + enumName + "'") ?? 0;
                return new EnumValueDef(name, value, Doc(map, "value '" + enumName + "." + name + "'"), map.At, node?.At ?? map.At);
            }

            private StructDef? ReadStruct(YamlMappingAt map)
            {
                CheckKeys(map, StructKeys, "a struct");
                var name = RequiredName(map, "a struct");
                if (name is null) return null;
                var sizeNode = Get(map, "size");
                int size = 0;
                if (sizeNode is null) Error(map.At, "struct '" + name + "' has no size:");
                else size = Int(sizeNode, "size of struct '" + name + "'") ?? -1; // -1: already reported
                var order = Order(map, "struct '" + name + "'");
                var fields = ReadList(map, "fields", f => ReadField(f, name, isMember: false));
                if (Get(map, "fields") is null) Error(map.At, "struct '" + name + "' has no fields:");
                var upstream = OptionalString(map, "upstream");
                string? maxSize = null;
                var maxNode = Get(map, "max_size");
                if (maxNode is YamlScalarAt maxScalar && !maxScalar.Quoted && maxScalar.Value.Length > 0) maxSize = maxScalar.Value;
                else if (maxNode != null) Error(maxNode.At, "max_size: of struct '" + name + "' must be a number of bytes or the name of a constant, e.g. max_size: 4096");
                return new StructDef(name, size, order, Doc(map, "struct '" + name + "'"), upstream, fields, map.At, sizeNode?.At ?? map.At)
                {
                    MaxSizeText = maxSize,
                    MaxSizeAt = maxNode?.At ?? map.At,
                };
            }

            private FieldDef? ReadField(YamlMappingAt map, string owner, bool isMember)
            {
                CheckKeys(map, isMember ? MemberKeys : FieldKeys, isMember ? "a union member" : "a field");
                var name = RequiredName(map, (isMember ? "a union member in '" : "a field of '") + owner + "'");
                if (name is null) return null;
                string what = (isMember ? "union member '" : "field '") + owner + "." + name + "'";
                int offset = isMember ? 0 : RequiredInt(map, "at", what, 0, " (its byte offset)");
                var unionNode = Get(map, "union");
                var typeNode = Get(map, "type");
                string type = "";
                if (typeNode is YamlScalarAt typeScalar) type = typeScalar.Value;
                else if (typeNode != null) Error(typeNode.At, "type: of " + what + " must be a type name");
                else if (unionNode is null) Error(map.At, what + " has no type:");
                int? count = null;
                var countNode = Get(map, "count");
                if (countNode != null)
                {
                    count = Int(countNode, "count: of " + what);
                    if (count.HasValue && count.Value < 1)
                    {
                        Error(countNode.At, "count: of " + what + " must be at least 1");
                        count = 1;
                    }
                }
                string? countedBy = null;
                var countedNode = isMember ? null : Get(map, "counted_by");
                if (countedNode is YamlScalarAt countedScalar && countedScalar.Value.Length > 0) countedBy = countedScalar.Value;
                else if (countedNode != null) Error(countedNode.At, "counted_by: of " + what + " must name the field that holds its element count");
                var order = OrderOptional(map, what);
                var reserved = Reserved(map, what);
                var bits = ReadList(map, "bits", b => ReadBit(b, what));
                EquatableArray<FieldDef> union = EquatableArray<FieldDef>.Empty;
                int? unionSize = null;
                string? select = null;
                if (unionNode != null)
                {
                    if (typeNode != null) Error(typeNode.At, what + " is a union: its members have types, the union has none");
                    union = ReadList(map, "union", m => ReadField(m, owner + "." + name, isMember: true));
                    if (union.Count == 0) Error(unionNode.At, "union " + what + " has no members");
                    var sizeNode = Get(map, "size");
                    if (sizeNode is null) Error(map.At, "union " + what + " has no size:");
                    else unionSize = Int(sizeNode, "size: of " + what);
                    select = OptionalString(map, "select");
                }
                else if (!isMember)
                {
                    var sizeNode = Get(map, "size");
                    if (sizeNode != null) Error(sizeNode.At, "size: is only for unions; the size of " + what + " follows from its type and count");
                    var selectNode = Get(map, "select");
                    if (selectNode != null) Error(selectNode.At, "select: is only for unions (" + what + " has no union:)");
                }
                var when = EquatableArray<string>.Empty;
                var whenNode = Get(map, "when");
                if (whenNode is YamlScalarAt ws) when = new EquatableArray<string>(new[] { ws.Value });
                else if (whenNode is YamlSequenceAt wseq)
                {
                    var list = new List<string>();
                    foreach (var item in wseq.Items)
                    {
                        if (item is YamlScalarAt s) list.Add(s.Value);
                        else Error(item.At, "when: of " + what + " must list enum value names");
                    }
                    when = new EquatableArray<string>(list.ToArray());
                }
                else if (whenNode != null) Error(whenNode.At, "when: of " + what + " must be an enum value name or a list of them");
                return new FieldDef(name, offset, type, count, order, reserved, bits, union, unionSize, select, when,
                    Doc(map, what), map.At, typeNode?.At ?? map.At)
                {
                    CountedBy = countedBy,
                    CountedByAt = countedNode?.At ?? map.At,
                };
            }

            private BitfieldDef? ReadBit(YamlMappingAt map, string container)
            {
                CheckKeys(map, BitKeys, "a bit range");
                var name = RequiredName(map, "a bit range of " + container);
                if (name is null) return null;
                string what = "bit range '" + name + "' of " + container;
                int at = RequiredInt(map, "at", what, 0, " (its first bit)");
                int width = RequiredInt(map, "width", what, 1);
                if (width < 1)
                {
                    Error(Get(map, "width")!.At, "width: of " + what + " must be at least 1");
                    width = 1;
                }
                return new BitfieldDef(name, at, width, OptionalString(map, "type"), Reserved(map, what), Doc(map, what), map.At);
            }

            private RegisterBlockDef? ReadBlock(YamlMappingAt map)
            {
                CheckKeys(map, BlockKeys, "a register block");
                var name = RequiredName(map, "a register block");
                if (name is null) return null;
                string what = "register block '" + name + "'";
                int bar = RequiredInt(map, "bar", what, 0);
                var order = Order(map, what);
                var registers = ReadList(map, "registers", r => ReadRegister(r, name));
                return new RegisterBlockDef(name, bar, order, Doc(map, what), registers, map.At);
            }

            private RegisterDef? ReadRegister(YamlMappingAt map, string block)
            {
                CheckKeys(map, RegisterKeys, "a register");
                var name = RequiredName(map, "a register of '" + block + "'");
                if (name is null) return null;
                string what = "register '" + block + "." + name + "'";
                int offset = RequiredInt(map, "offset", what, 0);
                int width = RequiredInt(map, "width", what, 32);
                if (width != 8 && width != 16 && width != 32 && width != 64)
                {
                    Error(Get(map, "width")!.At, "width: of " + what + " must be 8, 16, 32 or 64, not " + width);
                    width = 32;
                }
                var access = RegisterAccess.ReadWrite;
                var accessNode = Get(map, "access");
                if (accessNode is null) Error(map.At, what + " has no access: (read, write or read_write)");
                else if (accessNode is YamlScalarAt a && a.Value == "read") access = RegisterAccess.Read;
                else if (accessNode is YamlScalarAt b && b.Value == "write") access = RegisterAccess.Write;
                else if (accessNode is YamlScalarAt c && c.Value == "read_write") access = RegisterAccess.ReadWrite;
                else Error(accessNode.At, "access: of " + what + " must be read, write or read_write");
                int? stride = null;
                var strideNode = Get(map, "stride");
                if (strideNode != null)
                {
                    stride = Int(strideNode, "stride: of " + what);
                    if (stride.HasValue && stride.Value < width / 8)
                    {
                        Error(strideNode.At, "stride: of " + what + " (" + stride.Value + ") is smaller than the register (" + width / 8 + " bytes)");
                    }
                }
                return new RegisterDef(name, offset, width, access, OptionalString(map, "type"), OrderOptional(map, what), stride, Doc(map, what), map.At);
            }

            private OptionListDef? ReadOptionList(YamlMappingAt map)
            {
                CheckKeys(map, OptionListKeys, "an option list");
                var name = RequiredName(map, "an option list");
                if (name is null) return null;
                string what = "option list '" + name + "'";
                var header = RequiredName(map, what, "header");
                var id = RequiredName(map, what, "id");
                var length = RequiredName(map, what, "length");
                var options = ReadList(map, "options", o => ReadOption(o, name));
                if (options.Count == 0) Error(map.At, what + " has no options:");
                return new OptionListDef(name, header ?? "", id ?? "", length ?? "", Doc(map, what), options, map.At);
            }

            private OptionDef? ReadOption(YamlMappingAt map, string list)
            {
                CheckKeys(map, OptionKeys, "an option");
                var id = RequiredName(map, "an option of '" + list + "'", "id");
                if (id is null) return null;
                string what = "option '" + list + "." + id + "'";
                string? payload = null;
                if (Get(map, "payload") != null) payload = RequiredName(map, what, "payload");
                int? minLength = null;
                var minNode = Get(map, "min_length");
                if (minNode != null) minLength = Int(minNode, "min_length: of " + what);
                var requires = new List<HeaderValueDef>();
                var requiresNode = Get(map, "requires");
                if (requiresNode is YamlMappingAt r)
                {
                    var unique = CheckDuplicateKeys(r, "requires: of " + what);
                    foreach (var entry in r.Entries)
                    {
                        if (!unique.Contains(entry.Key)) continue;
                        if (entry.Value is YamlScalarAt v && !v.Quoted && v.Value.Length > 0)
                        {
                            requires.Add(new HeaderValueDef(entry.Key.Value, v.Value, TryParseNumber(v.Value, out var n) ? n : (ulong?)null, entry.Key.At));
                        }
                        else
                        {
                            Error(entry.Value.At, "requires: of " + what + " maps header fields to values: a number or an enum value written enum.value");
                        }
                    }
                }
                else if (requiresNode != null)
                {
                    Error(requiresNode.At, "requires: of " + what + " must be a mapping of header field to value, e.g. { required_features_mask: 0 }");
                }
                return new OptionDef(id, payload, minLength, new EquatableArray<HeaderValueDef>(requires.ToArray()), Doc(map, what), map.At);
            }

            private EquatableArray<T> ReadList<T>(YamlMappingAt map, string key, Func<YamlMappingAt, T?> read) where T : class, IEquatable<T>
            {
                var node = Get(map, key);
                if (node is null) return EquatableArray<T>.Empty;
                if (!(node is YamlSequenceAt seq))
                {
                    Error(node.At, key + ": must be a list (each entry starts with '- ')");
                    return EquatableArray<T>.Empty;
                }
                var items = new List<T>();
                foreach (var item in seq.Items)
                {
                    if (item is YamlMappingAt m)
                    {
                        var value = read(m);
                        if (value != null) items.Add(value);
                    }
                    else
                    {
                        Error(item.At, "each entry of " + key + ": must be a mapping with a name:");
                    }
                }
                return new EquatableArray<T>(items.ToArray());
            }

            private void CheckKeys(YamlMappingAt map, string[] allowed, string what)
            {
                foreach (var key in CheckDuplicateKeys(map, what))
                {
                    if (Array.IndexOf(allowed, key.Value) < 0)
                    {
                        _diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.UnknownKey, DiagnosticSeverity.Warning,
                            "unknown key '" + key.Value + "' in " + what + "; expected one of: " + string.Join(", ", allowed), key.At));
                    }
                }
            }

            /// <summary>Reports every key written twice in <paramref name="map"/>; returns the keys, each once, in file order.</summary>
            private List<YamlScalarAt> CheckDuplicateKeys(YamlMappingAt map, string what)
            {
                var seen = new Dictionary<string, YamlScalarAt>(StringComparer.Ordinal);
                var keys = new List<YamlScalarAt>();
                foreach (var entry in map.Entries)
                {
                    var key = entry.Key.Value;
                    if (seen.TryGetValue(key, out var first))
                    {
                        _diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.DuplicateName, DiagnosticSeverity.Error,
                            "key '" + key + "' appears twice in " + what + " (first at line " + first.At.Line + ")", entry.Key.At));
                        continue;
                    }
                    seen.Add(key, entry.Key);
                    keys.Add(entry.Key);
                }
                return keys;
            }

            private static YamlNodeAt? Get(YamlMappingAt map, string key)
            {
                foreach (var entry in map.Entries)
                {
                    if (entry.Key.Value == key) return entry.Value;
                }
                return null;
            }

            /// <summary>
            /// The integer under <paramref name="key"/>, or <paramref name="fallback"/> when it is missing (reported as
            /// "<c>what has no key:</c>" and <paramref name="hint"/>) or not a number (reported by <see cref="Int"/>).
            /// </summary>
            private int RequiredInt(YamlMappingAt map, string key, string what, int fallback, string hint = "")
            {
                var node = Get(map, key);
                if (node is null)
                {
                    Error(map.At, what + " has no " + key + ":" + hint);
                    return fallback;
                }
                return Int(node, key + ": of " + what) ?? fallback;
            }

            private string? RequiredString(YamlMappingAt map, string key, string what)
            {
                var node = Get(map, key);
                if (node is YamlScalarAt s && s.Value.Length > 0) return s.Value;
                Error(node?.At ?? map.At, what + (node is null ? " has no " + key + ":" : ": " + key + ": must be a non-empty string"));
                return null;
            }

            /// <summary>
            /// A required name (<paramref name="key"/>, normally <c>name:</c>): it becomes part of C# identifiers and
            /// generated file names, so it is letters, digits and '_' with at least one letter or digit. A bad name
            /// is reported and still returned, so the item's other problems are found too.
            /// </summary>
            private string? RequiredName(YamlMappingAt map, string what, string key = "name")
            {
                var name = RequiredString(map, key, what);
                if (name != null && !IsName(name))
                {
                    Error(Get(map, key)!.At, what + ": " + key + ": '" + name + "' is not a valid name; use letters, digits and '_' (e.g. tx_queue_id)");
                }
                return name;
            }

            private string? OptionalString(YamlMappingAt map, string key)
            {
                var node = Get(map, key);
                if (node is null) return null;
                if (node is YamlScalarAt s) return s.Value;
                Error(node.At, key + ": must be a string");
                return null;
            }

            private string Doc(YamlMappingAt map, string what)
            {
                var node = Get(map, "doc");
                if (node is YamlScalarAt s && s.Value.Trim().Length > 0) return s.Value.Trim();
                _diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.MissingDoc, DiagnosticSeverity.Warning, what + " has no doc: string", map.At));
                return "";
            }

            private bool Bool(YamlMappingAt map, string key, string what)
            {
                var node = Get(map, key);
                if (node is null) return false;
                if (node is YamlScalarAt s && (s.Value == "true" || s.Value == "false")) return s.Value == "true";
                Error(node.At, key + ": of " + what + " must be true or false");
                return false;
            }

            private ByteOrder? Order(YamlMappingAt map, string what)
            {
                var node = Get(map, "order");
                if (node is null)
                {
                    _diagnostics.Add(new SchemaDiagnostic(DiagnosticIds.MissingByteOrder, DiagnosticSeverity.Error,
                        what + " has no order: (big or little); every struct and register block states its byte order", map.At));
                    return null;
                }
                return ParseOrder(node, what);
            }

            private ByteOrder? OrderOptional(YamlMappingAt map, string what)
            {
                var node = Get(map, "order");
                return node is null ? null : ParseOrder(node, what);
            }

            private ByteOrder? ParseOrder(YamlNodeAt node, string what)
            {
                if (node is YamlScalarAt s && s.Value == "big") return ByteOrder.Big;
                if (node is YamlScalarAt t && t.Value == "little") return ByteOrder.Little;
                Error(node.At, "order: of " + what + " must be big or little");
                return null;
            }

            private ReservedKind Reserved(YamlMappingAt map, string what)
            {
                var node = Get(map, "reserved");
                if (node is null) return ReservedKind.None;
                if (node is YamlScalarAt s && s.Value == "zero") return ReservedKind.Zero;
                if (node is YamlScalarAt t && t.Value == "ignore") return ReservedKind.Ignore;
                Error(node.At, "reserved: of " + what + " must be zero or ignore");
                return ReservedKind.Zero;
            }

            private int? Int(YamlNodeAt node, string what)
            {
                var value = Number(node, what);
                if (value is null) return null;
                if (value.Value > int.MaxValue)
                {
                    Error(node.At, what + " is too large (" + value.Value + ")");
                    return null;
                }
                return (int)value.Value;
            }

            private ulong? Number(YamlNodeAt node, string what)
            {
                if (node is YamlScalarAt s && !s.Quoted && TryParseNumber(s.Value, out var value)) return value;
                Error(node.At, what + " must be a non-negative integer (decimal or 0x hex)" + (node is YamlScalarAt t ? ", not '" + t.Value + "'" : ""));
                return null;
            }
        }

        /// <summary>Whether <paramref name="name"/> can be a schema name: ASCII letters, digits and '_', not only '_'.</summary>
        public static bool IsName(string name)
        {
            bool letterOrDigit = false;
            foreach (char c in name)
            {
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')) letterOrDigit = true;
                else if (c != '_') return false;
            }
            return letterOrDigit;
        }

        private static readonly HashSet<string> CSharpKeywords = new HashSet<string>(StringComparer.Ordinal)
        {
            "abstract", "as", "base", "bool", "break", "byte", "case", "catch", "char", "checked", "class", "const", "continue",
            "decimal", "default", "delegate", "do", "double", "else", "enum", "event", "explicit", "extern", "false", "finally",
            "fixed", "float", "for", "foreach", "goto", "if", "implicit", "in", "int", "interface", "internal", "is", "lock",
            "long", "namespace", "new", "null", "object", "operator", "out", "override", "params", "private", "protected",
            "public", "readonly", "ref", "return", "sbyte", "sealed", "short", "sizeof", "stackalloc", "static", "string",
            "struct", "switch", "this", "throw", "true", "try", "typeof", "uint", "ulong", "unchecked", "unsafe", "ushort",
            "using", "virtual", "void", "volatile", "while",
        };

        /// <summary>Whether <paramref name="ns"/> is a C# namespace: identifiers (not keywords) separated by '.'.</summary>
        public static bool IsNamespace(string ns)
        {
            foreach (var part in ns.Split('.'))
            {
                if (part.Length == 0 || (part[0] >= '0' && part[0] <= '9') || !IsName(part) || CSharpKeywords.Contains(part)) return false;
            }
            return true;
        }

        /// <summary>Parses a decimal or 0x-prefixed hexadecimal integer, allowing '_' separators.</summary>
        public static bool TryParseNumber(string text, out ulong value)
        {
            text = text.Replace("_", "");
            if (text.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
            {
                return ulong.TryParse(text.Substring(2), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out value) && text.Length > 2;
            }
            return ulong.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out value);
        }
    }
}
