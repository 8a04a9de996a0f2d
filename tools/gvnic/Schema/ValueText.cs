using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using Gvnic.Wire;

namespace Gvnic.Cli.Schema;

/// <summary>How values are shown (hex, decimal, enum and flag names) and parsed from FIELD=VALUE text.</summary>
internal static class ValueText
{
    /// <summary><c>0x002a</c>: as many hex digits as the value's bit width needs.</summary>
    public static string Hex(SchemaRow row, ulong value) => "0x" + value.ToString("x" + Math.Max(1, (row.Width + 3) / 4), CultureInfo.InvariantCulture);

    /// <summary>The meaning of a value: its enum or flag names, true/false, or a note on a reserved span; "" for a plain number.</summary>
    public static string Meaning(SchemaRow row, ulong value, out bool problem)
    {
        problem = false;
        var field = row.Field;
        switch (field.Kind)
        {
            case WireFieldKind.Bool:
                return value != 0 ? "true" : "false";
            case WireFieldKind.Enum:
            {
                var names = SchemaWalker.EnumNames(field.TypeName, value);
                if (names.Count > 0) return string.Join(" / ", names);
                problem = true;
                return "unknown enum value (" + field.TypeName + ")";
            }
            case WireFieldKind.Flags:
            {
                var names = FlagNames(field.TypeName, value, out ulong unknown);
                if (unknown != 0)
                {
                    problem = true;
                    names.Add("unknown bits 0x" + unknown.ToString("x", CultureInfo.InvariantCulture));
                }
                return names.Count == 0 ? "(none)" : string.Join(" | ", names);
            }
        }
        if (field.Reserved == "zero")
        {
            if (value == 0) return "reserved";
            problem = true;
            return "reserved, must be zero";
        }
        return field.Reserved == "ignore" ? "reserved" : "";
    }

    /// <summary>The names of the flags set in <paramref name="value"/>, and the bits no flag names.</summary>
    public static List<string> FlagNames(string? enumName, ulong value, out ulong unknown)
    {
        var names = new List<string>();
        unknown = value;
        var e = enumName is null ? null : GvnicCatalog.FindEnum(enumName);
        if (e is null) return names;
        foreach (var v in e.Values)
        {
            if (v.Value != 0 && (value & v.Value) == v.Value)
            {
                names.Add(v.Name);
                unknown &= ~v.Value;
            }
        }
        return names;
    }

    /// <summary>
    /// Parses VALUE for <paramref name="row"/>: decimal, <c>0x</c> hex, <c>0b</c> binary, an enum value name,
    /// flag names joined with <c>|</c>, or <c>true</c>/<c>false</c> for a bool. Errors name <paramref name="argument"/>
    /// and list what is allowed.
    /// </summary>
    public static ulong Parse(SchemaRow row, string text, string argument)
    {
        var field = row.Field;
        string t = text.Trim();
        if (t.Length == 0) throw new UsageException(argument + ": empty value; " + Allowed(row));
        if (field.Kind == WireFieldKind.Bool)
        {
            if (t.Equals("true", StringComparison.OrdinalIgnoreCase)) return 1;
            if (t.Equals("false", StringComparison.OrdinalIgnoreCase)) return 0;
        }
        if (TryNumber(t, out ulong number, out bool overflow))
        {
            if (number > row.MaxValue || overflow)
                throw new UsageException(argument + ": " + t + " is out of range; " + Allowed(row));
            return number;
        }
        if (t.StartsWith('-')) throw new UsageException(argument + ": " + t + " is negative; " + Allowed(row));
        if (field.Kind == WireFieldKind.Enum)
        {
            var e = GvnicCatalog.FindEnum(field.TypeName ?? "");
            var match = e?.Values.FirstOrDefault(v => v.Name.Equals(t, StringComparison.OrdinalIgnoreCase));
            if (match is not null) return Fit(row, match.Value, t, argument);
            throw new UsageException(argument + ": '" + t + "' is not a value of " + field.TypeName
                + Suggest.Hint(t, e?.Values.Select(v => v.Name) ?? []) + "; " + Allowed(row));
        }
        if (field.Kind == WireFieldKind.Flags)
        {
            var e = GvnicCatalog.FindEnum(field.TypeName ?? "");
            ulong result = 0;
            foreach (var part in t.Split('|', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                var match = e?.Values.FirstOrDefault(v => v.Name.Equals(part, StringComparison.OrdinalIgnoreCase));
                if (match is null)
                    throw new UsageException(argument + ": '" + part + "' is not a flag of " + field.TypeName
                        + Suggest.Hint(part, e?.Values.Select(v => v.Name) ?? []) + "; " + Allowed(row));
                result |= match.Value;
            }
            return Fit(row, result, t, argument);
        }
        throw new UsageException(argument + ": '" + t + "' is not a number; " + Allowed(row));
    }

    private static ulong Fit(SchemaRow row, ulong value, string text, string argument)
    {
        if (value > row.MaxValue) throw new UsageException(argument + ": " + text + " is out of range; " + Allowed(row));
        return value;
    }

    /// <summary>What a field accepts, e.g. <c>dtype is 5 bits: 0..31 (0x1f) or a tx_desc_dtype_dqo name: general_context, tso_context, packet</c>.</summary>
    public static string Allowed(SchemaRow row)
    {
        var field = row.Field;
        string name = SchemaWalker.Template(row.Path);
        if (field.Kind == WireFieldKind.Bool) return name + " is a bool: true, false, 1 or 0";
        string range = name + " is " + row.Width + " bit" + (row.Width == 1 ? "" : "s") + ": 0.." + row.MaxValue.ToString(CultureInfo.InvariantCulture)
            + " (0x" + row.MaxValue.ToString("x", CultureInfo.InvariantCulture) + ")";
        var e = field.Kind is WireFieldKind.Enum or WireFieldKind.Flags ? GvnicCatalog.FindEnum(field.TypeName ?? "") : null;
        if (e is null) return range;
        string names = string.Join(", ", e.Values.Select(v => v.Name));
        return field.Kind == WireFieldKind.Flags
            ? range + " or " + field.TypeName + " flags joined with '|': " + names
            : range + " or a " + field.TypeName + " name: " + names;
    }

    /// <summary>Decimal, <c>0x</c> hex or <c>0b</c> binary; <paramref name="overflow"/> when the number exceeds 64 bits.</summary>
    public static bool TryNumber(string text, out ulong value, out bool overflow)
    {
        overflow = false;
        value = 0;
        string t = text.Replace("_", "", StringComparison.Ordinal);
        if (t.StartsWith("0x", StringComparison.OrdinalIgnoreCase))
        {
            var digits = t.AsSpan(2);
            if (digits.Length == 0 || !digits.ContainsOnlyHex()) return false;
            overflow = digits.TrimStart('0').Length > 16;
            if (overflow) return true;
            value = ulong.Parse(digits, NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture);
            return true;
        }
        if (t.StartsWith("0b", StringComparison.OrdinalIgnoreCase))
        {
            var digits = t.AsSpan(2);
            if (digits.Length == 0) return false;
            foreach (char c in digits)
                if (c is not ('0' or '1')) return false;
            overflow = digits.TrimStart('0').Length > 64;
            if (overflow) return true;
            value = Convert.ToUInt64(digits.ToString(), 2);
            return true;
        }
        foreach (char c in t)
            if (c is < '0' or > '9') return false;
        if (t.Length == 0) return false;
        if (!ulong.TryParse(t, NumberStyles.None, CultureInfo.InvariantCulture, out value))
        {
            overflow = true;
            value = ulong.MaxValue;
        }
        return true;
    }
}
