using System;
using System.Collections.Concurrent;
using System.Collections.Generic;
using System.Globalization;
using System.Linq;
using System.Net;
using System.Net.NetworkInformation;
using System.Threading;
using System.Threading.Tasks;
using Gvnic.Cli.Pcap;
using Gvnic.Driver;
using Gvnic.Platform;
using Gvnic.Wire;
using PacketDotNet;
using PacketDotNet.DhcpV4;
using Spectre.Console;

namespace Gvnic.Cli.Scenario;

/// <summary>
/// The scenario of <c>gvnic demo</c> and <c>gvnic up</c>: bring the NIC up with a view of each step, DHCP DISCOVER
/// and OFFER, ARP for the router, a ping, an optional UDP echo traffic run, statistics, evidence and teardown.
/// </summary>
internal sealed partial class ScenarioRunner
{
    private const uint DhcpXid = 0x67766e63; // "gvnc"
    private const ushort PingId = 0x6776;
    private const ushort TrafficSourcePort = 40000;

    /// <summary>The echo run's flows: source ports TrafficSourcePort … + 255, so that RSS has flows to spread (a few sequential ports can all hash to one queue).</summary>
    private const int TrafficFlows = 256;
    private const int TrafficPayload = 100;
    private const int UdpChecksumAt = 14 + 20 + 6;
    private const ushort TsoSourcePort = 41000;

    /// <summary>The pause between polls while a reply is awaited: every reply is seen within this of its arrival.</summary>
    internal static readonly TimeSpan PollInterval = TimeSpan.FromMilliseconds(1);

    /// <summary>The pause while a full TX ring drains (below a millisecond: a real sleep yields the processor).</summary>
    private static readonly TimeSpan FullRingPause = TimeSpan.FromMicroseconds(10);

    /// <summary>How often a run with timestamps calls <see cref="Nic.Service"/> (which reads the NIC clock when 250 ms have passed).</summary>
    private static readonly TimeSpan ServiceInterval = TimeSpan.FromMilliseconds(50);

    private readonly CliContext _context;
    private readonly ScenarioTarget _target;
    private readonly ScenarioOptions _options;
    private readonly IAnsiConsole _console;
    private readonly ConcurrentQueue<NicBringUpStep> _steps = new();
    private IPciFunction _pci;
    private Nic? _nic;
    private Capture? _capture;
    private byte[] _rxBuffer = [];
    private PhysicalAddress _mac = PhysicalAddress.None;
    private readonly RxResultTally _rxResults = new();
    private long _serviced;

    /// <summary>Prepares a run on <paramref name="target"/>.</summary>
    public ScenarioRunner(CliContext context, ScenarioTarget target, ScenarioOptions options)
    {
        _context = context;
        _target = target;
        _options = options;
        _console = context.Console;
        _pci = target.Pci;
    }

    private bool Interactive => _console.Profile.Capabilities.Interactive && _console.Profile.Capabilities.Ansi;

    /// <summary>
    /// Runs the whole scenario; the NIC is always torn down, and the pcap and trace files closed, before it returns or
    /// throws. With a trace, the driver works on the traced function.
    /// </summary>
    public ScenarioResult Run()
    {
        using var trace = ScenarioTrace.Start(_target.Pci, _options, _context.Time);
        if (trace is null) return RunScenario();
        _pci = trace;
        try
        {
            return RunScenario();
        }
        finally
        {
            trace.Dispose();
            _console.WriteLine(ScenarioTrace.Summary(trace, _options.TracePath!));
        }
    }

