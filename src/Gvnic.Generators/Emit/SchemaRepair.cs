using System;
using System.Collections.Generic;
using Gvnic.Schema;

namespace Gvnic.Generators.Emit
{
    /// <summary>
    /// Cuts a schema that has errors down to what can be emitted as C# that compiles, so the build reports the
    /// schema's own diagnostics and nothing else: code that uses the generated types still finds every type (and
    /// nearly every member) the schema meant, instead of failing with a C# error per use.
    /// </summary>
    /// <remarks>
    /// Only what C# cannot express is dropped or mended; layout mistakes (overlaps, gaps, wrong sizes) are kept as
    /// written, since explicit layout compiles them. A field of unknown type (a misspelt type name) becomes the unsigned
    /// integer that fills its bytes up to the next field, when that is 1, 2, 4 or 8 bytes. Dropped: items whose name is not a name or repeats an earlier
    /// one (as C# sees it), other fields and union members of unknown type, and those of type bool, bit ranges outside their container or
    /// on a container that cannot hold them, fields that make a struct contain itself, selectors and <c>when:</c>
    /// names that do not resolve, and option-list entries that do not resolve. Mended: types that are not integer
    /// types become u64, values are cut to their type, register strides to at least the register's width. The
    /// build fails anyway on the schema's errors; the point is that those are the only errors it shows.
    /// </remarks>
    internal sealed class SchemaRepair
    {
        private readonly SchemaDocument _document;
        private readonly HashSet<string> _typeNames = new HashSet<string>(Naming.ReservedTypeNames, StringComparer.Ordinal);
        private readonly Dictionary<string, EnumDef> _enums = new Dictionary<string, EnumDef>(StringComparer.Ordinal);
        private readonly Dictionary<string, StructDef> _structs = new Dictionary<string, StructDef>(StringComparer.Ordinal);

        private SchemaRepair(SchemaDocument document) => _document = document;

        /// <summary>
        /// What of <paramref name="document"/> can be emitted, or null when nothing can (its namespace is not a C#
        /// namespace, so no type of it can be declared or found).
        /// </summary>
        public static SchemaDocument? ForEmission(SchemaDocument document)
            => SchemaParser.IsNamespace(document.Namespace) ? new SchemaRepair(document).Run() : null;

        private SchemaDocument Run()
        {
            string name = SchemaName(_document.Name);
            _typeNames.Add(ConstantsEmitter.ClassName(name));
            _typeNames.Add(CatalogEmitter.ClassName(name));
            var constants = Constants();
            var enums = Enums();
            var structs = StructNames();
            var types = new SchemaTypes(Document(name, constants, enums, structs, EquatableArray<RegisterBlockDef>.Empty, EquatableArray<OptionListDef>.Empty));
            var laidOut = new List<StructDef>();
            foreach (var s in structs)
            {
                var size = Math.Max(0, s.Size);
                var max = types.MaxSize(s);
                bool maxFits = max.HasValue && max.Value >= (ulong)size && max.Value <= int.MaxValue;
                var fields = Trailing(s, Fields(s, s.Fields, types, isMember: false), types);
                laidOut.Add(s with { Size = size, Fields = fields, MaxSizeText = maxFits ? s.MaxSizeText : null });
            }
            BreakCycles(laidOut);
            types = new SchemaTypes(Document(name, constants, enums, laidOut, EquatableArray<RegisterBlockDef>.Empty, EquatableArray<OptionListDef>.Empty));
            var selected = new List<StructDef>();
            foreach (var s in laidOut) selected.Add(s with { Fields = Selectors(s, types) });
            types = new SchemaTypes(Document(name, constants, enums, selected, EquatableArray<RegisterBlockDef>.Empty, EquatableArray<OptionListDef>.Empty));
            return Document(name, constants, enums, selected, Blocks(types), OptionLists(types));
        }

