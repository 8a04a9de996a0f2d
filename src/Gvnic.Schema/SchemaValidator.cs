using System;
using System.Collections.Generic;

namespace Gvnic.Schema
{
    /// <summary>
    /// The layout rules of the schema language: known types, unique names, fields inside their struct,
    /// no overlap outside unions, bits inside their container, values that fit, declared sizes that match,
    /// no unmarked gaps, union members that fit. Each problem is a located diagnostic.
    /// </summary>
    public static class SchemaValidator
    {
        /// <summary>Checks <paramref name="document"/> and returns every problem found.</summary>
        public static List<SchemaDiagnostic> Validate(SchemaDocument document)
        {
            var context = new Context(document);
            context.Run();
            return context.Diagnostics;
        }

        private sealed class Context
        {
            private readonly SchemaDocument _document;
            private readonly SchemaTypes _types;

            public Context(SchemaDocument document)
            {
                _document = document;
                _types = new SchemaTypes(document);
            }

            public List<SchemaDiagnostic> Diagnostics { get; } = new List<SchemaDiagnostic>();

            private void Report(string id, SourceSpan at, string message)
                => Diagnostics.Add(new SchemaDiagnostic(id, DiagnosticSeverity.Error, message, at));

            public void Run()
            {
                CheckTopLevelNames();
                foreach (var c in _document.Constants) CheckConstant(c);
                foreach (var e in _document.Enums) CheckEnum(e);
                foreach (var s in _document.Structs) CheckStruct(s);
                CheckRecursion();
                foreach (var b in _document.RegisterBlocks) CheckBlock(b);
                foreach (var l in _document.OptionLists) CheckOptionList(l);
            }

            private void CheckTopLevelNames()
            {
                // Enums, structs and register blocks all become C# types in one namespace.
                var types = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
                foreach (var e in _document.Enums) Unique(types, e.Name, e.At, "type");
                foreach (var s in _document.Structs) Unique(types, s.Name, s.At, "type");
                foreach (var b in _document.RegisterBlocks) Unique(types, b.Name, b.At, "type");
                foreach (var l in _document.OptionLists) Unique(types, l.Name, l.At, "type");
                var constants = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
                foreach (var c in _document.Constants) Unique(constants, c.Name, c.At, "constant");
                CheckTypeNames();
            }

            /// <summary>
            /// The C# type names the items become, beyond their own (an enum's <c>Info</c> class, a block's
            /// <c>Registers</c> struct, the schema's <c>Constants</c> and <c>Catalog</c>), must not meet another item's or
            /// a name generated code uses (<see cref="Naming.ReservedTypeNames"/>): the generated code would not compile.
            /// Items with the same schema name are reported by <see cref="CheckTopLevelNames"/> already.
            /// </summary>
            private void CheckTypeNames()
            {
                var taken = new Dictionary<string, string>(StringComparer.Ordinal);
                string schema = Naming.Pascal(_document.Name);
                taken[schema + "Constants"] = "the constants class of schema '" + _document.Name + "'";
                taken[schema + "Catalog"] = "the catalog of schema '" + _document.Name + "'";
                foreach (var reserved in Naming.ReservedTypeNames) taken[reserved] = "a type generated code uses";
                var items = new HashSet<string>(StringComparer.Ordinal);
                void Take(string what, string name, SourceSpan at, params string[] csharp)
                {
                    // Two items of one schema name are duplicates, reported already.
                    if (!items.Add(Naming.Pascal(name))) return;
                    foreach (var type in csharp)
                    {
                        if (taken.TryGetValue(type, out var owner))
                        {
                            Report(DiagnosticIds.DuplicateName, at, what + " '" + name + "' becomes the C# type " + type + ", which is already " + owner + "; choose another name");
                            return;
                        }
                    }
                    foreach (var type in csharp) taken.Add(type, what + " '" + name + "'");
                }
                foreach (var e in _document.Enums) Take("enum", e.Name, e.At, Naming.Pascal(e.Name), Naming.Pascal(e.Name) + "Info");
                foreach (var st in _document.Structs) Take("struct", st.Name, st.At, Naming.Pascal(st.Name));
                foreach (var b in _document.RegisterBlocks) Take("register block", b.Name, b.At, Naming.Pascal(b.Name) + "Registers");
                foreach (var l in _document.OptionLists) Take("option list", l.Name, l.At, Naming.Pascal(l.Name));
            }

