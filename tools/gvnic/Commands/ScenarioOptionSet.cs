using System;
using System.CommandLine;
using System.Linq;
using Gvnic.Cli.Scenario;
using Gvnic.Driver;
using Gvnic.Platform.Tracing;
using Gvnic.Wire;

namespace Gvnic.Cli.Commands;

/// <summary>The options <c>demo</c> and <c>up</c> share: --format, --queues, --frames, --pcap, --wait, --trace, --trace-data, --timestamps, --csum, --tso, --rss, --flow, --mtu.</summary>
internal sealed class ScenarioOptionSet
{
    /// <summary>
    /// The command-line spellings of the formats the driver implements (<see cref="Nic.ImplementedFormats"/>, in its order
    /// of preference): the schema's queue_format names with dashes (<c>dqo-rda</c>).
    /// </summary>
    public static readonly string[] FormatNames = Nic.ImplementedFormats.Select(CliName).ToArray();

    /// <summary><c>dqo-rda</c>: the schema name of <paramref name="format"/> (<c>dqo_rda</c>) with dashes.</summary>
    public static string CliName(QueueFormat format)
        => (GvnicCatalog.FindEnum(QueueFormatInfo.SchemaName)?.Values.FirstOrDefault(v => v.Value == (ulong)format)?.Name ?? format.ToString()).Replace('_', '-');

    /// <summary>Creates the options; <paramref name="defaultFrames"/> is the traffic run's default length.</summary>
    public ScenarioOptionSet(int defaultFrames)
    {
        Format = new Option<string?>("--format") { Description = "Force a queue format: " + string.Join("|", FormatNames) + " (default: the driver's choice among those the device offers).", HelpName = "FORMAT" };
        Queues = new Option<string>("--queues") { Description = "TX and RX queues to create.", DefaultValueFactory = _ => "1", HelpName = "N" };
        Frames = new Option<string>("--frames") { Description = "UDP echo frames in the traffic run (0 for none).", DefaultValueFactory = _ => defaultFrames.ToString(System.Globalization.CultureInfo.InvariantCulture), HelpName = "N" };
        Pcap = new Option<string?>("--pcap") { Description = "Write every frame sent and received to FILE (classic pcap, Ethernet) for Wireshark or tshark.", HelpName = "FILE" };
        Wait = new Option<string>("--wait") { Description = "How the driver waits for frames: polling (spin and sleep) or interrupts (sleep on the RX queues' MSI-X vectors).", DefaultValueFactory = _ => "polling", HelpName = "polling|interrupts" };
        Trace = new Option<string?>("--trace") { Description = "Write everything the driver does to the device to FILE (JSON lines: registers, doorbells, admin commands and answers; docs/trace.md); compare two with 'gvnic trace diff'.", HelpName = "FILE" };
        Timestamps = new Option<bool>("--timestamps") { Description = "Hardware RX timestamps: read the NIC clock (REPORT_NIC_TIMESTAMP) and show the time the device stamped on the frames received (needs a DQO format and a device offering NIC timestamps)." };
        Csum = new Option<bool>("--csum") { Description = "Send the UDP echo frames with TX checksum offload: the driver leaves the pseudo-header sum, the device computes the UDP checksum (the responder drops a wrong one)." };
        Tso = new Option<bool>("--tso") { Description = "After the echo run, send " + TsoFrames + " TCP frames of " + TsoPayload.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " bytes with TCP segmentation offload (MSS: the MTU less 40) to the router's discard port; --pcap records the segments that crossed the wire." };
        Rss = new Option<bool>("--rss") { Description = "Configure RSS after bring-up (CONFIGURE_RSS): a table spreading the hash buckets over the RX queues round robin, read back with QUERY_RSS where the device allows." };
        Flow = new Option<string[]>("--flow")
        {
            Description = "Add a flow-steering rule after bring-up, e.g. udp,dst-port=53,queue=1 (protocols: " + FlowRuleSyntax.Protocols + "; fields: " + FlowRuleSyntax.Fields + "). Repeatable.",
            HelpName = "RULE",
            AllowMultipleArgumentsPerToken = false,
        };
        Mtu = new Option<string?>("--mtu") { Description = "Run this MTU (up to the device's jumbo-frames limit, 8896 on GCE); the UDP echo run then sends frames of this MTU.", HelpName = "BYTES" };
        TraceData = new Option<string>("--trace-data") { Description = "How much of the data path --trace records: off (control path only), doorbells (every queue doorbell) or all (also repeated status reads and MSI-X waits).", DefaultValueFactory = _ => "doorbells", HelpName = "MODE" };
    }

    /// <summary>TCP frames the --tso run sends.</summary>
    public const int TsoFrames = 4;

    /// <summary>TCP payload bytes of each.</summary>
    public const int TsoPayload = 16000;

    /// <summary>--csum.</summary>
    public Option<bool> Csum { get; }

    /// <summary>--tso.</summary>
    public Option<bool> Tso { get; }

    /// <summary>--wait.</summary>
    public Option<string> Wait { get; }

    /// <summary>--format.</summary>
    public Option<string?> Format { get; }

    /// <summary>--queues.</summary>
    public Option<string> Queues { get; }

