using System;
using System.CommandLine;
using System.CommandLine.Parsing;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Gvnic.Cli.Traffic;

namespace Gvnic.Cli.Commands;

/// <summary>
/// The options of gen, sink and fwd, and their checks: every bad value is an exit-2 error naming the option, what was
/// wrong and what is allowed.
/// </summary>
internal sealed class TrafficOptionSet
{
    private readonly TrafficCommand _command;

    /// <summary>The options of <paramref name="command"/>.</summary>
    public TrafficOptionSet(TrafficCommand command)
    {
        _command = command;
        string generator = command == TrafficCommand.Gen ? "" : " (on the device model: the model's generator; not with --pci)";
        Queues = new Option<string>("--queues") { Description = "Queue pairs per NIC, one thread each, pinned to a CPU where the OS allows.", DefaultValueFactory = _ => "1", HelpName = "N" };
        Format = new Option<string?>("--format") { Description = "Force a queue format: " + string.Join("|", ScenarioOptionSet.FormatNames) + " (default: the driver's choice).", HelpName = "FORMAT" };
        Size = new Option<string>("--size") { Description = "Frame size without FCS: BYTES (60 is the smallest), MIN-MAX (uniform), or imix (60, 566, 1514: 7:4:1)" + generator + ".", DefaultValueFactory = _ => "60", HelpName = "BYTES|MIN-MAX|imix" };
        Rate = new Option<string>("--rate") { Description = "Frames per second over all queues; 0: as fast as possible" + generator + ".", DefaultValueFactory = _ => "0", HelpName = "PPS" };
        Flows = new Option<string>("--flows") { Description = "UDP flows (source ports 10000 and up), split over the TX queues" + generator + ".", DefaultValueFactory = _ => "64", HelpName = "N" };
        Duration = new Option<string?>("--duration") { Description = "Stop after this many seconds (default: at --frames, or Ctrl-C).", HelpName = "S" };
        Frames = new Option<string?>("--frames") { Description = command switch { TrafficCommand.Gen => "Stop after sending N frames.", TrafficCommand.Sink => "Stop after receiving N frames.", _ => "Stop after forwarding N frames." }, HelpName = "N" };
        Interval = new Option<string>("--interval") { Description = "Seconds between rows of the live table (and JSON lines).", DefaultValueFactory = _ => "1", HelpName = "S" };
        Json = new Option<bool>("--json") { Description = "Write one JSON object a line: an interval object every --interval and a summary object at the end (docs/cli.md)." };
        Pci = new Option<string[]>("--pci")
        {
            Description = command == TrafficCommand.Fwd
                ? "A real gVNIC bound to vfio-pci: twice for the two NICs to forward between, once with --reflect (default: the device model; docs/gce.md)."
                : "A real gVNIC bound to vfio-pci (default: the device model; docs/gce.md).",
            HelpName = "ADDRESS",
            Arity = ArgumentArity.ZeroOrMore,
        };
        NoIommu = new Option<bool>("--unsafe-noiommu") { Description = "Accept VFIO's unsafe no-IOMMU mode (GCE VMs without a virtual IOMMU; needs root and 2 MiB huge pages)." };
        Destination = new Option<string?>("--dst") { Description = "With --pci: the IPv4 address to send to (the NIC's own address and the router come from DHCP and ARP).", HelpName = "IP" };
        Mode = new Option<string>("--mode") { Description = "io (as received), macswap (MACs swapped) or 5tswap (MACs, IPv4 addresses and ports swapped: what a reflector in a VPC needs).", DefaultValueFactory = _ => "io", HelpName = "MODE" };
        Reflect = new Option<bool>("--reflect") { Description = "Forward on one NIC: every frame goes back out of the queue pair it came in on." };
    }

    /// <summary>--queues.</summary>
    public Option<string> Queues { get; }

    /// <summary>--format.</summary>
    public Option<string?> Format { get; }