            private void Unique(Dictionary<string, SourceSpan> seen, string name, SourceSpan at, string what)
            {
                var key = Naming.Pascal(name);
                if (seen.TryGetValue(key, out var first))
                {
                    Report(DiagnosticIds.DuplicateName, at, "duplicate " + what + " name '" + name + "' (first defined at line " + first.Line + ")");
                }
                else
                {
                    seen.Add(key, at);
                }
            }

            private void CheckConstant(ConstantDef c)
            {
                int size = SchemaTypes.IntegerSize(c.Type);
                if (size == 0)
                {
                    Report(DiagnosticIds.UnknownType, c.At, "constant '" + c.Name + "' has type '" + c.Type + "'; a constant is u8, u16, u32 or u64");
                    return;
                }
                if (c.Value > SchemaTypes.MaxValue(size))
                {
                    Report(DiagnosticIds.ValueTooLarge, c.ValueAt, "constant '" + c.Name + "' = 0x" + c.Value.ToString("X") + " does not fit its type " + c.Type);
                }
            }

            private void CheckEnum(EnumDef e)
            {
                int size = SchemaTypes.IntegerSize(e.Type);
                if (size == 0)
                {
                    Report(DiagnosticIds.UnknownType, e.At, "enum '" + e.Name + "' has type '" + e.Type + "'; an enum is stored in u8, u16, u32 or u64");
                    size = 8;
                }
                var names = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
                foreach (var v in e.Values)
                {
                    Unique(names, v.Name, v.At, "value in enum '" + e.Name + "':");
                    if (v.Value > SchemaTypes.MaxValue(size))
                    {
                        Report(DiagnosticIds.ValueTooLarge, v.ValueAt, "value '" + e.Name + "." + v.Name + "' = 0x" + v.Value.ToString("X") + " does not fit the enum's type " + e.Type);
                    }
                }
            }

            private void CheckStruct(StructDef s)
            {
                string where = "'" + s.Name + "'";
                if (s.Size < 0) return; // the parser has reported why
                if (s.Size == 0)
                {
                    Report(DiagnosticIds.InvalidValue, s.SizeAt, "struct " + where + " must have a size of at least 1 byte");
                    return;
                }
                var names = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
                var spans = new List<(int Start, long End, FieldDef Field)>();
                long laidOut = 0;
                FieldDef? trailing = null;
                foreach (var f in s.Fields)
                {
                    Unique(names, f.Name, f.At, "field name in " + where + ":");
                    if (f.IsTrailing)
                    {
                        // Past the fixed part: its bytes are no part of size:, so the layout checks below leave it out.
                        CheckTrailing(f, s, trailing);
                        trailing ??= f;
                        continue;
                    }
                    int size = CheckField(f, s, names, isMember: false);
                    if (size <= 0) continue;
                    long end = (long)f.Offset + size;
                    laidOut = Math.Max(laidOut, end);
                    if (end > s.Size)
                    {
                        Report(DiagnosticIds.FieldBeyondStruct, f.At, "field '" + f.Name + "' (bytes " + f.Offset + ".." + (end - 1) + ") ends beyond the " + s.Size + "-byte struct " + where);
                    }
                    foreach (var other in spans)
                    {
                        if (f.Offset < other.End && other.Start < end)
                        {
                            Report(DiagnosticIds.Overlap, f.At, "field '" + f.Name + "' (bytes " + f.Offset + ".." + (end - 1) + ") overlaps '" + other.Field.Name + "' (bytes " + other.Start + ".." + (other.End - 1) + ") in " + where + "; fields may share bytes only as members of one union");
                        }
                    }
                    spans.Add((f.Offset, end, f));
                }
                if (laidOut < s.Size)
                {
                    Report(DiagnosticIds.SizeMismatch, s.SizeAt, "struct " + where + " declares size " + s.Size + " but its fields end at byte " + laidOut + "; add the missing fields or a reserved span, or correct the size");
                }
                // Gaps: bytes inside the laid-out part that no field covers, found by sweeping the spans in order of
                // their start (not a byte map: a hostile size of 2^31 would allocate gigabytes).
                var ordered = new List<(long Start, long End)>();
                foreach (var span in spans) ordered.Add((Math.Max(0, span.Start), span.End));
                ordered.Sort((a, b) => a.Start.CompareTo(b.Start));
                long cursor = 0;
                foreach (var span in ordered)
                {
                    if (span.Start > cursor)
                    {
                        Report(DiagnosticIds.UnmarkedGap, s.At, "bytes " + cursor + ".." + (span.Start - 1) + " of " + where + " belong to no field; mark them with a reserved field (reserved: zero or ignore)");
                    }
                    cursor = Math.Max(cursor, span.End);
                }
                CheckSelectors(s, s.Fields, names);
                CheckMaxSize(s, trailing);
            }