    private ScenarioResult RunScenario()
    {
        var result = new ScenarioResult();
        PcapWriter? pcap = null;
        if (_options.PcapPath is not null)
        {
            try
            {
                pcap = PcapWriter.Create(_options.PcapPath);
            }
            catch (Exception e) when (e is System.IO.IOException or UnauthorizedAccessException or NotSupportedException or ArgumentException)
            {
                throw new UsageException("--pcap '" + _options.PcapPath + "': cannot create the file: " + e.Message);
            }
        }
        using var capture = new Capture(_context.Time, pcap);
        _capture = capture;
        var nic = BringUp();
        _nic = nic;
        _rxBuffer = new byte[nic.MaxFrameSize + 64];
        Span<byte> macBytes = stackalloc byte[6];
        nic.MacAddress.CopyTo(macBytes);
        _mac = new PhysicalAddress(macBytes.ToArray());
        bool tornDown = false;
        try
        {
            _options.Cancellation.ThrowIfCancellationRequested();
            Describe(nic);
            Steering(nic);
            result.Offer = Dhcp();
            if (result.Offer is not null)
            {
                var router = result.Offer.Router ?? result.Offer.Server;
                result.RouterMac = Arp(result.Offer.YourAddress, router);
                if (result.RouterMac is not null)
                {
                    result.PingAnswered = Ping(result.Offer.YourAddress, router, result.RouterMac);
                    if (_options.Frames > 0) result.EchoesReceived = Traffic(result.Offer.YourAddress, router, result.RouterMac);
                    if (_options.Tso) TsoRun(result.Offer.YourAddress, router, result.RouterMac);
                }
            }
            result.FramesOut = capture.Sent;
            result.FramesIn = capture.Received;
            Statistics(nic);
            Evidence(nic, capture);
            tornDown = true;
            result.RegionsKept = TearDown(nic);
        }
        catch (OperationCanceledException) when (_options.Cancellation.IsCancellationRequested && !tornDown)
        {
            _console.MarkupLine("[yellow]![/] interrupted: tearing down");
            result.Interrupted = true;
            result.FramesOut = capture.Sent;
            result.FramesIn = capture.Received;
            tornDown = true;
            result.RegionsKept = TearDown(nic);
        }
        finally
        {
            if (!tornDown) nic.Dispose();
        }
        if (_options.PcapPath is not null)
            _console.WriteLine("Capture: " + (capture.Sent + capture.Received) + " frames (" + capture.Sent + " sent, " + capture.Received + " received) written to " + _options.PcapPath + " (pcap, Ethernet; open it with Wireshark or 'tshark -r').");
        return result;
    }

    // ---- bring-up -------------------------------------------------------------------------------------------------

    private Nic BringUp()
    {
        var nicOptions = new NicOptions
        {
            QueueFormat = _options.Format,
            TxQueues = _options.Queues,
            RxQueues = _options.Queues,
            WaitMode = _options.WaitMode,
            Mtu = _options.Mtu,
            Progress = _steps.Enqueue,
            TimeProvider = _context.Time,
            Timestamps = _options.Timestamps,
        };
        _console.WriteLine("Bringing up " + _target.Description);
        long start = _context.Time.GetTimestamp();
        var steps = StepTable();

        Nic nic;
        if (Interactive)
        {
            var open = Task.Run(() => Nic.Open(_pci, nicOptions));
            _console.Live(steps).Start(live =>
            {
                while (!open.IsCompleted)
                {
                    AddSteps(steps);
                    live.Refresh();
                    Thread.Sleep(15);
                }
                AddSteps(steps);
                live.Refresh();
            });
            nic = open.GetAwaiter().GetResult();
        }
        else
        {
            try
            {
                nic = Nic.Open(_pci, nicOptions);
            }
            finally
            {
                AddSteps(steps);
                if (steps.Rows.Count > 0) _console.Write(steps);
            }
        }
        double ms = _context.Time.GetElapsedTime(start).TotalMilliseconds;
        _console.MarkupLine("  [green]✓[/] " + Markup.Escape("up in " + ms.ToString("0.0", CultureInfo.InvariantCulture) + " ms: "
            + FormatName(nic.QueueFormat) + ", " + nic.TxQueueCount + " TX + " + nic.RxQueueCount + " RX queue" + (nic.RxQueueCount == 1 ? "" : "s")
            + ", rings " + nic.TxRingSize + "/" + nic.RxRingSize));
        return nic;
    }

    /// <summary>A borderless table for the driver's steps: mark, step, time, detail.</summary>
    private static Table StepTable()
    {
        var table = new Table().Border(TableBorder.None).HideHeaders();
        table.AddColumn("");
        table.AddColumn("Step");
        table.AddColumn(new TableColumn("Time").RightAligned());
        table.AddColumn("Detail");
        return table;
    }