    /// <summary>--size.</summary>
    public Option<string> Size { get; }

    /// <summary>--rate.</summary>
    public Option<string> Rate { get; }

    /// <summary>--flows.</summary>
    public Option<string> Flows { get; }

    /// <summary>--duration.</summary>
    public Option<string?> Duration { get; }

    /// <summary>--frames.</summary>
    public Option<string?> Frames { get; }

    /// <summary>--interval.</summary>
    public Option<string> Interval { get; }

    /// <summary>--json.</summary>
    public Option<bool> Json { get; }

    /// <summary>--pci (repeatable).</summary>
    public Option<string[]> Pci { get; }

    /// <summary>--unsafe-noiommu.</summary>
    public Option<bool> NoIommu { get; }

    /// <summary>--dst (gen).</summary>
    public Option<string?> Destination { get; }

    /// <summary>--mode (fwd).</summary>
    public Option<string> Mode { get; }

    /// <summary>--reflect (fwd).</summary>
    public Option<bool> Reflect { get; }

    /// <summary>Adds the command's options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Queues);
        command.Options.Add(Format);
        command.Options.Add(Size);
        command.Options.Add(Rate);
        command.Options.Add(Flows);
        command.Options.Add(Duration);
        command.Options.Add(Frames);
        command.Options.Add(Interval);
        command.Options.Add(Json);
        command.Options.Add(Pci);
        command.Options.Add(NoIommu);
        if (_command == TrafficCommand.Gen) command.Options.Add(Destination);
        if (_command == TrafficCommand.Fwd)
        {
            command.Options.Add(Mode);
            command.Options.Add(Reflect);
        }
    }

    /// <summary>Reads and checks every value.</summary>
    public TrafficOptions Read(ParseResult parse)
    {
        int queues = Whole(parse.GetValue(Queues)!, "--queues", 1, 64);
        var format = ScenarioOptionSet.ParseFormat(parse.GetValue(Format));
        var sizes = FrameSizes.Parse(parse.GetValue(Size)!);
        double rate = Real(parse.GetValue(Rate)!, "--rate", 0, 1e9, "frames per second (0: as fast as possible)");
        int flows = Whole(parse.GetValue(Flows)!, "--flows", 1, TrafficFrame.MaxFlows);
        if (flows < queues)
            throw new UsageException("--flows " + flows + " is fewer than --queues " + queues + ": every TX queue sends flows of its own; give at least " + queues);
        TimeSpan? duration = parse.GetValue(Duration) is string d ? TimeSpan.FromSeconds(Real(d, "--duration", 0.001, 31_536_000, "seconds", exclusiveMin: 0)) : null;
        long? frames = parse.GetValue(Frames) is string f ? Whole(f, "--frames", 1, 1_000_000_000_000) : null;
        var interval = TimeSpan.FromSeconds(Real(parse.GetValue(Interval)!, "--interval", 0.01, 3600, "seconds"));
        string[] pci = parse.GetValue(Pci) ?? [];
        bool reflect = _command == TrafficCommand.Fwd && parse.GetValue(Reflect);
        var mode = _command == TrafficCommand.Fwd ? ParseMode(parse.GetValue(Mode)!) : ForwardMode.Io;
        IPAddress? destination = _command == TrafficCommand.Gen && parse.GetValue(Destination) is string dst ? ParseIp(dst) : null;

        int wanted = _command == TrafficCommand.Fwd && !reflect ? 2 : 1;
        if (pci.Length > wanted)
            throw new UsageException("--pci is given " + pci.Length + " times; " + (_command == TrafficCommand.Fwd
                ? reflect ? "fwd --reflect runs on one NIC" : "fwd forwards between two NICs"
                : "gvnic " + Name + " runs on one NIC"));
        if (pci.Length > 0 && pci.Length < wanted)
            throw new UsageException("--pci is given once; fwd forwards between two NICs: give --pci twice, or add --reflect to send frames back out of one");
        if (pci.Length == 2 && pci[0].Trim() == pci[1].Trim())
            throw new UsageException("--pci " + pci[0] + " is given twice; fwd forwards between two different NICs (or use --reflect)");
        if (pci.Length > 0 && _command != TrafficCommand.Gen)
        {
            foreach (var option in new Option[] { Size, Rate, Flows })
                if (parse.GetResult(option) is { Implicit: false })
                    throw new UsageException(option.Name + ": with --pci, " + Name + " takes the traffic that arrives; " + option.Name + " sets the device model's generator, which runs only without --pci");
        }
        if (_command == TrafficCommand.Gen && pci.Length > 0 && destination is null)
            throw new UsageException("--dst is needed with --pci: the IPv4 address to send to (e.g. the address of a NIC running 'gvnic sink' or 'gvnic fwd --reflect'; docs/gce.md)");
        if (_command == TrafficCommand.Gen && pci.Length == 0 && destination is not null)
            throw new UsageException("--dst " + destination + ": on the device model gen sends to the model's sink (10.0.1.2); --dst is for --pci");
        if (parse.GetValue(NoIommu) && pci.Length == 0)
            throw new UsageException("--unsafe-noiommu is for --pci; without it the run is on the device model");
        return new TrafficOptions(_command, format, queues, sizes, rate, flows, duration, frames, interval, parse.GetValue(Json), mode, reflect, pci, parse.GetValue(NoIommu), destination);
    }

    private string Name => _command switch { TrafficCommand.Gen => "gen", TrafficCommand.Sink => "sink", _ => "fwd" };

    private static ForwardMode ParseMode(string text) => text.Trim().ToLowerInvariant() switch
    {
        "io" => ForwardMode.Io,
        "macswap" => ForwardMode.MacSwap,
        "5tswap" => ForwardMode.FiveTupleSwap,
        _ => throw new UsageException("--mode '" + text + "' is not a forwarding mode; use io, macswap or 5tswap" + Schema.Suggest.Hint(text, ["io", "macswap", "5tswap"])),
    };

    private static IPAddress ParseIp(string text)
    {
        if (!IPAddress.TryParse(text.Trim(), out var ip) || ip.AddressFamily != AddressFamily.InterNetwork || text.Trim().Split('.').Length != 4)
            throw new UsageException("--dst '" + text + "' is not an IPv4 address (e.g. 10.20.0.2)");
        return ip;
    }

    private static long Whole(string text, string option, long min, long max)
    {
        if (!long.TryParse(text.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out long value))
            throw new UsageException(option + " '" + text + "' is not a whole number (" + min.ToString("N0", CultureInfo.InvariantCulture) + ".." + max.ToString("N0", CultureInfo.InvariantCulture) + ")");
        if (value < min || value > max)
            throw new UsageException(option + " " + value + " is out of range (" + min.ToString("N0", CultureInfo.InvariantCulture) + ".." + max.ToString("N0", CultureInfo.InvariantCulture) + ")");
        return value;
    }

    private static int Whole(string text, string option, int min, int max) => (int)Whole(text, option, (long)min, max);

    private static double Real(string text, string option, double min, double max, string unit, double? exclusiveMin = null)
    {
        if (!double.TryParse(text.Trim(), NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out double value) || double.IsNaN(value))
            throw new UsageException(option + " '" + text + "' is not a number of " + unit + " (" + min.ToString(CultureInfo.InvariantCulture) + ".." + max.ToString(CultureInfo.InvariantCulture) + ")");
        if (value < min || value > max || (exclusiveMin is double e && value <= e))
            throw new UsageException(option + " " + text.Trim() + " is out of range: " + unit + ", " + min.ToString(CultureInfo.InvariantCulture) + ".." + max.ToString(CultureInfo.InvariantCulture));
        return value;
    }
}
