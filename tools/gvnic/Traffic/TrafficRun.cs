using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Linq;
using System.Threading;
using Gvnic.Cli.Commands;
using Gvnic.Driver;
using Gvnic.Platform;
using Gvnic.Simulator;
using Spectre.Console;

namespace Gvnic.Cli.Traffic;

/// <summary>
/// One run of gen, sink or fwd: bring the NICs up, build the workers, start one thread per queue pair, watch them
/// (the live table every interval, the driver's periodic check and any recovery with every thread paused), stop them
/// in order so what is in flight arrives, write the summary, tear every NIC down. docs/cli.md describes the output.
/// </summary>
internal sealed class TrafficRun
{
    private static readonly TimeSpan PollEvery = TimeSpan.FromMilliseconds(10);
    private static readonly TimeSpan QuietFor = TimeSpan.FromMilliseconds(50);
    private static readonly TimeSpan DrainAtMost = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan PauseAtMost = TimeSpan.FromSeconds(1);
    private static readonly TimeSpan ReplyTimeout = TimeSpan.FromSeconds(3);

    private readonly CliContext _context;
    private readonly TrafficOptions _options;
    private readonly TrafficReport _report;
    private readonly TrafficSetup _setup = new();
    private readonly TrafficSummary _summary = new();

    private readonly TeardownOnSignal? _signals;
    private bool _announced;
    private bool _ran;
    private string? _cpuProblem;
    private int _cpuCount;

    private TrafficRun(CliContext context, TrafficOptions options, TeardownOnSignal? signals)
    {
        _context = context;
        _options = options;
        _signals = signals;
        _report = new TrafficReport(context.Console, options);
    }

    /// <summary>Called once the threads are working (tests use it to send a signal at a known moment).</summary>
    internal Action? Started { get; init; }

    /// <summary>
    /// Runs on the device model: the simulated NICs of the command's topology, built and joined here (two NICs on one
    /// cable; fwd between two NICs: four, on two cables; <see cref="ModelCable"/>). <paramref name="prepare"/> sees them before bring-up (fault
    /// injection in tests). <paramref name="signals"/> (Ctrl-C, SIGTERM) ends the run; null: nothing does.
    /// </summary>
    public static int OnModel(CliContext context, TrafficOptions options, TeardownOnSignal? signals, Action<IReadOnlyList<SimulatedGvnic>>? prepare = null, Action? started = null)
    {
        int count = options.Command == TrafficCommand.Fwd && !options.Reflect ? 4 : 2;
        var devices = new List<SimulatedGvnic>();
        try
        {
            for (int i = 0; i < count; i++) devices.Add(TrafficSetup.ModelDevice(i));
            var run = new TrafficRun(context, options, signals) { Started = started };
            for (int i = 0; i + 1 < count; i += 2) run._setup.Cables.Add(ModelCable.Connect(devices[i], devices[i + 1]));
            prepare?.Invoke(devices);
            return run.Execute([.. devices]);
        }
        finally
        {
            foreach (var device in devices) device.Dispose();
        }
    }

    /// <summary>Runs on real devices opened by the caller (one for gen, sink and fwd --reflect; two for fwd).</summary>
    public static int OnDevices(CliContext context, TrafficOptions options, IReadOnlyList<IPciFunction> functions, TeardownOnSignal? signals, Action? started = null)
        => new TrafficRun(context, options, signals) { Started = started }.Execute(functions);

    /// <summary>The roles of the NICs, in order, for the command and topology.</summary>
    private (string Role, bool Own)[] Roles() => (_options.Command, _options.OnModel, _options.Reflect) switch
    {
        (TrafficCommand.Gen, true, _) => [("gen", true), ("the model's sink", false)],
        (TrafficCommand.Sink, true, _) => [("the model's generator", false), ("sink", true)],
        (TrafficCommand.Fwd, true, false) => [("the model's tester: generator", false), ("fwd port 0", true), ("fwd port 1", true), ("the model's tester: sink", false)],
        (TrafficCommand.Fwd, true, true) => [("the model's tester", false), ("fwd, reflecting", true)],
        (TrafficCommand.Gen, false, _) => [("gen", true)],
        (TrafficCommand.Sink, false, _) => [("sink", true)],
        (TrafficCommand.Fwd, false, false) => [("fwd port 0", true), ("fwd port 1", true)],
        _ => [("fwd, reflecting", true)],
    };

