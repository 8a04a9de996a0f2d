using System;
using System.Collections.Generic;
using System.IO;
using System.Threading;
using Gvnic.Simulator;
using Gvnic.Wire;

namespace Gvnic.Cli.Serve;

/// <summary>
/// Watches the served model while the server runs (every 50 ms, on its own thread): prints each protocol violation, each
/// admin command the device answered with an error, and each fired fault as it happens and each change of the device's configuration (a driver bringing it up or tearing it down),
/// and injects the device events of <c>--faults</c> at their time after the driver first configured the device.
/// </summary>
internal sealed class ServeWatcher : IDisposable
{
    private readonly SimulatedGvnic _model;
    private readonly List<ScheduledFault> _events;
    private readonly TextWriter _log;
    private readonly TimeProvider _time;
    private readonly ManualResetEventSlim _stop = new();
    private readonly Thread _thread;
    private int _violationsShown, _faultsShown, _commandsSeen;
    private QueueFormat? _configured;
    private long _configuredAt = -1;

    /// <summary>Starts watching <paramref name="model"/>, writing to <paramref name="log"/>.</summary>
    public ServeWatcher(SimulatedGvnic model, IEnumerable<ScheduledFault> events, TextWriter log, TimeProvider time)
    {
        _model = model;
        _events = new List<ScheduledFault>(events);
        _log = log;
        _time = time;
        _thread = new Thread(Loop) { IsBackground = true, Name = "gvnic serve watcher" };
        _thread.Start();
    }

    /// <summary>Stops the thread after one last look (so nothing recorded goes unprinted).</summary>
    public void Dispose()
    {
        _stop.Set();
        _thread.Join();
        _stop.Dispose();
    }

    private void Loop()
    {
        while (!_stop.Wait(50)) Look();
        Look();
    }

    private static string Enum(string schemaName, ulong value) =>
        System.Linq.Enumerable.FirstOrDefault(GvnicCatalog.FindEnum(schemaName)?.Values ?? [], v => v.Value == value)?.Name ?? "0x" + value.ToString("X", System.Globalization.CultureInfo.InvariantCulture);

    private void Look()
    {
        if (_model.ViolationLog.Count > _violationsShown)
        {
            IReadOnlyList<ProtocolViolation> all = _model.Violations;
            for (; _violationsShown < all.Count; _violationsShown++) _log.WriteLine("gvnic serve: violation: " + all[_violationsShown]);
        }

        IReadOnlyList<SimulatedGvnic.AdminCommandRecord> commands = _model.AdminCommands;
        for (; _commandsSeen < commands.Count; _commandsSeen++)
        {
            SimulatedGvnic.AdminCommandRecord c = commands[_commandsSeen];
            if (c.Status != AdminqStatuses.CommandPassed)
                _log.WriteLine("gvnic serve: admin command " + c.Sequence + " " + Enum(AdminqOpcodesInfo.SchemaName, (ulong)c.Opcode) + " answered " + Enum(AdminqStatusesInfo.SchemaName, (ulong)c.Status) + (c.Injected ? " (injected)" : ""));
        }

        IReadOnlyList<Gvnic.Simulator.Faults.FiredFault> fired = _model.FiredFaults;
        for (; _faultsShown < fired.Count; _faultsShown++) _log.WriteLine("gvnic serve: fault fired: " + fired[_faultsShown]);

        QueueFormat? now = _model.ConfiguredFormat;
        if (now != _configured)
        {
            _log.WriteLine(now is QueueFormat f
                ? "gvnic serve: the driver configured the device (" + Commands.ScenarioOptionSet.CliName(f) + ", " + _model.TxQueueCount + " TX and " + _model.RxQueueCount + " RX queues so far)"
                : "gvnic serve: the device's resources were released (device resets so far: " + _model.ResetCount + ")");
            _configured = now;
            if (now is not null && _configuredAt < 0) _configuredAt = _time.GetTimestamp();
        }

        if (_configuredAt < 0 || _events.Count == 0) return;
        TimeSpan since = _time.GetElapsedTime(_configuredAt);
        for (int i = 0; i < _events.Count;)
        {
            if (_events[i].At is TimeSpan at && at <= since)
            {
                _log.WriteLine("gvnic serve: injecting " + _events[i]);
                _model.InjectFault(_events[i].Fault);
                _events.RemoveAt(i);
            }
            else
            {
                i++;
            }
        }
    }
}