            /// <summary>
            /// A trailing array (<c>counted_by:</c>): a plain array of integers, enums or structs, the only one of its struct,
            /// starting at the struct's size, counted by an integer field of the struct.
            /// </summary>
            private void CheckTrailing(FieldDef f, StructDef s, FieldDef? earlier)
            {
                string what = "trailing array '" + f.Name + "' of '" + s.Name + "'";
                if (earlier != null)
                {
                    Report(DiagnosticIds.BadTrailingArray, f.At, what + " follows trailing array '" + earlier.Name + "'; a struct has at most one, after its fixed part");
                    return;
                }
                if (f.IsUnion)
                {
                    Report(DiagnosticIds.BadTrailingArray, f.At, what + " is a union; a trailing array has a type: of integers, enums or structs");
                    return;
                }
                if (f.Count.HasValue) Report(DiagnosticIds.BadTrailingArray, f.At, what + " has both count: and counted_by:; a fixed array has count:, a trailing array counted_by:");
                if (f.Bits.Count > 0) Report(DiagnosticIds.BadTrailingArray, f.At, what + " has bits:; bits live in a single integer field");
                if (f.Reserved != ReservedKind.None) Report(DiagnosticIds.BadTrailingArray, f.At, what + " is reserved:; a trailing array carries values");
                var kind = _types.KindOf(f.Type);
                if (kind == TypeKind.Unknown)
                {
                    Report(DiagnosticIds.UnknownType, f.TypeAt, "unknown type '" + f.Type + "' for " + what + "; expected u8, u16, u32, u64, or an enum or struct of the schema");
                }
                else if (kind == TypeKind.Bool)
                {
                    Report(DiagnosticIds.InvalidValue, f.TypeAt, what + " has type bool, which is only for bit ranges");
                }
                else if (kind == TypeKind.Struct)
                {
                    if (f.Order.HasValue) Report(DiagnosticIds.InvalidValue, f.At, what + " has elements of struct type; their byte order comes from that struct, not order:");
                    CheckWholeMessage(f.Type, f.TypeAt, what);
                }
                if (f.Offset != s.Size && s.Size > 0)
                {
                    Report(DiagnosticIds.BadTrailingArray, f.At, what + " is at byte " + f.Offset + ", but a trailing array starts where the fixed part ends, at the struct's size (" + s.Size + "); write at: " + s.Size);
                }
                if (_types.Counter(s, f) is null)
                {
                    Report(DiagnosticIds.BadCount, f.CountedByAt, "counted_by: '" + f.CountedBy + "' of " + what + " names no integer field of '" + s.Name + "'; it must name a single u8, u16, u32 or u64 field (not an enum, array, bit container or union) that holds the element count");
                }
            }

            /// <summary>A struct with a trailing array is a whole message: its size leaves the array out, so it cannot be part of another layout.</summary>
            private void CheckWholeMessage(string type, SourceSpan at, string user)
            {
                var inner = _types.Struct(type);
                if (inner?.Trailing is FieldDef t)
                {
                    Report(DiagnosticIds.BadTrailingArray, at, user + " has type '" + type + "', whose trailing array '" + t.Name + "' makes it a whole message of variable length; only a message can end in a trailing array, so it cannot be nested, an element, a union member, a register or an option");
                }
            }