    /// <summary>One line: what runs where.</summary>
    private string TopologyText(IReadOnlyList<string> n) => (_options.Command, _options.OnModel, _options.Reflect) switch
    {
        (TrafficCommand.Gen, true, _) => "gvnic gen on the device model: " + n[0] + " sends to " + n[1] + " (the model's sink, which counts and checks) over a simulated cable",
        (TrafficCommand.Sink, true, _) => "gvnic sink on the device model: " + n[1] + " receives from " + n[0] + " (the model's generator) over a simulated cable",
        (TrafficCommand.Fwd, true, false) => "gvnic fwd on the device model: tester " + n[0] + " → " + n[1] + " ⇄ fwd ⇄ " + n[2] + " → tester " + n[3] + " (two simulated cables)",
        (TrafficCommand.Fwd, true, true) => "gvnic fwd --reflect on the device model: tester " + n[0] + " ⇄ " + n[1] + ", which sends every frame back (one simulated cable)",
        (TrafficCommand.Gen, false, _) => "gvnic gen on " + n[0] + " to " + _options.Destination,
        (TrafficCommand.Sink, false, _) => "gvnic sink on " + n[0],
        (TrafficCommand.Fwd, false, false) => "gvnic fwd between " + n[0] + " and " + n[1],
        _ => "gvnic fwd --reflect on " + n[0],
    };

    private int Execute(IReadOnlyList<IPciFunction> functions)
    {
        int code = ExitCodes.DeviceError;
        try
        {
            BringUp(functions);
            Build();
            code = Traffic();
        }
        finally
        {
            code = TearDown(code);
        }
        return code;
    }

    private void BringUp(IReadOnlyList<IPciFunction> functions)
    {
        var roles = Roles();
        _setup.Topology = TopologyText(functions.Select(f => f.Address).ToList());
        if (!_options.Json)
        {
            _report.Topology(_setup.Topology);
            _announced = true;
        }
        for (int i = 0; i < functions.Count; i++)
        {
            TrafficNic nic;
            try
            {
                nic = TrafficNic.Open(functions[i], roles[i].Role, _options.Format, _options.Queues, roles[i].Own);
            }
            catch (NicConfigurationException e)
            {
                throw new UsageException(OptionFor(e) + e.Message);
            }
            if (_options.OnModel) nic.Ip = TrafficSetup.ModelIp(i);
            _setup.Nics.Add(nic);
            if (!_options.Json) _report.NicUp(nic);
        }
    }

    /// <summary>Tears every NIC down (last first), reports it and the summary's JSON, and returns the final exit code.</summary>
    private int TearDown(int code)
    {
        var results = new List<(TrafficNic Nic, int Kept, string? Error)>();
        for (int i = _setup.Nics.Count - 1; i >= 0; i--)
        {
            var nic = _setup.Nics[i];
            try
            {
                results.Add((nic, nic.TearDown(), null));
            }
            catch (GvnicException e)
            {
                results.Add((nic, nic.Pci.Dma.OutstandingRegions, e.Message));
            }
        }
        results.Reverse();
        int violations = 0;
        foreach (var nic in _setup.Nics)
        {
            if (nic.Model is null) continue;
            var found = nic.Model.Violations;
            violations += found.Count;
            if (found.Count > 0 && _announced) _report.Violations(nic.Name, found.Select(v => v.ToString()).ToList());
        }
        bool clean = results.All(r => r.Kept == 0 && r.Error is null) && violations == 0;
        if (!clean && code == ExitCodes.Ok) code = ExitCodes.DeviceError;
        if (results.Count > 0 && _announced) _report.TornDown(results, violations);
        if (_ran && _options.Json) _context.Out.WriteLine(TrafficJson.Summary(_options, _setup, _summary, code, results, violations));
        if (_summary.Failure is not null) _context.Error.WriteLine("gvnic: " + _summary.Failure);
        if (code == ExitCodes.Interrupted)
        {
            var total = _summary.Total?.Counts ?? default;
            _context.Error.WriteLine("gvnic: interrupted by " + _summary.StopReason + " after " + TrafficReport.Count(total.TxFrames) + " frames out and "
                + TrafficReport.Count(total.RxFrames) + " in; " + (clean ? "every NIC was torn down and every DMA region returned" : "the teardown left DMA memory allocated (above)"));
        }
        return code;
    }