        private SchemaDocument Document(string name, IEnumerable<ConstantDef> constants, IEnumerable<EnumDef> enums, IEnumerable<StructDef> structs,
            EquatableArray<RegisterBlockDef> blocks, EquatableArray<OptionListDef> lists)
            => new SchemaDocument(name, _document.Namespace, _document.Doc, EquatableArray.From(constants), EquatableArray.From(enums), EquatableArray.From(structs), blocks, lists);

        /// <summary>The schema's name as generated file and class names can hold it.</summary>
        private static string SchemaName(string name)
        {
            if (SchemaParser.IsName(name)) return name;
            var kept = new System.Text.StringBuilder();
            foreach (char c in name)
            {
                if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_') kept.Append(c);
            }
            return SchemaParser.IsName(kept.ToString()) ? kept.ToString() : "schema";
        }

        /// <summary>Whether <paramref name="csharp"/> is free among the generated type names; takes it when it is.</summary>
        private bool TakeType(params string[] csharp)
        {
            foreach (var n in csharp)
            {
                if (_typeNames.Contains(n)) return false;
            }
            foreach (var n in csharp) _typeNames.Add(n);
            return true;
        }

        private static string IntegerOr64(string type) => SchemaTypes.IntegerSize(type) > 0 ? type : "u64";

        private static ulong Cut(ulong value, string type) => value & SchemaTypes.MaxValue(SchemaTypes.IntegerSize(type));

        private List<ConstantDef> Constants()
        {
            var names = new HashSet<string>(StringComparer.Ordinal);
            var list = new List<ConstantDef>();
            foreach (var c in _document.Constants)
            {
                if (!SchemaParser.IsName(c.Name) || !names.Add(Naming.Pascal(c.Name))) continue;
                string type = IntegerOr64(c.Type);
                list.Add(c with { Type = type, Value = Cut(c.Value, type) });
            }
            return list;
        }

        private List<EnumDef> Enums()
        {
            var list = new List<EnumDef>();
            foreach (var e in _document.Enums)
            {
                string pascal = Naming.Pascal(e.Name);
                if (!SchemaParser.IsName(e.Name) || !TakeType(pascal, pascal + "Info")) continue;
                string type = IntegerOr64(e.Type);
                var names = new HashSet<string>(StringComparer.Ordinal);
                var values = new List<EnumValueDef>();
                foreach (var v in e.Values)
                {
                    if (SchemaParser.IsName(v.Name) && names.Add(Naming.Pascal(v.Name))) values.Add(v with { Value = Cut(v.Value, type) });
                }
                var repaired = e with { Type = type, Values = EquatableArray.From(values) };
                list.Add(repaired);
                _enums.Add(e.Name, repaired);
            }
            return list;
        }

        private List<StructDef> StructNames()
        {
            var list = new List<StructDef>();
            foreach (var s in _document.Structs)
            {
                if (!SchemaParser.IsName(s.Name) || _enums.ContainsKey(s.Name) || _structs.ContainsKey(s.Name) || !TakeType(Naming.Pascal(s.Name))) continue;
                list.Add(s);
                _structs.Add(s.Name, s);
            }
            return list;
        }

