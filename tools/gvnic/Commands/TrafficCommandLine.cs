using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using Gvnic.Cli.Traffic;
using Gvnic.Platform;
using Gvnic.Runtime.Vfio;

namespace Gvnic.Cli.Commands;

/// <summary>
/// <c>gvnic gen</c>, <c>gvnic sink</c> and <c>gvnic fwd</c>: traffic on the device model (two simulated NICs joined by
/// its wire; four for fwd between two NICs) or on real gVNICs through VFIO (<c>--pci</c>), one thread per queue pair.
/// Ctrl-C or SIGTERM ends the run: the summary is written and every NIC torn down (exit 130). docs/cli.md.
/// </summary>
internal static class TrafficCommandLine
{
    /// <summary>Builds <paramref name="command"/>'s command.</summary>
    public static Command Create(CliContext context, TrafficCommand command)
    {
        var set = new TrafficOptionSet(command);
        var cli = command switch
        {
            TrafficCommand.Gen => new Command("gen", "Transmit generated UDP frames (sizes, flows, a rate or as fast as possible) on every queue pair, with a live per-queue table; on the device model by default, or a real gVNIC with --pci."),
            TrafficCommand.Sink => new Command("sink", "Receive on every queue pair, counting and checking generated frames (lost, late, damaged), with a live per-queue table; on the device model by default, or a real gVNIC with --pci."),
            _ => new Command("fwd", "Forward frames between two NICs, or back out of one (--reflect), in io, macswap or 5tswap mode, with a live per-queue table; the device model's tester times round trips. Real gVNICs with --pci."),
        };
        set.AddTo(cli);
        cli.SetAction(p => GvnicApp.Guard(context, () => Run(context, set.Read(p))));
        return cli;
    }

    /// <summary>Runs a checked command line; Ctrl-C and SIGTERM end the run.</summary>
    public static int Run(CliContext context, TrafficOptions options)
    {
        using var signals = new TeardownOnSignal(context.Error, register: context.HandleSignals);
        if (options.OnModel) return TrafficRun.OnModel(context, options, signals, null, context.TrafficStarted);
        return OnDevices(context, options, signals);
    }

    /// <summary>Opens every <c>--pci</c> function with VFIO as <c>gvnic up</c> does, runs, releases them.</summary>
    private static int OnDevices(CliContext context, TrafficOptions options, TeardownOnSignal signals)
    {
        var vfioOptions = new VfioOptions
        {
            SysfsRoot = context.SysfsRoot,
            DevVfioDirectory = context.DevVfioDirectory,
            AllowUnsafeNoIommu = options.UnsafeNoIommu,
        };
        var functions = new List<VfioPciFunction>();
        try
        {
            foreach (string text in options.Pci)
            {
                if (!PciAddress.TryParse(text, out var address))
                    throw new UsageException("--pci '" + text + "' is not a PCI address; write domain:bus:slot.function, e.g. 0000:00:05.0 ('lspci -D -d " + PciIds.Text + "' lists the gVNICs)");
                try
                {
                    functions.Add(VfioPciFunction.Open(address.ToString(), vfioOptions));
                }
                catch (VfioSetupException e)
                {
                    throw new UsageException("--pci " + address + ": " + e.Message + (e.Problems.Any(p => p.Kind == PciProblemKind.NoIommuMode)
                        ? Environment.NewLine + "  (add --unsafe-noiommu, run as root, and reserve 2 MiB huge pages; docs/gce.md)" : ""));
                }
            }
            signals.EmergencyStop = () =>
            {
                foreach (var function in functions) function.DisableBusMaster();
            };
            return TrafficRun.OnDevices(context, options, functions.Cast<IPciFunction>().ToList(), signals, context.TrafficStarted);
        }
        finally
        {
            signals.EmergencyStop = null;
            foreach (var function in functions)
            {
                function.Dispose();
                foreach (var problem in function.CloseProblems) context.Error.WriteLine("gvnic: warning: releasing " + function.Address + ": " + problem.Message);
            }
        }
    }
}