    /// <summary>Moves the steps the driver has reported so far (on any thread) into <paramref name="table"/>; returns how many.</summary>
    private int AddSteps(Table table)
    {
        int added = 0;
        while (_steps.TryDequeue(out NicBringUpStep step))
        {
            table.AddRow(new Markup(step.Failed ? "  [red]✗[/]" : "  [green]✓[/]"), new Text(step.Name),
                new Text(step.Elapsed.TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture) + " ms"), new Text(step.Detail));
            added++;
        }
        return added;
    }

    private void Describe(Nic nic)
    {
        _console.WriteLine("Device: MAC " + nic.MacAddress + ", MTU " + nic.Mtu + ", link " + LinkText(nic));
    }

    // ---- the conversation -----------------------------------------------------------------------------------------

    private DhcpOffer? Dhcp()
    {
        var discover = Packets.Dhcp(_mac, Packets.Broadcast, IPAddress.Any, IPAddress.Broadcast, 68, 67, DhcpV4Operation.BootRequest, DhcpXid, _mac, null, null,
            [
                new MessageTypeOption(DhcpV4MessageType.Discover),
                new ParameterListOption([DhcpV4OptionType.SubnetMask, DhcpV4OptionType.Router, DhcpV4OptionType.MTUInterface]),
            ]);
        long start = _context.Time.GetTimestamp();
        Send(discover, 0);
        DhcpOffer? offer = null;
        Await(frame => (offer = Packets.ReadOffer(frame, DhcpXid)) is not null);
        if (offer is null)
        {
            _console.MarkupLine("[red]✗[/] " + Markup.Escape("DHCP DISCOVER (xid 0x" + DhcpXid.ToString("x8", CultureInfo.InvariantCulture) + "): no OFFER in " + Seconds(_options.ReplyTimeout)));
            return null;
        }
        int prefix = offer.SubnetMask is null ? 32 : PrefixLength(offer.SubnetMask);
        _console.MarkupLine("[green]✓[/] " + Markup.Escape("DHCP DISCOVER → OFFER " + offer.YourAddress + "/" + prefix + " from " + offer.Server
            + (offer.Router is null ? "" : ", router " + offer.Router)
            + (offer.Lease is null ? "" : ", lease " + offer.Lease.Value.TotalSeconds.ToString(CultureInfo.InvariantCulture) + " s")
            + " (" + Millis(start) + ")"));
        return offer;
    }

    private PhysicalAddress? Arp(IPAddress self, IPAddress router)
    {
        var request = Packets.Arp(ArpOperation.Request, _mac, self, PhysicalAddress.Parse("00-00-00-00-00-00"), router, Packets.Broadcast);
        long start = _context.Time.GetTimestamp();
        Send(request, 0);
        PhysicalAddress? answer = null;
        Await(frame =>
        {
            var arp = Packets.Parse(frame)?.Extract<ArpPacket>();
            if (arp is null || arp.Operation != ArpOperation.Response || !arp.SenderProtocolAddress.Equals(router)) return false;
            answer = arp.SenderHardwareAddress;
            return true;
        });
        if (answer is null)
        {
            _console.MarkupLine("[red]✗[/] " + Markup.Escape("ARP who-has " + router + " tell " + self + ": no reply in " + Seconds(_options.ReplyTimeout)));
            return null;
        }
        _console.MarkupLine("[green]✓[/] " + Markup.Escape("ARP who-has " + router + " → " + router + " is-at " + MacText(answer) + " (" + Millis(start) + ")"));
        return answer;
    }

    private bool Ping(IPAddress self, IPAddress router, PhysicalAddress routerMac)
    {
        var data = new byte[56];
        for (int i = 0; i < data.Length; i++) data[i] = (byte)i;
        var request = Packets.Echo(IcmpV4TypeCode.EchoRequest, _mac, routerMac, self, router, PingId, 1, data);
        long start = _context.Time.GetTimestamp();
        Send(request, 0);
        int replyBytes = 0;
        bool answered = Await(frame =>
        {
            var eth = Packets.Parse(frame);
            var icmp = eth?.Extract<IcmpV4Packet>();
            if (icmp is null || icmp.TypeCode != IcmpV4TypeCode.EchoReply || icmp.Id != PingId || icmp.Sequence != 1) return false;
            replyBytes = icmp.Bytes.Length;
            return true;
        });
        if (!answered)
        {
            _console.MarkupLine("[red]✗[/] " + Markup.Escape("ping " + router + ": no echo reply in " + Seconds(_options.ReplyTimeout)));
            return false;
        }
        _console.MarkupLine("[green]✓[/] " + Markup.Escape("ping " + router + ": " + replyBytes + " bytes from " + router + ": icmp_seq=1 time=" + Millis(start)));
        return true;
    }

    private int Traffic(IPAddress self, IPAddress router, PhysicalAddress routerMac)
    {
        var nic = _nic!;
        int total = _options.Frames;
        int queues = nic.TxQueueCount;
        // With --mtu the frames fill the MTU (IP and UDP headers included): jumbo frames end to end.
        int payloadBytes = _options.Mtu is int mtu ? mtu - 20 - 8 : TrafficPayload;
        var payload = new byte[payloadBytes];
        int received = 0;
        bool IsEcho(byte[] frame)
        {
            var udp = Packets.Parse(frame)?.Extract<UdpPacket>();
            if (udp is null || udp.SourcePort != Responder.EchoPort || udp.DestinationPort < TrafficSourcePort) return false;
            received++;
            return false; // keep draining
        }
        long start = _context.Time.GetTimestamp();
        void RunFrames(Action<int>? progress)
        {
            for (int i = 0; i < total; i++)
            {
                _options.Cancellation.ThrowIfCancellationRequested();
                System.Buffers.Binary.BinaryPrimitives.WriteInt32BigEndian(payload, i);
                var frame = Packets.Udp(_mac, routerMac, self, router, (ushort)(TrafficSourcePort + i % TrafficFlows), Responder.EchoPort, payload);
                if (_options.ChecksumOffload)
                {
                    var given = (byte[])frame.Clone();
                    given[UdpChecksumAt] = 0; // the driver writes the pseudo-header sum here, the device the checksum
                    given[UdpChecksumAt + 1] = 0;
                    SendOffloaded(given, i % queues, TxOffload.L4Checksum, [frame], IsEcho);
                }
                else
                {
                    Send(frame, i % queues, IsEcho);
                }
                Drain(IsEcho);
                progress?.Invoke(i + 1);
            }
            var deadline = _context.Time.GetTimestamp() + (long)(_options.ReplyTimeout.TotalSeconds * _context.Time.TimestampFrequency);
            while (received < total && _context.Time.GetTimestamp() < deadline)
            {
                _options.Cancellation.ThrowIfCancellationRequested();
                if (Drain(IsEcho) == 0) _context.Sleep(PollInterval);
            }
        }
        if (Interactive)
        {
            _console.Progress()
                .Columns(new TaskDescriptionColumn(), new ProgressBarColumn(), new PercentageColumn(), new ElapsedTimeColumn(), new SpinnerColumn())
                .Start(progress =>
                {
                    var task = progress.AddTask("UDP echo", maxValue: total);
                    RunFrames(done => task.Value = done);
                });
        }
        else
        {
            RunFrames(null);
        }
        double seconds = Math.Max(_context.Time.GetElapsedTime(start).TotalSeconds, 1e-9);
        int frameBytes = 14 + 20 + 8 + payloadBytes;
        string rate = ((total + received) / seconds).ToString("N0", CultureInfo.InvariantCulture);
        string line = "traffic: " + total + " UDP echo frames out, " + received + " in (" + frameBytes + " bytes each, " + queues + " TX queue" + (queues == 1 ? "" : "s")
            + (_options.ChecksumOffload ? ", UDP checksums computed by the device" : "")
            + ") in " + seconds.ToString("0.000", CultureInfo.InvariantCulture) + " s: " + rate + " frames/s";
        _console.MarkupLine((received == total ? "[green]✓[/] " : "[yellow]![/] ") + Markup.Escape(line));
        return received;
    }

    /// <summary>
    /// The --tso run: <see cref="Commands.ScenarioOptionSet.TsoFrames"/> TCP frames of <see cref="Commands.ScenarioOptionSet.TsoPayload"/>
    /// bytes to the router's discard port on TX queue 0, each cut by the device into segments of the MTU less 40 bytes.
    /// </summary>
    private void TsoRun(IPAddress self, IPAddress router, PhysicalAddress routerMac)
    {
        var nic = _nic!;
        int mss = nic.Mtu - 40;
        int frames = Commands.ScenarioOptionSet.TsoFrames, segments = 0, frameBytes = 0;
        var payload = new byte[Commands.ScenarioOptionSet.TsoPayload];
        for (int i = 0; i < payload.Length; i++) payload[i] = (byte)(i * 7 + (i >> 8));
        long start = _context.Time.GetTimestamp();
        for (int i = 0; i < frames; i++)
        {
            _options.Cancellation.ThrowIfCancellationRequested();
            var frame = Packets.Tcp(_mac, routerMac, self, router, TsoSourcePort, Responder.DiscardPort, (uint)(1 + i * payload.Length), (ushort)(0x4000 + i * 64), payload);
            var onWire = WireImage.Segments(frame, mss);
            SendOffloaded(frame, 0, TxOffload.Tso(mss), onWire);
            segments += onWire.Count;
            frameBytes = frame.Length;
        }
        Drain(null);
        _console.MarkupLine("[green]✓[/] " + Markup.Escape("TSO: " + frames + " TCP frames of " + frameBytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes out as " + segments
            + " segments of at most " + mss + " payload bytes (MSS) to " + router + ":" + Responder.DiscardPort + " (" + Millis(start) + ")"));
    }

    // ---- frames in and out ----------------------------------------------------------------------------------------

    /// <summary>
    /// Sends <paramref name="frame"/> with <paramref name="offload"/> (waiting while the ring is full) and records in the
    /// capture <paramref name="onWire"/>, what the device puts on the wire for it (<see cref="WireImage"/>).
    /// </summary>
    private void SendOffloaded(byte[] frame, int queue, in TxOffload offload, IReadOnlyList<byte[]> onWire, Func<byte[], bool>? onReceive = null)
    {
        var nic = _nic!;
        long deadline = _context.Time.GetTimestamp() + (long)(_options.ReplyTimeout.TotalSeconds * _context.Time.TimestampFrequency);
        while (!nic.Transmit(frame, queue, offload))
        {
            nic.ReclaimTransmitted(queue);
            Drain(onReceive);
            if (_context.Time.GetTimestamp() > deadline)
                throw new TimeoutException("TX queue " + queue + " stayed full for " + Seconds(_options.ReplyTimeout) + " (" + nic.TransmitsInFlight(queue) + " frames in flight)");
            _context.Sleep(FullRingPause);
        }
        foreach (var f in onWire) _capture!.Add(true, f);
        if (nic.TransmitsInFlight(queue) > nic.TxRingSize / 2) nic.ReclaimTransmitted(queue);
    }

    private void Send(byte[] frame, int queue, Func<byte[], bool>? onReceive = null)
    {
        var nic = _nic!;
        long deadline = _context.Time.GetTimestamp() + (long)(_options.ReplyTimeout.TotalSeconds * _context.Time.TimestampFrequency);
        while (!nic.Transmit(frame, queue))
        {
            nic.ReclaimTransmitted(queue);
            Drain(onReceive);
            if (_context.Time.GetTimestamp() > deadline)
                throw new TimeoutException("TX queue " + queue + " stayed full for " + Seconds(_options.ReplyTimeout) + " (" + nic.TransmitsInFlight(queue) + " frames in flight)");
            _context.Sleep(FullRingPause);
        }
        _capture!.Add(true, frame);
        if (nic.TransmitsInFlight(queue) > nic.TxRingSize / 2) nic.ReclaimTransmitted(queue);
    }

    /// <summary>Takes every waiting frame off every RX queue; returns how many.</summary>
    private int Drain(Func<byte[], bool>? onReceive) => Drain(onReceive, out _);

    private int Drain(Func<byte[], bool>? onReceive, out bool matched)
    {
        var nic = _nic!;
        matched = false;
        int count = 0;
        if (nic.TimestampsEnabled && _context.Time.GetElapsedTime(_serviced) >= ServiceInterval)
        {
            nic.Service(); // reads the NIC clock (every 250 ms), so RX timestamps extend against a recent read
            _serviced = _context.Time.GetTimestamp();
        }
        for (int q = 0; q < nic.RxQueueCount; q++)
        {
            while (nic.TryReceive(_rxBuffer, out int length, out RxInfo info, q))
            {
                _rxResults.Add(info);
                var frame = _rxBuffer.AsSpan(0, length).ToArray();
                _capture!.Add(false, frame);
                count++;
                if (onReceive is not null && onReceive(frame)) matched = true;
            }
        }
        for (int q = 0; q < nic.TxQueueCount; q++) nic.ReclaimTransmitted(q);
        return count;
    }

    /// <summary>Receives until <paramref name="match"/> accepts a frame or the reply timeout passes.</summary>
    private bool Await(Func<byte[], bool> match)
    {
        long deadline = _context.Time.GetTimestamp() + (long)(_options.ReplyTimeout.TotalSeconds * _context.Time.TimestampFrequency);
        while (true)
        {
            _options.Cancellation.ThrowIfCancellationRequested();
            Drain(match, out bool matched);
            if (matched) return true;
            if (_context.Time.GetTimestamp() > deadline) return false;
            Pause();
        }
    }

    /// <summary>
    /// Waits a little for frames: polling sleeps a millisecond; with interrupts the driver re-arms each RX queue's
    /// notification block and sleeps on its MSI-X vector (a few milliseconds a queue, so Ctrl-C and the deadline are seen).
    /// </summary>
    private void Pause()
    {
        var nic = _nic!;
        if (nic.WaitMode != NicWaitMode.Interrupts)
        {
            _context.Sleep(PollInterval);
            return;
        }
        for (int q = 0; q < nic.RxQueueCount; q++)
        {
            if (nic.WaitForReceive(TimeSpan.FromMilliseconds(20.0 / nic.RxQueueCount), q)) return;
        }
    }

    // ---- reporting ------------------------------------------------------------------------------------------------

    private void Statistics(Nic nic)
    {
        var table = new Table().Border(TableBorder.Simple).Title("Statistics (driver counters per queue)");
        bool offloads = _options.ChecksumOffload || _options.Tso;
        string[] columns = offloads
            ? ["Queue", "TX frames", "TX bytes", "TX done", "RX frames", "RX bytes", "RX dropped", "TX csum", "TSO frames", "TSO segs"]
            : ["Queue", "TX frames", "TX bytes", "TX done", "RX frames", "RX bytes", "RX dropped"];
        foreach (var column in columns)
            table.AddColumn(column == "Queue" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        int n = Math.Max(nic.TxQueueCount, nic.RxQueueCount);
        long[] sums = new long[columns.Length - 1];
        for (int q = 0; q < n; q++)
        {
            var tx = q < nic.TxQueueCount ? nic.GetTxStatistics(q) : default;
            var rx = q < nic.RxQueueCount ? nic.GetRxStatistics(q) : default;
            long[] values = offloads
                ? [tx.Packets, tx.Bytes, tx.Completed, rx.Packets, rx.Bytes, rx.Dropped, tx.ChecksumOffloads, tx.TsoFrames, tx.TsoSegments]
                : [tx.Packets, tx.Bytes, tx.Completed, rx.Packets, rx.Bytes, rx.Dropped];
            var cells = new List<Text> { new(q.ToString(CultureInfo.InvariantCulture)) };
            for (int i = 0; i < values.Length; i++)
            {
                sums[i] += values[i];
                cells.Add(new Text(values[i].ToString("N0", CultureInfo.InvariantCulture)));
            }
            table.AddRow(cells);
        }
        if (n > 1)
        {
            var cells = new List<Text> { new("all") };
            foreach (long s in sums) cells.Add(new Text(s.ToString("N0", CultureInfo.InvariantCulture)));
            table.AddRow(cells);
        }
        _console.Write(table);
        RxResults(nic);
    }

    /// <summary>What the device said about the frames received, per RX queue: checksum verdicts, packet types, RSS hashes, timestamps.</summary>
    private void RxResults(Nic nic)
    {
        var table = new Table().Border(TableBorder.Simple).Title("RX results (what the device said about the frames received)");
        var columns = new List<string> { "Queue", "Checksum good", "Checksum bad", "Not checked", "RSS hashes", "Packet types" };
        if (nic.TimestampsEnabled) columns.Add("Timestamped");
        foreach (var column in columns)
            table.AddColumn(column is "Queue" or "Packet types" ? new TableColumn(column) : new TableColumn(column).RightAligned());
        foreach (var (id, q) in _rxResults.Queues)
        {
            var cells = new List<Text>
            {
                new("RX " + id.ToString(CultureInfo.InvariantCulture)),
                new(q.ChecksumGood.ToString("N0", CultureInfo.InvariantCulture)),
                new(q.ChecksumBad.ToString("N0", CultureInfo.InvariantCulture)),
                new(q.ChecksumUnknown.ToString("N0", CultureInfo.InvariantCulture)),
                new(q.Hashes.Count == 0 ? "none" : q.Hashes.Count.ToString("N0", CultureInfo.InvariantCulture) + " (e.g. 0x" + q.Hashes.First().ToString("x8", CultureInfo.InvariantCulture) + ")"),
                new(RxResultTally.TypesText(q)),
            };
            if (nic.TimestampsEnabled) cells.Add(new Text(q.Stamped.ToString("N0", CultureInfo.InvariantCulture)));
            table.AddRow(cells);
        }
        _console.Write(table);
        if (nic.TimestampsEnabled)
        {
            var stamped = _rxResults.Queues.Where(p => p.Tally.Stamped > 0).Select(p => p.Tally).ToList();
            string span = stamped.Count == 0 ? "no frame stamped"
                : "frames stamped from " + stamped.Min(t => t.FirstStamp).ToString(CultureInfo.InvariantCulture) + " to " + stamped.Max(t => t.LastStamp).ToString(CultureInfo.InvariantCulture) + " ns";
            _console.WriteLine("NIC clock: last read " + nic.NicClockLastRead.ToString(CultureInfo.InvariantCulture) + " ns; " + span);
        }
    }

    private void Evidence(Nic nic, Capture capture)
    {
        _console.WriteLine("Evidence:");
        _console.WriteLine("  MAC:        " + nic.MacAddress);
        _console.WriteLine("  Link:       " + LinkText(nic));
        _console.WriteLine("  Format:     " + FormatName(nic.QueueFormat));
        _console.WriteLine("  Queues:     " + nic.TxQueueCount + " TX, " + nic.RxQueueCount + " RX (rings " + nic.TxRingSize + "/" + nic.RxRingSize + ")");
        _console.WriteLine("  Frames out: " + capture.Sent);
        _console.WriteLine("  Frames in:  " + capture.Received);
    }

    private int TearDown(Nic nic)
    {
        var dma = _pci.Dma;
        int regions = dma.OutstandingRegions;
        long bytes = dma.OutstandingBytes;
        long start = _context.Time.GetTimestamp();
        var steps = StepTable();
        try
        {
            nic.Dispose();
        }
        finally
        {
            if (AddSteps(steps) > 0) _console.Write(steps);
        }
        int kept = dma.OutstandingRegions;
        if (kept == 0)
        {
            _console.MarkupLine("[green]✓[/] " + Markup.Escape("torn down in " + Millis(start) + ": queues destroyed, page lists unregistered, admin queue released; every DMA allocation returned ("
                + regions + " regions, " + bytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes)"));
        }
        else
        {
            _console.MarkupLine("[red]✗[/] " + Markup.Escape("torn down, but " + kept + " of " + regions + " DMA regions (" + dma.OutstandingBytes.ToString("N0", CultureInfo.InvariantCulture) + " bytes) are still allocated"));
        }
        return kept;
    }

    /// <summary><c>GQI QPL (gqi-qpl)</c>: the schema name in upper case, then the command-line spelling.</summary>
    public static string FormatName(QueueFormat format)
    {
        string cli = Commands.ScenarioOptionSet.CliName(format);
        return cli.Replace('-', ' ').ToUpperInvariant() + " (" + cli + ")";
    }

    private static string LinkText(Nic nic)
    {
        string state = nic.LinkUp ? "up" : "down";
        ulong mbps = nic.LinkSpeedMbps;
        if (mbps == 0) return state;
        return state + ", " + (mbps % 1000 == 0 ? (mbps / 1000).ToString(CultureInfo.InvariantCulture) + " Gbps" : mbps.ToString(CultureInfo.InvariantCulture) + " Mbps");
    }

    private static string MacText(PhysicalAddress mac) => string.Join(":", Array.ConvertAll(mac.GetAddressBytes(), b => b.ToString("x2", CultureInfo.InvariantCulture)));

    private string Millis(long start) => _context.Time.GetElapsedTime(start).TotalMilliseconds.ToString("0.00", CultureInfo.InvariantCulture) + " ms";

    private static string Seconds(TimeSpan t) => t.TotalSeconds.ToString("0.#", CultureInfo.InvariantCulture) + " s";

    private static int PrefixLength(IPAddress mask)
    {
        int bits = 0;
        foreach (byte b in mask.GetAddressBytes()) bits += System.Numerics.BitOperations.PopCount(b);
        return bits;
    }
}