            /// <summary><c>max_size:</c> resolves to a number of bytes that holds the fixed part and at least one element of the trailing array.</summary>
            private void CheckMaxSize(StructDef s, FieldDef? trailing)
            {
                if (s.MaxSizeText is null) return;
                string what = "max_size: '" + s.MaxSizeText + "' of '" + s.Name + "'";
                var max = _types.MaxSize(s);
                if (max is null)
                {
                    Report(DiagnosticIds.BadMaxSize, s.MaxSizeAt, what + " is neither a number nor a constant of the schema");
                    return;
                }
                if (max.Value > int.MaxValue)
                {
                    Report(DiagnosticIds.BadMaxSize, s.MaxSizeAt, what + " is " + max.Value + " bytes, more than a span can hold");
                    return;
                }
                if (max.Value < (ulong)s.Size)
                {
                    Report(DiagnosticIds.BadMaxSize, s.MaxSizeAt, what + " is " + max.Value + " bytes, less than the struct's fixed part (size " + s.Size + ")");
                    return;
                }
                if (trailing is null) return;
                int element = _types.SizeOf(trailing.Type);
                if (element > 0 && max.Value - (ulong)s.Size < (ulong)element)
                {
                    Report(DiagnosticIds.BadMaxSize, s.MaxSizeAt, what + " is " + max.Value + " bytes: after the " + s.Size + "-byte fixed part it leaves no room for one " + element + "-byte element of trailing array '" + trailing.Name + "'");
                }
            }

            /// <summary>Checks one field (or union member) and returns its size in bytes, or 0 when unknown.</summary>
            private int CheckField(FieldDef f, StructDef owner, Dictionary<string, SourceSpan> names, bool isMember)
            {
                string what = (isMember ? "member '" : "field '") + f.Name + "' of '" + owner.Name + "'";
                if (f.IsUnion)
                {
                    int unionSize = f.UnionSize ?? 0;
                    if (unionSize <= 0) return 0;
                    foreach (var m in f.Union)
                    {
                        Unique(names, m.Name, m.At, "name in '" + owner.Name + "':");
                        int memberSize = CheckField(m, owner, names, isMember: true);
                        if (memberSize > unionSize)
                        {
                            Report(DiagnosticIds.UnionMemberTooLarge, m.At, "union member '" + m.Name + "' is " + memberSize + " bytes but union '" + f.Name + "' of '" + owner.Name + "' is " + unionSize);
                        }
                    }
                    if (f.Bits.Count > 0) Report(DiagnosticIds.InvalidValue, f.At, "union " + what + " cannot have bits:; give them to a member");
                    return unionSize;
                }
                var kind = _types.KindOf(f.Type);
                if (kind == TypeKind.Unknown)
                {
                    Report(DiagnosticIds.UnknownType, f.TypeAt, "unknown type '" + f.Type + "' for " + what + "; expected u8, u16, u32, u64, or an enum or struct of the schema");
                    return 0;
                }
                if (kind == TypeKind.Bool)
                {
                    Report(DiagnosticIds.InvalidValue, f.TypeAt, what + " has type bool, which is only for bit ranges; use a u8 field with a 1-bit range");
                    return 0;
                }
                if (f.Bits.Count > 0)
                {
                    if (kind == TypeKind.Struct || f.Count.HasValue)
                    {
                        Report(DiagnosticIds.InvalidValue, f.At, what + " has bits: but is not a single integer; bits live in a u8, u16, u32 or u64 container");
                    }
                    else
                    {
                        CheckBits(f, owner, names);
                    }
                }
                if (kind == TypeKind.Struct) CheckWholeMessage(f.Type, f.TypeAt, what);
                if (f.Order.HasValue && (kind == TypeKind.Struct))
                {
                    Report(DiagnosticIds.InvalidValue, f.At, what + " is a nested struct; its byte order comes from that struct, not order:");
                }
                if (f.When.Count > 0 && !isMember)
                {
                    Report(DiagnosticIds.BadSelector, f.At, what + " has when: but is not a union member");
                }
                return _types.SizeOf(f);
            }