    /// <summary>Addresses, template and workers, for the command and topology.</summary>
    private void Build()
    {
        var nics = _setup.Nics;
        switch (_options.Command, _options.OnModel, _options.Reflect)
        {
            case (TrafficCommand.Gen, true, _):
                _setup.MakeTemplate(nics[0], nics[1].Mac, nics[1].Ip!, _options);
                _setup.AddGenerators(nics[0], "gen", _options, own: true);
                _setup.AddSinks(nics[1], "peer sink", own: false, timedRun: _setup.Template!.Run);
                _setup.LatencyKind = "one way, " + nics[0].Name + " to " + nics[1].Name + ", on one clock";
                break;
            case (TrafficCommand.Sink, true, _):
                _setup.MakeTemplate(nics[0], nics[1].Mac, nics[1].Ip!, _options);
                _setup.Budget = new FrameBudget(_options.Frames);
                _setup.AddSinks(nics[1], "sink", own: true, timedRun: _setup.Template!.Run);
                _setup.AddGenerators(nics[0], "peer gen", _options, own: false);
                _setup.LatencyKind = "one way, " + nics[0].Name + " to " + nics[1].Name + ", on one clock";
                break;
            case (TrafficCommand.Fwd, true, false):
                _setup.MakeTemplate(nics[0], nics[1].Mac, nics[3].Ip!, _options);
                _setup.Budget = new FrameBudget(_options.Frames);
                _setup.AddForwarders([nics[1], nics[2]], _options.Mode);
                _setup.AddGenerators(nics[0], "tester gen", _options, own: false);
                _setup.AddSinks(nics[3], "tester sink", own: false, timedRun: _setup.Template!.Run);
                _setup.LatencyKind = "tester " + nics[0].Name + " through the forwarder to tester " + nics[3].Name + ", on one clock";
                break;
            case (TrafficCommand.Fwd, true, true):
                _setup.MakeTemplate(nics[0], nics[1].Mac, nics[1].Ip!, _options);
                _setup.Budget = new FrameBudget(_options.Frames);
                _setup.AddForwarders([nics[1]], _options.Mode);
                _setup.AddGenerators(nics[0], "tester", _options, own: false);
                _setup.Timed.AddRange(_setup.Generators);
                _setup.LatencyKind = "round trip, tester " + nics[0].Name + " to " + nics[1].Name + " and back";
                break;
            case (TrafficCommand.Gen, false, _):
                Discover(nics[0]);
                _setup.AddGenerators(nics[0], "gen", _options, own: true);
                _setup.Timed.AddRange(_setup.Generators);
                _setup.LatencyKind = "round trip, frames that came back to " + nics[0].Name;
                break;
            case (TrafficCommand.Sink, false, _):
                _setup.Budget = new FrameBudget(_options.Frames);
                _setup.AddSinks(nics[0], "sink", own: true, timedRun: null);
                break;
            default:
                _setup.Budget = new FrameBudget(_options.Frames);
                _setup.AddForwarders([.. nics], _options.Mode);
                break;
        }
    }

    private void Discover(TrafficNic nic)
    {
        var found = AddressDiscovery.Run(nic, ReplyTimeout, _signals?.Token ?? CancellationToken.None);
        nic.Ip = found.Self;
        if (!_options.Json) _report.Note(true, found.Text);
        _setup.MakeTemplate(nic, found.RouterMac, _options.Destination!, _options);
    }

    /// <summary>The plan lines, the threads, the monitor loop, the stop and the summary; returns the exit code.</summary>
    private int Traffic()
    {
        bool json = _options.Json;
        var signal = _signals?.Token ?? CancellationToken.None;
        var all = _setup.All();
        PlaceThreads(all);
        using var group = new WorkerGroup(all);
        group.Start();
        _summary.Pinning = PinningText(group);
        if (!json) _report.Plan(FramesText(), _summary.Pinning);

        var gcBefore = new[] { GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2) };
        TimeSpan pauseBefore = GC.GetTotalPauseDuration();
        long start = Stopwatch.GetTimestamp();
        group.Go();
        _ran = true;
        Started?.Invoke();

