using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using System.Runtime.InteropServices;
using System.Threading;
using Gvnic.Cli.Pcap;
using Gvnic.Cli.Scenario;
using Gvnic.Simulator;
using Gvnic.VfioUser.Device;
using Gvnic.VfioUser.Model;
using Gvnic.VfioUser.Server;

namespace Gvnic.Cli.Serve;

/// <summary>
/// One run of <c>gvnic serve</c>: the model behind a vfio-user server on a Unix socket, its wire to the demo's
/// responder, clients served one after another until Ctrl-C or SIGTERM (or, with <c>--once</c>, the first client's
/// departure), then the report: requests and refusals, the wire, faults fired, protocol violations, and what the last
/// client's driver left in the device and mapped.
/// </summary>
internal static class ServeSession
{
    /// <summary>
    /// Serves until stopped (<paramref name="stop"/>, a signal, or <c>--once</c>); returns <see cref="ExitCodes.Ok"/> when
    /// the model saw no protocol violation, put no frame with a wrong checksum on the wire, and the server refused nothing
    /// and met no device exception,
    /// <see cref="ExitCodes.DeviceError"/> otherwise.
    /// </summary>
    public static int Run(CliContext context, ServeOptions options, CancellationToken stop, bool handleSignals = true)
    {
        PcapWriter? pcap = null;
        if (options.PcapPath is not null)
        {
            try
            {
                pcap = PcapWriter.Create(options.PcapPath);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                throw new UsageException("--pcap " + options.PcapPath + ": " + e.Message);
            }
        }

        // The server's thread, the watcher and this one all report: one writer for them.
        TextWriter log = TextWriter.Synchronized(context.Error);
        using var device = new SimulatedGvnicDevice(options.DeviceConfig());
        var responder = new Responder();
        using var link = new ResponderLink(responder.Respond, pcap, context.Time);
        device.Model.AttachWire(link);
        foreach (ScheduledFault f in options.Faults.Where(f => f.At is null)) device.Model.InjectFault(f.Fault);

        var departures = new List<Departure>();
        using var server = new VfioUserServer(device, new VfioUserServerOptions { Log = line => log.WriteLine("gvnic serve: " + line) });
        var driverMappings = new DriverMappings(server);
        server.ClientLeaving += s =>
        {
            lock (departures) departures.Add(Departure.Of(s, device.Model, driverMappings));
            driverMappings.Reset();
        };
        try
        {
            server.Listen(options.SocketPath);
        }
        catch (IOException e)
        {
            throw new UsageException("--socket " + options.SocketPath + ": " + e.Message);
        }

        using var cancel = CancellationTokenSource.CreateLinkedTokenSource(stop);
        var registrations = new List<PosixSignalRegistration>();
        int signals = 0;
        if (handleSignals)
        {
            void Handle(PosixSignalContext c)
            {
                if (Interlocked.Increment(ref signals) > 1) return; // a second signal ends the process at once
                c.Cancel = true;
                log.WriteLine("gvnic serve: " + c.Signal + ": stopping; the report follows (send it again to exit at once)");
                cancel.Cancel();
            }

            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGINT, Handle));
            registrations.Add(PosixSignalRegistration.Create(PosixSignal.SIGTERM, Handle));
        }

        try
        {
            context.Out.WriteLine("gvnic serve: listening on " + options.SocketPath + ": a simulated gVNIC 1ae0:0042 rev " + options.Revision
                + ", formats " + FormatList(options.Formats) + ", up to " + options.Queues + " queue" + (options.Queues == 1 ? "" : "s") + " (" + device.Function.MsixVectors + " MSI-X vectors)"
                + ", faults " + (options.Faults.Count == 0 ? "none" : string.Join("; ", options.Faults)) + "; wire to a responder at " + Responder.RouterIp
                + (options.Once ? "; exits when the client leaves" : "; Ctrl-C to stop"));
            context.Out.Flush();
            using (new ServeWatcher(device.Model, options.Faults.Where(f => f.At is not null), log, context.Time))
            {
                server.Run(cancel.Token, options.Once ? 1 : int.MaxValue);
            }
        }
        finally
        {
            foreach (var r in registrations) r.Dispose();
        }

        Departure? last;
        lock (departures) last = departures.Count == 0 ? null : departures[^1];
        return Report(context, server, device, link, responder, last);
    }

    private static string FormatList(OfferedFormats formats) =>
        string.Join(",", Commands.ServeCommand.Formats.Where(f => (formats & f.Flag) != 0).Select(f => f.Name));

    private static int Report(CliContext context, VfioUserServer server, SimulatedGvnicDevice device, ResponderLink link, Responder responder, Departure? last)
    {
        TextWriter o = context.Out;
        VfioUserStatistics st = server.Statistics;
        SimulatedGvnic model = device.Model;
        o.WriteLine("gvnic serve: " + st.Connections + " client" + (st.Connections == 1 ? "" : "s") + ", " + st.Requests + " requests (" + st.RegionReads + " region reads, "
            + st.RegionWrites + " writes, " + st.DmaMaps + " DMA maps, " + st.DmaUnmaps + " unmaps), " + st.Refused + " refused, " + st.Resets + " device resets, "
            + st.DeviceExceptions + " device exceptions");
        foreach (RefusedRequest r in st.RecentRefusals.TakeLast(10)) o.WriteLine("  refused: " + r);
        o.WriteLine("gvnic serve: wire: " + link.Transmitted + " frames from the device, " + link.Delivered + " answers delivered, " + link.Dropped + " dropped; responder: "
            + responder.Offers + " DHCP offers, " + responder.Acks + " acks, " + responder.ArpReplies + " ARP replies, " + responder.EchoReplies + " echo replies, "
            + responder.UdpEchoes + " UDP echoes, " + responder.Ignored + " frames ignored; " + link.BadChecksums + " frames from the device with a wrong checksum"
            + (link.FirstBadChecksum is string bad ? " (first: " + bad + ")" : ""));
        o.WriteLine("gvnic serve: interrupts: " + server.Interrupts.Delivered + " delivered to eventfds, " + server.Interrupts.LeftPending + " left pending, "
            + device.LostInterrupts + " lost (MSI-X disabled)");
        var fired = model.FiredFaults;
        if (fired.Count > 0)
        {
            o.WriteLine("gvnic serve: faults fired: " + fired.Count);
            foreach (var f in fired.Take(20)) o.WriteLine("  " + f);
        }

        IReadOnlyList<ProtocolViolation> violations = model.Violations;
        o.WriteLine("gvnic serve: device model: " + violations.Count + " protocol violation" + (violations.Count == 1 ? "" : "s"));
        foreach (ProtocolViolation v in violations.Take(50)) o.WriteLine("  " + v);
        if (violations.Count > 50) o.WriteLine("  ... and " + (violations.Count - 50) + " more");
        if (last is null)
        {
            o.WriteLine("gvnic serve: no client connected");
        }
        else
        {
            o.WriteLine("gvnic serve: left behind when the last client left: " + last.TxQueues + " TX and " + last.RxQueues + " RX queues, " + last.PageLists + " page lists, resources "
                + (last.Format is null ? "not configured" : "configured (" + last.Format + ")") + ", " + last.Mappings + " DMA mappings (" + last.MappedBytes + " bytes), "
                + last.MappingsAdded + " of them made while a driver had bus mastering on (" + last.AddedBytes + " bytes: DMA its driver did not unmap)"
                + (last.DriverActive ? "; a driver still had bus mastering on (not removed before the client left)" : ""));
        }

        o.WriteLine("gvnic serve: result violations=" + violations.Count + " refused=" + st.Refused + " exceptions=" + st.DeviceExceptions + " bad-checksums=" + link.BadChecksums
            + " tx-queues=" + (last?.TxQueues ?? 0) + " rx-queues=" + (last?.RxQueues ?? 0) + " page-lists=" + (last?.PageLists ?? 0) + " configured=" + (last?.Format is null ? 0 : 1)
            + " mappings=" + (last?.Mappings ?? 0) + " mappings-added=" + (last?.MappingsAdded ?? 0) + " frames-out=" + link.Transmitted + " frames-in=" + link.Delivered + " interrupts=" + server.Interrupts.Delivered
            + " lost-interrupts=" + device.LostInterrupts + " faults-fired=" + fired.Count + " clients=" + st.Connections);
        return violations.Count == 0 && st.Refused == 0 && st.DeviceExceptions == 0 && link.BadChecksums == 0 ? ExitCodes.Ok : ExitCodes.DeviceError;
    }

    /// <summary>What a client left when it went: the driver's state in the device and its DMA mappings.</summary>
    private sealed record Departure(int TxQueues, int RxQueues, int PageLists, string? Format, int Mappings, ulong MappedBytes, int MappingsAdded, ulong AddedBytes, bool DriverActive)
    {
        public static Departure Of(VfioUserServer server, SimulatedGvnic model, DriverMappings driver)
        {
            IReadOnlyList<DmaRange> mappings = server.Memory.Mappings;
            ulong bytes = 0, addedBytes = 0;
            foreach (DmaRange m in mappings) bytes += m.Size;
            IReadOnlyList<DmaRange> left = driver.Left();
            foreach (DmaRange m in left) addedBytes += m.Size;
            return new Departure(model.TxQueueCount, model.RxQueueCount, model.RegisteredPageLists.Count,
                model.ConfiguredFormat is Gvnic.Wire.QueueFormat f ? Commands.ScenarioOptionSet.CliName(f) : null, mappings.Count, bytes, left.Count, addedBytes, driver.DriverActive);
        }
    }
}