            private void CheckBits(FieldDef container, StructDef owner, Dictionary<string, SourceSpan> names)
            {
                int bitsInContainer = _types.SizeOf(container.Type) * 8;
                var used = new List<BitfieldDef>();
                foreach (var b in container.Bits)
                {
                    Unique(names, b.Name, b.Location, "name in '" + owner.Name + "':");
                    string what = "bit range '" + b.Name + "' (bits " + b.At + ".." + (b.At + b.Width - 1) + ")";
                    if (b.At < 0 || b.At + b.Width > bitsInContainer)
                    {
                        Report(DiagnosticIds.BitfieldBeyondContainer, b.Location, what + " does not fit in the " + bitsInContainer + "-bit container '" + container.Name + "' of '" + owner.Name + "'");
                    }
                    foreach (var other in used)
                    {
                        if (b.At < other.At + other.Width && other.At < b.At + b.Width)
                        {
                            Report(DiagnosticIds.Overlap, b.Location, what + " overlaps bit range '" + other.Name + "' (bits " + other.At + ".." + (other.At + other.Width - 1) + ") in '" + container.Name + "' of '" + owner.Name + "'");
                        }
                    }
                    used.Add(b);
                    if (b.Type is null) continue;
                    var kind = _types.KindOf(b.Type);
                    if (kind == TypeKind.Bool)
                    {
                        if (b.Width != 1) Report(DiagnosticIds.InvalidValue, b.Location, what + " is bool, so its width must be 1, not " + b.Width);
                    }
                    else if (kind == TypeKind.Enum)
                    {
                        var e = _types.Enum(b.Type)!;
                        foreach (var v in e.Values)
                        {
                            if (v.Value > SchemaTypes.MaxValueOfBits(b.Width))
                            {
                                Report(DiagnosticIds.ValueTooLarge, b.Location, "enum value '" + e.Name + "." + v.Name + "' = 0x" + v.Value.ToString("X") + " does not fit the " + b.Width + "-bit range '" + b.Name + "'");
                            }
                        }
                    }
                    else if (kind == TypeKind.Integer)
                    {
                        if (SchemaTypes.IntegerSize(b.Type) * 8 < b.Width)
                        {
                            Report(DiagnosticIds.ValueTooLarge, b.Location, what + " is " + b.Width + " bits wide; type " + b.Type + " cannot hold it");
                        }
                    }
                    else
                    {
                        Report(DiagnosticIds.UnknownType, b.Location, "unknown type '" + b.Type + "' for " + what + "; a bit range is bool, an integer or an enum");
                    }
                }
            }

            private void CheckSelectors(StructDef s, EquatableArray<FieldDef> fields, Dictionary<string, SourceSpan> names)
            {
                foreach (var f in fields)
                {
                    if (!f.IsUnion || f.Select is null) continue;
                    var selectorType = _types.SelectorType(s, f);
                    if (selectorType is null)
                    {
                        Report(DiagnosticIds.BadSelector, f.At, "select: '" + f.Select + "' of union '" + f.Name + "' in '" + s.Name + "' names no field or bit range of enum type");
                        continue;
                    }
                    var e = _types.Enum(selectorType);
                    if (e is null)
                    {
                        Report(DiagnosticIds.BadSelector, f.At, "select: '" + f.Select + "' of union '" + f.Name + "' in '" + s.Name + "' has type '" + selectorType + "', not an enum");
                        continue;
                    }
                    // Claimed by value, not name: two enum names may share a value, and one value selects one member.
                    var claimed = new Dictionary<ulong, (string When, string Member)>();
                    foreach (var m in f.Union)
                    {
                        foreach (var w in m.When)
                        {
                            EnumValueDef? value = null;
                            foreach (var v in e.Values)
                            {
                                if (v.Name == w && value is null) value = v;
                            }
                            if (value is null)
                            {
                                Report(DiagnosticIds.BadSelector, m.At, "when: '" + w + "' of member '" + m.Name + "' is not a value of enum '" + e.Name + "'");
                            }
                            else if (claimed.TryGetValue(value.Value, out var other))
                            {
                                if (other.Member == m.Name && other.When == w)
                                {
                                    Report(DiagnosticIds.BadSelector, m.At, "when: '" + w + "' is listed twice for member '" + m.Name + "'");
                                }
                                else if (other.Member != m.Name)
                                {
                                    Report(DiagnosticIds.BadSelector, m.At, "when: '" + w + "' (" + e.Name + " value 0x" + value.Value.ToString("X") + (other.When == w ? "" : ", as '" + other.When + "'") + ") selects both '" + other.Member + "' and '" + m.Name + "'");
                                }
                            }
                            else
                            {
                                claimed.Add(value.Value, (w, m.Name));
                            }
                        }
                    }
                }
            }

            private void CheckRecursion()
            {
                var state = new Dictionary<string, int>(StringComparer.Ordinal);
                foreach (var s in _document.Structs) Visit(s, state);
            }

