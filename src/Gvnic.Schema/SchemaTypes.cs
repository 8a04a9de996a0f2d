using System;
using System.Collections.Generic;

namespace Gvnic.Schema
{
    /// <summary>Resolves type names of one schema to their kind and size.</summary>
    public sealed class SchemaTypes
    {
        private readonly Dictionary<string, EnumDef> _enums = new Dictionary<string, EnumDef>(StringComparer.Ordinal);
        private readonly Dictionary<string, StructDef> _structs = new Dictionary<string, StructDef>(StringComparer.Ordinal);
        private readonly Dictionary<string, ConstantDef> _constants = new Dictionary<string, ConstantDef>(StringComparer.Ordinal);

        /// <summary>Indexes the enums and structs of <paramref name="document"/> (the first of a duplicate name wins).</summary>
        public SchemaTypes(SchemaDocument document)
        {
            foreach (var e in document.Enums)
            {
                if (!_enums.ContainsKey(e.Name) && !_structs.ContainsKey(e.Name)) _enums.Add(e.Name, e);
            }
            foreach (var s in document.Structs)
            {
                if (!_enums.ContainsKey(s.Name) && !_structs.ContainsKey(s.Name)) _structs.Add(s.Name, s);
            }
            foreach (var c in document.Constants)
            {
                if (!_constants.ContainsKey(c.Name)) _constants.Add(c.Name, c);
            }
        }

        /// <summary>
        /// The value of <c>max_size:</c> of <paramref name="s"/>: its number, or the value of the constant it names; null
        /// when the struct states none, or it resolves to nothing (the validator reports that).
        /// </summary>
        public ulong? MaxSize(StructDef s)
        {
            if (s.MaxSizeText is null) return null;
            if (SchemaParser.TryParseNumber(s.MaxSizeText, out var n)) return n;
            return _constants.TryGetValue(s.MaxSizeText, out var c) ? c.Value : (ulong?)null;
        }

        /// <summary>
        /// The counter of the trailing array <paramref name="trailing"/> of <paramref name="owner"/>: the field its
        /// <c>counted_by:</c> names when that is a single integer value (not an enum, array, bit container, union or
        /// another trailing array); otherwise null.
        /// </summary>
        public FieldDef? Counter(StructDef owner, FieldDef trailing)
        {
            if (trailing.CountedBy is null) return null;
            foreach (var f in owner.Fields)
            {
                if (f.Name != trailing.CountedBy) continue;
                bool single = !f.IsUnion && !f.IsTrailing && !f.Count.HasValue && f.Bits.Count == 0;
                return single && KindOf(f.Type) == TypeKind.Integer ? f : null;
            }
            return null;
        }

        /// <summary>The size in bytes of an integer type name, or 0 when it is not one.</summary>
        public static int IntegerSize(string name)
        {
            switch (name)
            {
                case "u8": return 1;
                case "u16": return 2;
                case "u32": return 4;
                case "u64": return 8;
                default: return 0;
            }
        }

        /// <summary>What <paramref name="name"/> is.</summary>
        public TypeKind KindOf(string name)
        {
            if (IntegerSize(name) > 0) return TypeKind.Integer;
            if (name == "bool") return TypeKind.Bool;
            if (_enums.ContainsKey(name)) return TypeKind.Enum;
            if (_structs.ContainsKey(name)) return TypeKind.Struct;
            return TypeKind.Unknown;
        }

        /// <summary>The enum named <paramref name="name"/>, or null.</summary>
        public EnumDef? Enum(string name) => _enums.TryGetValue(name, out var e) ? e : null;

        /// <summary>The struct named <paramref name="name"/>, or null.</summary>
        public StructDef? Struct(string name) => _structs.TryGetValue(name, out var s) ? s : null;

        /// <summary>
        /// The size in bytes of one element of <paramref name="name"/>: an integer, an enum's storage or a
        /// struct's declared size; 0 when unknown or for bool.
        /// </summary>
        public int SizeOf(string name)
        {
            int size = IntegerSize(name);
            if (size > 0) return size;
            if (_enums.TryGetValue(name, out var e)) return IntegerSize(e.Type);
            if (_structs.TryGetValue(name, out var s)) return s.Size;
            return 0;
        }

        /// <summary>The number of bytes a field or union member occupies.</summary>
        public int SizeOf(FieldDef field)
        {
            if (field.IsUnion) return field.UnionSize ?? 0;
            return SizeOf(field.Type) * (field.Count ?? 1);
        }

        /// <summary>
        /// The type name of a union's selector: a sibling field or bit range of <paramref name="owner"/>, or,
        /// written <c>member.bitfield</c>, a field or bit range of one of the union's struct members. Null
        /// when the union has no selector or it names nothing.
        /// </summary>
        public string? SelectorType(StructDef owner, FieldDef union)
        {
            var path = union.Select;
            if (path is null) return null;
            int dot = path.IndexOf('.');
            if (dot < 0) return FindTyped(owner.Fields, path);
            var memberName = path.Substring(0, dot);
            foreach (var m in union.Union)
            {
                if (m.Name == memberName) return Struct(m.Type) is StructDef st ? FindTyped(st.Fields, path.Substring(dot + 1)) : null;
            }
            return null;
        }

        /// <summary>
        /// The type of the field or bit range named <paramref name="name"/> among <paramref name="fields"/>, when it holds one
        /// value of that type (not a union, an array, or a container whose bits are split into ranges).
        /// </summary>
        public static string? FindTyped(EquatableArray<FieldDef> fields, string name)
        {
            foreach (var f in fields)
            {
                if (f.Name == name && !f.IsUnion && !f.IsTrailing && !f.Count.HasValue && f.Bits.Count == 0) return f.Type;
                foreach (var b in f.Bits)
                {
                    if (b.Name == name) return b.Type;
                }
            }
            return null;
        }

        /// <summary>The field named <paramref name="name"/> of <paramref name="s"/> when it holds one value (not a union or an array, no bit ranges), or null.</summary>
        public static FieldDef? ValueField(StructDef s, string name)
        {
            foreach (var f in s.Fields)
            {
                if (f.Name == name) return f.IsUnion || f.IsTrailing || f.Count.HasValue || f.Bits.Count > 0 ? null : f;
            }
            return null;
        }

        /// <summary>The value named <paramref name="name"/> of <paramref name="e"/>, or null.</summary>
        public static EnumValueDef? ValueOf(EnumDef e, string name)
        {
            foreach (var v in e.Values)
            {
                if (v.Name == name) return v;
            }
            return null;
        }

        /// <summary>The largest value an integer of <paramref name="bytes"/> bytes holds.</summary>
        public static ulong MaxValue(int bytes) => bytes >= 8 ? ulong.MaxValue : (1UL << (bytes * 8)) - 1;

        /// <summary>The largest value <paramref name="bits"/> bits hold.</summary>
        public static ulong MaxValueOfBits(int bits) => bits >= 64 ? ulong.MaxValue : (1UL << bits) - 1;
    }
}