        /// <summary>The fields (or union members) of <paramref name="owner"/> that can be emitted, each with what of it can.</summary>
        private EquatableArray<FieldDef> Fields(StructDef owner, EquatableArray<FieldDef> fields, SchemaTypes types, bool isMember, HashSet<string>? members = null, int unionSize = 0)
        {
            string typeName = Naming.Pascal(owner.Name);
            members ??= new HashSet<string>(StringComparer.Ordinal);
            var list = new List<FieldDef>();
            foreach (var field in fields)
            {
                var f = field;
                if (!SchemaParser.IsName(f.Name)) continue;
                if (f.IsUnion)
                {
                    // A union member cannot itself be a union (the language has no nested unions).
                    if (isMember || !members.Add(StructEmitter.PropertyName(f.Name, typeName, owner))) continue;
                    var inner = Fields(owner, f.Union, types, isMember: true, members, f.UnionSize ?? 0);
                    list.Add(f with { Union = inner, Bits = EquatableArray<BitfieldDef>.Empty, UnionSize = Math.Max(0, f.UnionSize ?? 0) });
                    continue;
                }
                var kind = types.KindOf(f.Type);
                if (f.IsTrailing)
                {
                    // Kept when it can be emitted (Trailing checks its counter once the fields are known); else left out.
                    int elem = types.SizeOf(f.Type);
                    string trailingProp = StructEmitter.PropertyName(f.Name, typeName, owner);
                    if (isMember || f.Count.HasValue || kind is TypeKind.Unknown or TypeKind.Bool || elem <= 0) continue;
                    if (!AddAll(members, new List<string>(TrailingArrayEmitter.MemberNames(trailingProp, kind, elem)))) continue;
                    list.Add(f with { Bits = EquatableArray<BitfieldDef>.Empty, Union = EquatableArray<FieldDef>.Empty, UnionSize = null, Reserved = ReservedKind.None });
                    continue;
                }
                if (kind == TypeKind.Unknown && GuessedType(owner, f, isMember ? unionSize : -1) is string guess)
                {
                    f = f with { Type = guess };
                    kind = TypeKind.Integer;
                }
                if (kind is TypeKind.Unknown or TypeKind.Bool) continue;
                string prop = StructEmitter.PropertyName(f.Name, typeName, owner);
                var names = new List<string> { prop };
                if (f.Count.HasValue) names.AddRange(new[] { prop + "Length", "Get" + prop, "Set" + prop });
                if (isMember) names.Add("Is" + prop);
                if (!AddAll(members, names)) continue;
                bool bitsAllowed = !f.Count.HasValue && kind is TypeKind.Integer or TypeKind.Enum;
                var bits = bitsAllowed ? Bits(owner, f, types, typeName, members) : EquatableArray<BitfieldDef>.Empty;
                list.Add(f with { Bits = bits, Union = EquatableArray<FieldDef>.Empty, UnionSize = null });
            }
            return EquatableArray.From(list);
        }

        /// <summary>
        /// The fields of <paramref name="owner"/> with at most one trailing array: the first whose counter is among the
        /// emitted fields as a single integer; other trailing arrays are left out.
        /// </summary>
        private static EquatableArray<FieldDef> Trailing(StructDef owner, EquatableArray<FieldDef> fields, SchemaTypes types)
        {
            var kept = new List<FieldDef>();
            bool have = false;
            var emitted = owner with { Fields = fields };
            foreach (var f in fields)
            {
                if (f.IsTrailing)
                {
                    if (have || types.Counter(emitted, f) is null) continue;
                    have = true;
                }
                kept.Add(f);
            }
            return EquatableArray.From(kept);
        }

        /// <summary>
        /// For a field of unknown type (a misspelt type name): the unsigned integer that fills its bytes up to the next
        /// field, the struct's end or, for a union member, the union's end; null when that is not 1, 2, 4 or 8 bytes an
        /// element. The member and the code that uses it stay, typed as the layout says.
        /// </summary>
        private static string? GuessedType(StructDef owner, FieldDef f, int unionSize)
        {
            long end = unionSize >= 0 ? unionSize : Math.Max(0, owner.Size);
            if (unionSize < 0)
            {
                foreach (var other in owner.Fields)
                {
                    if (other.Offset > f.Offset && other.Offset < end) end = other.Offset;
                }
                end -= f.Offset;
            }
            long count = f.Count ?? 1;
            if (end <= 0 || end % count != 0) return null;
            switch (end / count)
            {
                case 1: return "u8";
                case 2: return "u16";
                case 4: return "u32";
                case 8: return "u64";
                default: return null;
            }
        }