    /// <summary>--frames.</summary>
    public Option<string> Frames { get; }

    /// <summary>--pcap.</summary>
    public Option<string?> Pcap { get; }

    /// <summary>--trace.</summary>
    public Option<string?> Trace { get; }

    /// <summary>--trace-data.</summary>
    public Option<string> TraceData { get; }

    /// <summary>--timestamps.</summary>
    public Option<bool> Timestamps { get; }

    /// <summary>--rss.</summary>
    public Option<bool> Rss { get; }

    /// <summary>--flow (repeatable).</summary>
    public Option<string[]> Flow { get; }

    /// <summary>--mtu.</summary>
    public Option<string?> Mtu { get; }

    /// <summary>Adds the options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Format);
        command.Options.Add(Queues);
        command.Options.Add(Frames);
        command.Options.Add(Pcap);
        command.Options.Add(Wait);
        command.Options.Add(Trace);
        command.Options.Add(TraceData);
        command.Options.Add(Timestamps);
        command.Options.Add(Csum);
        command.Options.Add(Tso);
        command.Options.Add(Rss);
        command.Options.Add(Flow);
        command.Options.Add(Mtu);
    }

    /// <summary>Reads and checks the values; errors name the option.</summary>
    public ScenarioOptions Read(ParseResult parse, TimeSpan replyTimeout)
    {
        var format = ParseFormat(parse.GetValue(Format));
        int queues = Count(parse.GetValue(Queues)!, "--queues", 1, 64);
        int frames = Count(parse.GetValue(Frames)!, "--frames", 0, 100_000_000);
        string? pcap = parse.GetValue(Pcap);
        if (pcap is not null && pcap.Trim().Length == 0) throw new UsageException("--pcap: empty file name");
        string? trace = parse.GetValue(Trace);
        if (trace is not null && trace.Trim().Length == 0) throw new UsageException("--trace: empty file name");
        string dataText = parse.GetValue(TraceData)!;
        var data = ParseTraceData(dataText);
        if (trace is null && parse.GetResult(TraceData) is { Implicit: false })
            throw new UsageException("--trace-data " + dataText + " needs --trace FILE (it says how much the trace records)");
        var flows = Array.ConvertAll(parse.GetValue(Flow) ?? [], text => (text, FlowRuleSyntax.Parse(text)));
        string? mtuText = parse.GetValue(Mtu);
        int? mtu = mtuText is null ? null : Count(mtuText, "--mtu", 68, 65517);
        return new ScenarioOptions(format, queues, frames, pcap, replyTimeout)
        {
            WaitMode = ParseWait(parse.GetValue(Wait)!), TracePath = trace, TraceData = data, Rss = parse.GetValue(Rss), Flows = flows, Mtu = mtu,
            Timestamps = parse.GetValue(Timestamps), ChecksumOffload = parse.GetValue(Csum), Tso = parse.GetValue(Tso),
        };
    }

    /// <summary><c>off</c>, <c>doorbells</c> or <c>all</c>.</summary>
    public static TraceDataMode ParseTraceData(string text)
        => TraceFormat.TryParseDataMode(text, out var mode) ? mode
            : throw new UsageException("--trace-data '" + text + "' is not a mode; use off (control path only), doorbells (also every queue doorbell) or all (also repeated status reads and MSI-X waits)");

    /// <summary><c>gqi-qpl</c> → <see cref="QueueFormat.GqiQpl"/> (any format the driver implements); null for null.</summary>
    public static QueueFormat? ParseFormat(string? text)
    {
        if (text is null) return null;
        string wanted = text.Trim().ToLowerInvariant().Replace('_', '-');
        foreach (QueueFormat format in Nic.ImplementedFormats)
            if (CliName(format) == wanted) return format;
        string use = "; use one of " + string.Join(", ", FormatNames);
        var known = GvnicCatalog.FindEnum(QueueFormatInfo.SchemaName)?.Values.FirstOrDefault(v => v.Name.Replace('_', '-') == wanted);
        if (known is not null)
            throw new UsageException("--format '" + text + "' is a queue format the driver does not implement" + use);
        throw new UsageException("--format '" + text + "' is not a queue format" + use + Schema.Suggest.Hint(text, FormatNames));
    }

    /// <summary><c>polling</c> or <c>interrupts</c> → the driver's wait mode.</summary>
    public static NicWaitMode ParseWait(string text) => text.Trim().ToLowerInvariant() switch
    {
        "polling" or "poll" => NicWaitMode.Polling,
        "interrupts" or "interrupt" or "irq" => NicWaitMode.Interrupts,
        _ => throw new UsageException("--wait '" + text + "': use polling (spin and sleep) or interrupts (sleep on the RX queues' MSI-X vectors)"
            + Schema.Suggest.Hint(text.Trim().ToLowerInvariant(), ["polling", "interrupts"])),
    };

    private static int Count(string text, string option, int min, int max)
    {
        if (!int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out int value))
            throw new UsageException(option + " '" + text + "' is not a whole number (" + min + ".." + max + ")");
        if (value < min || value > max) throw new UsageException(option + " " + value + " is out of range (" + min + ".." + max + ")");
        return value;
    }
}
