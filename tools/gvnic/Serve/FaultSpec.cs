using System;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Text;
using Gvnic.Cli.Schema;
using Gvnic.Simulator.Faults;
using Gvnic.Wire;

namespace Gvnic.Cli.Serve;

/// <summary>One fault of <c>gvnic serve --faults</c>: the model's fault, and for a device event when it happens.</summary>
/// <param name="Fault">The fault (kind, queue, skip, persistent, opcode, status).</param>
/// <param name="At">For a device event (reset request, link flap, stalled admin queue): how long after the driver first
/// configured the device's resources it happens. Null for every other kind, which is armed from the start and waits for
/// its chance.</param>
internal sealed record ScheduledFault(DeviceFault Fault, TimeSpan? At)
{
    /// <inheritdoc/>
    public override string ToString() => FaultSpec.Name(Fault.Kind) + (Fault.Queue >= 0 ? " queue " + Fault.Queue : "") + (Fault.Skip > 0 ? " after " + Fault.Skip + " chances" : "")
        + (Fault.Persistent ? " persistent" : "") + (Fault.Kind == DeviceFaultKind.AdminCommandStatus ? " " + Enum(AdminqOpcodesInfo.SchemaName, (ulong)Fault.Opcode) + "=" + Enum(AdminqStatusesInfo.SchemaName, (ulong)Fault.Status) : "")
        + (At is TimeSpan at ? " " + at.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s after configuration" : "");

    private static string Enum(string schemaName, ulong value) =>
        GvnicCatalog.FindEnum(schemaName)?.Values.FirstOrDefault(v => v.Value == value)?.Name ?? value.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// Parses <c>--faults</c>: a comma-separated list of <c>KIND[:KEY=VALUE]...</c>, KIND the model's
/// <see cref="DeviceFaultKind"/> in kebab case (<c>gqi-rx-len-zero</c>), keys <c>queue=Q</c>, <c>skip=N</c>,
/// <c>persistent</c>, <c>opcode=NAME</c> and <c>status=NAME</c> (admin-command-status; schema names such as
/// <c>create_tx_queue</c>, <c>command_error_internal_error</c>) and <c>at=SECONDS</c> (device events).
/// </summary>
internal static class FaultSpec
{
    /// <summary>Every kind's command-line name.</summary>
    public static IReadOnlyList<string> Names { get; } = System.Enum.GetValues<DeviceFaultKind>().Select(Name).ToArray();

    /// <summary><c>GqiRxLenZero</c> → <c>gqi-rx-len-zero</c>.</summary>
    public static string Name(DeviceFaultKind kind)
    {
        string text = kind.ToString();
        var b = new StringBuilder(text.Length + 8);
        for (int i = 0; i < text.Length; i++)
        {
            if (i > 0 && char.IsUpper(text[i])) b.Append('-');
            b.Append(char.ToLowerInvariant(text[i]));
        }

        return b.ToString();
    }

    /// <summary>The faults of <paramref name="text"/>; a <see cref="UsageException"/> naming the item and what is wrong otherwise.</summary>
    public static IReadOnlyList<ScheduledFault> Parse(string text)
    {
        var faults = new List<ScheduledFault>();
        if (text.Trim().Length == 0) throw new UsageException("--faults: empty; give KIND[:KEY=VALUE]..., e.g. gqi-rx-len-zero:skip=100 (kinds: " + string.Join(", ", Names) + ")");
        foreach (string raw in text.Split(','))
        {
            string item = raw.Trim();
            if (item.Length == 0) throw new UsageException("--faults '" + text + "': an empty item between commas");
            faults.Add(ParseOne(item));
        }

        return faults;
    }

    private static ScheduledFault ParseOne(string item)
    {
        string[] parts = item.Split(':');
        string kindText = parts[0].Trim().ToLowerInvariant().Replace('_', '-');
        int index = Array.IndexOf(Names.ToArray(), kindText);
        if (index < 0) throw new UsageException("--faults '" + item + "': '" + parts[0] + "' is not a fault kind" + Suggest.Hint(kindText, Names) + "; kinds: " + string.Join(", ", Names));
        var kind = System.Enum.GetValues<DeviceFaultKind>()[index];
        int queue = -1, skip = 0;
        bool persistent = false;
        AdminqOpcodes? opcode = null;
        AdminqStatuses? status = null;
        TimeSpan? at = null;
        bool isEvent = new DeviceFault(kind).IsEvent;
        foreach (string part in parts.Skip(1))
        {
            string key = part, value = "";
            int eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq >= 0)
            {
                key = part[..eq];
                value = part[(eq + 1)..];
            }

            key = key.Trim().ToLowerInvariant();
            value = value.Trim();
            switch (key)
            {
                case "queue": queue = Whole(item, key, value, 0, 1023); break;
                case "skip": skip = Whole(item, key, value, 0, int.MaxValue); break;
                case "persistent":
                    if (eq >= 0) throw new UsageException("--faults '" + item + "': 'persistent' takes no value");
                    persistent = true;
                    break;
                case "opcode": opcode = (AdminqOpcodes)SchemaValue(item, key, value, AdminqOpcodesInfo.SchemaName); break;
                case "status": status = (AdminqStatuses)SchemaValue(item, key, value, AdminqStatusesInfo.SchemaName); break;
                case "at":
                    if (!isEvent) throw new UsageException("--faults '" + item + "': 'at' is for device events (reset-request, link-flap, admin-event-counter-stalled); " + Name(kind) + " is armed at once and waits for its chance (use skip=N)");
                    if (!double.TryParse(value, NumberStyles.Float, CultureInfo.InvariantCulture, out double seconds) || seconds < 0 || seconds > 86400 || double.IsNaN(seconds))
                        throw new UsageException("--faults '" + item + "': at=" + value + " is not a number of seconds (0 to 86400)");
                    at = TimeSpan.FromSeconds(seconds);
                    break;
                default:
                    throw new UsageException("--faults '" + item + "': unknown key '" + key + "'" + Suggest.Hint(key, ["queue", "skip", "persistent", "opcode", "status", "at"]) + "; keys: queue, skip, persistent, opcode, status, at");
            }
        }

        if (kind == DeviceFaultKind.AdminCommandStatus && opcode is null)
            throw new UsageException("--faults '" + item + "': admin-command-status needs opcode=NAME (e.g. opcode=create_tx_queue)");
        if (kind != DeviceFaultKind.AdminCommandStatus && (opcode is not null || status is not null))
            throw new UsageException("--faults '" + item + "': opcode and status are for admin-command-status only");
        if (isEvent && at is null) at = TimeSpan.Zero;
        var fault = new DeviceFault(kind, queue, skip, persistent, opcode ?? AdminqOpcodes.DescribeDevice, status ?? AdminqStatuses.CommandErrorInternalError);
        return new ScheduledFault(fault, at);
    }

    private static int Whole(string item, string key, string value, int min, int max)
    {
        if (!int.TryParse(value, NumberStyles.None, CultureInfo.InvariantCulture, out int n) || n < min || n > max)
            throw new UsageException("--faults '" + item + "': " + key + "=" + value + " is not a whole number from " + min + " to " + max);
        return n;
    }

    private static ulong SchemaValue(string item, string key, string value, string schemaName)
    {
        var values = GvnicCatalog.FindEnum(schemaName)?.Values ?? throw new InvalidOperationException("the schema has no enum " + schemaName);
        string wanted = value.ToLowerInvariant().Replace('-', '_');
        foreach (var v in values)
        {
            if (v.Name == wanted) return v.Value;
        }

        throw new UsageException("--faults '" + item + "': " + key + "=" + value + " is not one of " + schemaName + Suggest.Hint(wanted, values.Select(v => v.Name)) + ": " + string.Join(", ", values.Select(v => v.Name)));
    }
}