        var monitor = new Monitor(this, group, start);
        if (!json && _report.Interactive)
        {
            var table = _report.IntervalTable();
            _context.Console.Live(table).Start(live => monitor.Loop(signal, (time, rows, total) =>
            {
                _report.FillInterval(table, time, rows, _options.Queues > 1 ? total : null, _options.Command != TrafficCommand.Sink);
                live.Refresh();
            }));
        }
        else
        {
            bool first = true;
            monitor.Loop(signal, (time, rows, total) =>
            {
                if (json) _context.Out.WriteLine(TrafficJson.Interval(_options, time, _options.Interval.TotalSeconds, rows, total));
                else _report.WriteInterval(time, rows, _options.Queues > 1 ? total : null, _options.Command != TrafficCommand.Sink, first);
                first = false;
            });
        }
        _summary.Seconds = Stopwatch.GetElapsedTime(start).TotalSeconds;
        if (monitor.StopReason != "error") Drain(group);
        group.Stop();

        for (int g = 0; g < 3; g++) _summary.Collections[g] = GC.CollectionCount(g) - gcBefore[g];
        _summary.GcPause = GC.GetTotalPauseDuration() - pauseBefore;
        for (int i = 0; i < all.Count; i++) _summary.ThreadAllocatedBytes += group.AllocatedBytes(i);
        _summary.StopReason = monitor.StopReason == "signal" ? _signals?.Signal ?? "a signal" : monitor.StopReason;
        if (group.Failure is Exception failure)
            _summary.Failure = group.Failed!.Name + ": " + ErrorClassifier.Message(failure);
        Summarise();
        if (!json) _report.Summary(_summary, _setup);