        private static bool AddAll(HashSet<string> members, List<string> names)
        {
            foreach (var n in names)
            {
                if (members.Contains(n)) return false;
            }
            foreach (var n in names) members.Add(n);
            return true;
        }

        private static EquatableArray<BitfieldDef> Bits(StructDef owner, FieldDef container, SchemaTypes types, string typeName, HashSet<string> members)
        {
            int bits = types.SizeOf(container.Type) * 8;
            var list = new List<BitfieldDef>();
            foreach (var b in container.Bits)
            {
                if (!SchemaParser.IsName(b.Name) || b.At < 0 || b.Width < 1 || b.At + b.Width > bits) continue;
                if (!members.Add(StructEmitter.PropertyName(b.Name, typeName, owner))) continue;
                bool typed = b.Type != null && types.KindOf(b.Type) is TypeKind.Integer or TypeKind.Bool or TypeKind.Enum;
                list.Add(typed ? b : b with { Type = null });
            }
            return EquatableArray.From(list);
        }

        /// <summary>Drops each field (or member) whose struct type leads back to its owner, until no struct contains itself.</summary>
        private static void BreakCycles(List<StructDef> structs)
        {
            var byName = new Dictionary<string, int>(StringComparer.Ordinal);
            for (int i = 0; i < structs.Count; i++) byName[structs[i].Name] = i;
            for (int i = 0; i < structs.Count; i++)
            {
                var kept = new List<FieldDef>();
                foreach (var f in structs[i].Fields)
                {
                    if (!f.IsUnion)
                    {
                        if (!Reaches(structs, byName, f.Type, structs[i].Name)) kept.Add(f);
                        continue;
                    }
                    var members = new List<FieldDef>();
                    foreach (var m in f.Union)
                    {
                        if (!Reaches(structs, byName, m.Type, structs[i].Name)) members.Add(m);
                    }
                    kept.Add(f with { Union = EquatableArray.From(members) });
                }
                structs[i] = structs[i] with { Fields = EquatableArray.From(kept) };
            }
        }

        /// <summary>Whether the struct named <paramref name="from"/> is, or contains (through any fields), the struct <paramref name="target"/>.</summary>
        private static bool Reaches(List<StructDef> structs, Dictionary<string, int> byName, string from, string target)
        {
            var seen = new HashSet<string>(StringComparer.Ordinal);
            var pending = new Stack<string>();
            pending.Push(from);
            while (pending.Count > 0)
            {
                var name = pending.Pop();
                if (name == target) return true;
                if (!seen.Add(name) || !byName.TryGetValue(name, out int index)) continue;
                foreach (var f in structs[index].Fields)
                {
                    if (!f.IsUnion) pending.Push(f.Type);
                    foreach (var m in f.Union) pending.Push(m.Type);
                }
            }
            return false;
        }

        /// <summary>Union selectors that resolve to an enum, with the <c>when:</c> names that enum has; others dropped.</summary>
        private static EquatableArray<FieldDef> Selectors(StructDef s, SchemaTypes types)
        {
            var list = new List<FieldDef>();
            foreach (var f in s.Fields)
            {
                if (!f.IsUnion)
                {
                    list.Add(f.When.Count > 0 ? f with { When = EquatableArray<string>.Empty } : f);
                    continue;
                }
                var selector = f.Select is null ? null : types.SelectorType(s, f);
                var e = selector is null ? null : types.Enum(selector);
                var members = new List<FieldDef>();
                foreach (var m in f.Union)
                {
                    var when = new List<string>();
                    foreach (var w in m.When)
                    {
                        if (e != null && SchemaTypes.ValueOf(e, w) != null) when.Add(w);
                    }
                    members.Add(m with { When = EquatableArray.From(when) });
                }
                list.Add(f with { Select = e is null ? null : f.Select, Union = EquatableArray.From(members) });
            }
            return EquatableArray.From(list);
        }