            private bool Visit(StructDef s, Dictionary<string, int> state)
            {
                if (state.TryGetValue(s.Name, out var st)) return st == 1;
                state[s.Name] = 1;
                foreach (var f in s.Fields)
                {
                    foreach (var type in TypesOf(f))
                    {
                        var inner = _types.Struct(type);
                        if (inner != null && Visit(inner, state))
                        {
                            Report(DiagnosticIds.RecursiveStruct, f.At, "struct '" + s.Name + "' contains itself through field '" + f.Name + "' (type '" + type + "')");
                            state[s.Name] = 2;
                            return false;
                        }
                    }
                }
                state[s.Name] = 2;
                return false;
            }

            private static IEnumerable<string> TypesOf(FieldDef f)
            {
                if (!f.IsUnion)
                {
                    yield return f.Type;
                    yield break;
                }
                foreach (var m in f.Union)
                {
                    foreach (var t in TypesOf(m)) yield return t;
                }
            }

            private void CheckOptionList(OptionListDef list)
            {
                string what = "option list '" + list.Name + "'";
                var header = _types.Struct(list.Header);
                if (header is null)
                {
                    if (list.Header.Length > 0) Report(DiagnosticIds.UnknownType, list.At, "header: '" + list.Header + "' of " + what + " is not a struct of the schema");
                    return;
                }
                CheckWholeMessage(header.Name, list.At, "header: of " + what);
                var idField = SchemaTypes.ValueField(header, list.IdField);
                EnumDef? ids = idField is null ? null : _types.Enum(idField.Type);
                if (ids is null && list.IdField.Length > 0)
                {
                    Report(DiagnosticIds.BadOptionList, list.At, "id: '" + list.IdField + "' of " + what + " names no field of enum type in '" + header.Name + "'");
                }
                var lengthField = SchemaTypes.ValueField(header, list.LengthField);
                if ((lengthField is null || _types.KindOf(lengthField.Type) != TypeKind.Integer) && list.LengthField.Length > 0)
                {
                    Report(DiagnosticIds.BadOptionList, list.At, "length: '" + list.LengthField + "' of " + what + " names no integer field in '" + header.Name + "'");
                }
                var claimed = new Dictionary<ulong, string>();
                var classes = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
                foreach (var option in list.Options)
                {
                    string where = "option '" + option.Id + "' of " + what;
                    // Two options of one class name: a different spelling of one name (find, find_option), or the same id twice,
                    // which the id check below reports (by value) when the id resolves.
                    var cls = Naming.OptionClass(list.Name, option.Id);
                    if (!classes.TryGetValue(cls, out var firstClass)) classes.Add(cls, option.At);
                    else if (!(SameId(list, option, firstClass) && ids != null && SchemaTypes.ValueOf(ids, option.Id) != null))
                        Report(DiagnosticIds.DuplicateName, option.At, where + " becomes the C# class " + cls + ", as the option at line " + firstClass.Line + " does");
                    if (ids != null)
                    {
                        var value = SchemaTypes.ValueOf(ids, option.Id);
                        if (value is null)
                        {
                            Report(DiagnosticIds.BadOptionList, option.At, where + " is not a value of enum '" + ids.Name + "' (the type of '" + header.Name + "." + list.IdField + "')");
                        }
                        else if (claimed.TryGetValue(value.Value, out var first))
                        {
                            Report(DiagnosticIds.DuplicateName, option.At, where + " has id 0x" + value.Value.ToString("X") + ", which option '" + first + "' already has");
                        }
                        else
                        {
                            claimed.Add(value.Value, option.Id);
                        }
                    }
                    int payloadSize = 0;
                    if (option.Payload != null)
                    {
                        var payload = _types.Struct(option.Payload);
                        if (payload is null) Report(DiagnosticIds.UnknownType, option.At, "payload: '" + option.Payload + "' of " + where + " is not a struct of the schema");
                        else
                        {
                            payloadSize = Math.Max(0, payload.Size);
                            CheckWholeMessage(payload.Name, option.At, "payload: of " + where);
                        }
                        if (lengthField != null && _types.KindOf(lengthField.Type) == TypeKind.Integer && (ulong)payloadSize > SchemaTypes.MaxValue(_types.SizeOf(lengthField.Type)))
                            Report(DiagnosticIds.ValueTooLarge, option.At, "payload '" + option.Payload + "' of " + where + " is " + payloadSize + " bytes, more than '" + header.Name + "." + list.LengthField + "' (" + lengthField.Type + ") can state");
                    }
                    if (option.MinLength.HasValue)
                    {
                        if (option.Payload is null)
                            Report(DiagnosticIds.InvalidValue, option.At, where + " has min_length: but no payload:; an option without payload has length 0");
                        else if (option.MinLength.Value > payloadSize && _types.Struct(option.Payload) != null)
                            Report(DiagnosticIds.InvalidValue, option.At, "min_length: " + option.MinLength.Value + " of " + where + " is more than its " + payloadSize + "-byte payload '" + option.Payload + "'");
                    }
                    var required = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
                    foreach (var r in option.Requires)
                    {
                        Unique(required, r.Field, r.At, "header field in requires: of " + where + ":");
                        var field = r.Field == list.IdField || r.Field == list.LengthField ? null : SchemaTypes.ValueField(header, r.Field);
                        if (field is null || _types.KindOf(field.Type) is not (TypeKind.Integer or TypeKind.Enum))
                        {
                            Report(DiagnosticIds.BadOptionList, r.At, "requires: of " + where + " names '" + r.Field + "', which is no integer or enum field of '" + header.Name + "' other than its id and length");
                            continue;
                        }
                        var number = RequiredValue(r, where);
                        if (number.HasValue && number.Value > SchemaTypes.MaxValue(_types.SizeOf(field.Type)))
                        {
                            Report(DiagnosticIds.ValueTooLarge, r.At, "requires: " + r.Field + " = 0x" + number.Value.ToString("X") + " of " + where + " does not fit the field's type " + field.Type);
                        }
                    }
                }
            }