        if (_summary.Failure is not null) return ExitCodes.DeviceError;
        long bad = _summary.Total!.Counts.RxBad + _summary.Peers.Sum(p => p.Counts.RxBad);
        if (bad > 0)
        {
            _summary.Failure = TrafficReport.Count(bad) + " generated frames arrived damaged (wrong lengths, IPv4 checksum or payload)";
            return ExitCodes.DeviceError;
        }
        return monitor.StopReason == "signal" ? ExitCodes.Interrupted : ExitCodes.Ok;
    }

    /// <summary>Own threads go to the CPUs this process may use, in turn; the model's peers are not pinned.</summary>
    private void PlaceThreads(List<TrafficWorker> all)
    {
        var cpus = CpuAffinity.AllowedCpus(out string? why);
        _cpuProblem = why;
        _cpuCount = cpus?.Count ?? 0;
        if (cpus is null || cpus.Count == 0) return;
        for (int i = 0; i < _setup.Own.Count; i++) _setup.Own[i].Cpu = cpus[i % cpus.Count];
    }

    private string PinningText(WorkerGroup group)
    {
        var own = _setup.Own;
        string peers = _setup.Peers.Count > 0 ? "; the model's peer threads are not pinned" : "";
        if (_cpuProblem is not null) return "not pinned: " + _cpuProblem + peers;
        var problems = new List<string>();
        var placed = new List<string>();
        for (int i = 0; i < own.Count; i++)
        {
            if (group.IsPinned(i)) placed.Add("queue pair " + own[i].Queue + " on CPU " + own[i].Cpu);
            else problems.Add("queue pair " + own[i].Queue + " not pinned: " + group.PinProblem(i));
        }
        string text = string.Join(", ", placed.Concat(problems));
        if (own.Count > _cpuCount)
            text += " (" + TrafficReport.Plural(own.Count, "queue pair") + " on " + TrafficReport.Plural(_cpuCount, "CPU") + ": threads share CPUs)";
        _summary.PinnedAlone = problems.Count == 0 && own.Count <= _cpuCount;
        return text + peers;
    }

    private string FramesText()
    {
        if (_setup.Template is not FrameTemplate t)
            return _options.Command == TrafficCommand.Sink ? "whatever arrives; generated frames are checked" : "whatever arrives, forwarded (" + ModeName(_options.Mode) + ")";
        int flows = _options.Flows;
        string text = _options.Sizes.Describe(_setup.SizeTable) + ", UDP from " + t.SourceIp + " ports " + TrafficFrame.FirstSourcePort + "-" + (TrafficFrame.FirstSourcePort + flows - 1)
            + " (" + TrafficReport.Plural(flows, "flow") + ") to " + t.DestinationIp + " port " + TrafficFrame.DestinationPort + ", "
            + (_options.Rate > 0 ? _options.Rate.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " frames/s" : "as fast as possible")
            + ", " + Limit();
        if (_options.Command == TrafficCommand.Fwd) text += "; forwarded " + ModeName(_options.Mode);
        return text;
    }

    private string Limit()
    {
        var parts = new List<string>();
        if (_options.Frames is long n) parts.Add(n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " frames " + (_options.Command switch { TrafficCommand.Gen => "sent", TrafficCommand.Sink => "received", _ => "forwarded" }));
        if (_options.Duration is TimeSpan d) parts.Add(d.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s");
        return parts.Count == 0 ? "until Ctrl-C" : "until " + string.Join(" or ", parts);
    }

    /// <summary><c>io</c>, <c>macswap</c>, <c>5tswap</c>.</summary>
    public static string ModeName(ForwardMode mode) => mode switch { ForwardMode.Io => "io", ForwardMode.MacSwap => "macswap", _ => "5tswap" };

    /// <summary>Generators stop first; then everything runs until nothing moves for a moment (what was in flight has arrived), at most 2 s.</summary>
    private void Drain(WorkerGroup group)
    {
        foreach (var g in _setup.Generators) g.Quiesce = true;
        long deadline = Stopwatch.GetTimestamp() + (long)(DrainAtMost.TotalSeconds * Stopwatch.Frequency);
        long quietTicks = (long)(QuietFor.TotalSeconds * Stopwatch.Frequency);
        long last = -1;
        long since = Stopwatch.GetTimestamp();
        while (Stopwatch.GetTimestamp() < deadline && group.Failure is null)
        {
            long moved = 0;
            bool inFlight = false;
            foreach (var w in group.Workers)
            {
                var c = w.Counters.Snapshot();
                moved += c.RxFrames + c.TxFrames;
                inFlight |= c.TxInFlight > 0 && w is GenWorker;
            }
            long now = Stopwatch.GetTimestamp();
            if (moved != last)
            {
                last = moved;
                since = now;
            }
            else if (!inFlight && now - since >= quietTicks)
            {
                return;
            }
            Thread.Sleep(5);
        }
    }

    /// <summary>The per-queue totals, the peers, latency and the model's drops.</summary>
    private void Summarise()
    {
        CounterSnapshot sum = default;
        foreach (var w in _setup.Own)
        {
            var c = w.Counters.Snapshot();
            sum += c;
            _summary.Queues.Add(new QueueRow(w.Queue, w.Cpu, c, Math.Max(_summary.Seconds, 1e-9), w.Ports[0].TxRingSize));
        }
        _summary.Total = new QueueRow(-1, null, sum, Math.Max(_summary.Seconds, 1e-9), _setup.Own[0].Ports[0].TxRingSize);
        foreach (var nic in _setup.Nics.Where(n => !n.Own))
        {
            CounterSnapshot peer = default;
            foreach (var w in _setup.Peers.Where(p => p.Ports[0].Nic == nic.Nic)) peer += w.Counters.Snapshot();
            _summary.Peers.Add(new PeerResult(nic, peer));
        }
        if (_setup.LatencyKind is not null && _setup.Timed.Count > 0)
        {
            var merged = new LatencyHistogram();
            foreach (var w in _setup.Timed) if (w.Latency is not null) merged.Add(w.Latency);
            _summary.Latency = merged;
            _summary.LatencyKind = _setup.LatencyKind;
        }
        foreach (var nic in _setup.Nics)
        {
            if (nic.Model is null) continue;
            long drops = 0;
            for (int q = 0; q < nic.Nic.RxQueueCount; q++) drops += nic.Model.RxStatistics(q).NoBufferDrops;
            _summary.ModelNoBufferDrops.Add((nic.Name, drops));
        }
    }

    /// <summary>Which command-line option a configuration error is about, as a message prefix.</summary>
    private string OptionFor(NicConfigurationException e) => e.Option switch
    {
        nameof(NicOptions.QueueFormat) when _options.Format is Gvnic.Wire.QueueFormat f => "--format " + Commands.ScenarioOptionSet.CliName(f) + ": ",
        nameof(NicOptions.TxQueues) or nameof(NicOptions.RxQueues) => "--queues " + _options.Queues + ": ",
        _ => "",
    };

    /// <summary>
    /// The monitor: every poll it checks for the end of the run and for faults to recover; every interval it runs the
    /// driver's periodic check with the threads paused and reports each queue's rates.
    /// </summary>
    private sealed class Monitor(TrafficRun run, WorkerGroup group, long start)
    {
        public string StopReason { get; private set; } = "";

        public void Loop(CancellationToken signal, Action<double, List<QueueRow>, QueueRow> interval)
        {
            var options = run._options;
            var own = run._setup.Own;
            long intervalTicks = (long)(options.Interval.TotalSeconds * Stopwatch.Frequency);
            long next = start + intervalTicks;
            long previousTick = start;
            var previous = new CounterSnapshot[own.Count];
            while (true)
            {
                long now = Stopwatch.GetTimestamp();
                long wait = Math.Min(next - now, (long)(PollEvery.TotalSeconds * Stopwatch.Frequency));
                if (wait > 0) signal.WaitHandle.WaitOne(TimeSpan.FromSeconds((double)wait / Stopwatch.Frequency));
                now = Stopwatch.GetTimestamp();
                if (group.Failure is not null) { StopReason = "error"; return; }
                if (signal.IsCancellationRequested) { StopReason = "signal"; return; }
                if (group.FaultWaiting && !Recover()) { StopReason = "error"; return; }
                if (now >= next)
                {
                    if (!Service()) { StopReason = "error"; return; }
                    var rows = new List<QueueRow>();
                    CounterSnapshot sum = default;
                    double seconds = (double)(now - previousTick) / Stopwatch.Frequency;
                    for (int i = 0; i < own.Count; i++)
                    {
                        var c = own[i].Counters.Snapshot();
                        var delta = c - previous[i];
                        previous[i] = c;
                        sum += delta;
                        rows.Add(new QueueRow(own[i].Queue, own[i].Cpu, delta, seconds, own[i].Ports[0].TxRingSize));
                    }
                    interval((double)(now - start) / Stopwatch.Frequency, rows, new QueueRow(-1, null, sum, seconds, own[0].Ports[0].TxRingSize));
                    previousTick = now;
                    next += intervalTicks;
                    if (next <= now) next = now + intervalTicks;
                }
                if (options.Duration is TimeSpan d && now - start >= (long)(d.TotalSeconds * Stopwatch.Frequency)) { StopReason = "duration"; return; }
                if (options.Frames is not null && own.All(w => w.Finished)) { StopReason = "frames"; return; }
            }
        }

        /// <summary>With every thread paused: the driver's periodic check on every NIC, and a recovery where it is needed.</summary>
        private bool Service()
        {
            if (!group.Pause(PauseAtMost))
            {
                group.Resume();
                return true; // a thread is inside a long call; check next interval
            }
            try
            {
                foreach (var nic in run._setup.Nics)
                {
                    string? reason = null;
                    try
                    {
                        nic.Nic.Service();
                    }
                    catch (DeviceFaultException e)
                    {
                        reason = "device fault: " + e.Message;
                    }
                    if (reason is null && nic.Nic.ResetRequested) reason = "the device asked for a reset (device_status RESET)";
                    if (reason is null) reason = PortFault(nic);
                    if (reason is not null && !RecoverOne(nic, reason)) return false;
                }
                return true;
            }
            finally
            {
                group.Resume();
            }
        }

        /// <summary>A worker met a device fault: pause everyone and recover its NIC.</summary>
        private bool Recover()
        {
            if (!group.Pause(PauseAtMost))
            {
                group.Resume();
                return true; // a thread is still inside a call: try again at the next poll (the faulted one waits parked)
            }
            try
            {
                foreach (var nic in run._setup.Nics)
                    if (PortFault(nic) is string reason && !RecoverOne(nic, reason)) return false;
                return true;
            }
            finally
            {
                group.Resume();
            }
        }

        private string? PortFault(TrafficNic nic)
        {
            foreach (var w in group.Workers)
                foreach (var port in w.Ports)
                    if (port.Nic == nic.Nic && port.Fault is DeviceFaultException e) return "device fault: " + e.Message;
            return null;
        }

        private bool RecoverOne(TrafficNic nic, string reason)
        {
            try
            {
                string note = nic.Recover(reason);
                run._summary.Recoveries.Add(note);
                if (!run._options.Json && !run._report.Interactive) run._report.Note(false, note);
            }
            catch (Exception e) when (e is GvnicException or InvalidOperationException)
            {
                run._summary.Failure = nic.Name + ": recovery failed: " + ErrorClassifier.Message(e);
                return false;
            }
            finally
            {
                foreach (var w in group.Workers)
                    foreach (var port in w.Ports)
                        if (port.Nic == nic.Nic)
                        {
                            port.Fault = null;
                            port.ForgetTxBuffers(); // the recovered NIC has new queues: the buffers lent by the old ones are gone
                        }
            }
            return true;
        }
    }
}