        private EquatableArray<RegisterBlockDef> Blocks(SchemaTypes types)
        {
            var list = new List<RegisterBlockDef>();
            foreach (var b in _document.RegisterBlocks)
            {
                if (!SchemaParser.IsName(b.Name) || !TakeType(Naming.Pascal(b.Name) + "Registers")) continue;
                var names = new HashSet<string>(StringComparer.Ordinal);
                var registers = new List<RegisterDef>();
                foreach (var r in b.Registers)
                {
                    if (!SchemaParser.IsName(r.Name) || !names.Add(Naming.Pascal(r.Name))) continue;
                    bool typed = r.Type != null && types.KindOf(r.Type) is TypeKind.Integer or TypeKind.Enum or TypeKind.Struct;
                    int? stride = r.Stride.HasValue ? Math.Max(r.Stride.Value, r.Width / 8) : (int?)null;
                    registers.Add(r with { Type = typed ? r.Type : null, Stride = stride });
                }
                list.Add(b with { Registers = EquatableArray.From(registers) });
            }
            return EquatableArray.From(list);
        }

        private EquatableArray<OptionListDef> OptionLists(SchemaTypes types)
        {
            var list = new List<OptionListDef>();
            foreach (var l in _document.OptionLists)
            {
                var header = types.Struct(l.Header);
                var id = header is null ? null : SchemaTypes.ValueField(header, l.IdField);
                var ids = id is null ? null : types.Enum(id.Type);
                var length = header is null ? null : SchemaTypes.ValueField(header, l.LengthField);
                if (header is null || ids is null || length is null || types.KindOf(length.Type) != TypeKind.Integer || l.IdField == l.LengthField) continue;
                if (!SchemaParser.IsName(l.Name) || !TakeType(Naming.Pascal(l.Name))) continue;
                var classes = new HashSet<string>(StringComparer.Ordinal);
                var claimed = new HashSet<ulong>();
                var options = new List<OptionDef>();
                foreach (var o in l.Options)
                {
                    var value = SchemaTypes.ValueOf(ids, o.Id)?.Value;
                    if (!value.HasValue || !claimed.Add(value.Value) || !classes.Add(Naming.OptionClass(l.Name, o.Id))) continue;
                    var payload = o.Payload is null ? null : types.Struct(o.Payload);
                    bool fits = payload != null && (ulong)payload.Size <= SchemaTypes.MaxValue(types.SizeOf(length.Type));
                    int? min = fits && o.MinLength.HasValue && o.MinLength.Value <= payload!.Size ? o.MinLength : null;
                    options.Add(o with { Payload = fits ? o.Payload : null, MinLength = min, Requires = Requires(o, l, header, types) });
                }
                list.Add(l with { Options = EquatableArray.From(options) });
            }
            return EquatableArray.From(list);
        }

        private static EquatableArray<HeaderValueDef> Requires(OptionDef o, OptionListDef l, StructDef header, SchemaTypes types)
        {
            var fields = new HashSet<string>(StringComparer.Ordinal);
            var list = new List<HeaderValueDef>();
            foreach (var r in o.Requires)
            {
                var field = r.Field == l.IdField || r.Field == l.LengthField ? null : SchemaTypes.ValueField(header, r.Field);
                if (field is null || types.KindOf(field.Type) is not (TypeKind.Integer or TypeKind.Enum) || !fields.Add(Naming.Pascal(r.Field))) continue;
                ulong? value = r.Number;
                int dot = r.Value.IndexOf('.');
                if (!value.HasValue && dot > 0 && types.Enum(r.Value.Substring(0, dot)) is EnumDef e) value = SchemaTypes.ValueOf(e, r.Value.Substring(dot + 1))?.Value;
                if (value.HasValue && value.Value <= SchemaTypes.MaxValue(types.SizeOf(field.Type))) list.Add(r);
            }
            return EquatableArray.From(list);
        }
    }
}