            /// <summary>Whether the option at <paramref name="first"/> has the same id as <paramref name="option"/>.</summary>
            private static bool SameId(OptionListDef list, OptionDef option, SourceSpan first)
            {
                foreach (var o in list.Options)
                {
                    if (o.At.Equals(first)) return o.Id == option.Id;
                }
                return false;
            }

            /// <summary>The value a requirement stands for: its number, or the value of the enum value it names (reported when it names none).</summary>
            private ulong? RequiredValue(HeaderValueDef r, string where)
            {
                if (r.Number.HasValue) return r.Number;
                int dot = r.Value.IndexOf('.');
                var e = dot > 0 ? _types.Enum(r.Value.Substring(0, dot)) : null;
                var v = e is null ? null : SchemaTypes.ValueOf(e, r.Value.Substring(dot + 1));
                if (v is null)
                {
                    Report(DiagnosticIds.BadOptionList, r.At, "requires: " + r.Field + " = '" + r.Value + "' of " + where + " is neither a number nor a value of an enum written enum.value");
                    return null;
                }
                return v.Value;
            }

            private void CheckBlock(RegisterBlockDef b)
            {
                var names = new Dictionary<string, SourceSpan>(StringComparer.Ordinal);
                var singles = new List<RegisterDef>();
                foreach (var r in b.Registers)
                {
                    Unique(names, r.Name, r.At, "register name in '" + b.Name + "':");
                    if (r.Type != null)
                    {
                        var kind = _types.KindOf(r.Type);
                        if (kind == TypeKind.Unknown || kind == TypeKind.Bool)
                        {
                            Report(DiagnosticIds.UnknownType, r.At, "unknown type '" + r.Type + "' for register '" + r.Name + "'; expected an integer, an enum or a struct");
                        }
                        else if (kind == TypeKind.Struct && _types.Struct(r.Type)!.Trailing != null)
                        {
                            CheckWholeMessage(r.Type, r.At, "register '" + r.Name + "'");
                        }
                        else if (_types.SizeOf(r.Type) * 8 != r.Width)
                        {
                            Report(DiagnosticIds.RegisterTypeWidth, r.At, "register '" + r.Name + "' is " + r.Width + " bits wide but its type '" + r.Type + "' is " + _types.SizeOf(r.Type) * 8);
                        }
                    }
                    if (r.Stride.HasValue) continue;
                    foreach (var other in singles)
                    {
                        int end = r.Offset + r.Width / 8, otherEnd = other.Offset + other.Width / 8;
                        if (r.Offset < otherEnd && other.Offset < end)
                        {
                            Report(DiagnosticIds.Overlap, r.At, "register '" + r.Name + "' (0x" + r.Offset.ToString("X") + ") overlaps register '" + other.Name + "' (0x" + other.Offset.ToString("X") + ") in '" + b.Name + "'");
                        }
                    }
                    singles.Add(r);
                }
            }
        }
    }
}
