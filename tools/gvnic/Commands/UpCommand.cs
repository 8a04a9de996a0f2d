using System;
using System.CommandLine;
using System.Linq;
using Gvnic.Cli.Scenario;
using Gvnic.Driver;
using Gvnic.Platform;
using Gvnic.Runtime.Vfio;

namespace Gvnic.Cli.Commands;

/// <summary>
/// <c>gvnic up [--pci ADDRESS]</c>: the demo's scenario on a real gVNIC through VFIO (docs/gce.md, docs/vfio.md): the
/// DHCP server, router and ping target are the real network's. Without <c>--pci</c> it takes the one gVNIC bound to
/// vfio-pci. Ctrl-C or SIGTERM stops the scenario and tears the device down before the process exits.
/// </summary>
internal static class UpCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var pci = new Option<string?>("--pci") { Description = "The gVNIC's PCI address, bound to vfio-pci (e.g. 0000:00:05.0; default: the one gVNIC bound to vfio-pci; see docs/gce.md).", HelpName = "ADDRESS" };
        var noIommu = new Option<bool>("--unsafe-noiommu") { Description = "Accept VFIO's unsafe no-IOMMU mode (GCE VMs without a virtual IOMMU; needs root and 2 MiB huge pages)." };
        var options = new ScenarioOptionSet(defaultFrames: 0);
        var command = new Command("up", "Bring up a real gVNIC through VFIO and run the demo's scenario on its network: DHCP DISCOVER/OFFER, ARP for the router, ping, optional UDP traffic, statistics, teardown.") { pci, noIommu };
        options.AddTo(command);
        command.SetAction(p => GvnicApp.Guard(context, () => Run(context, p.GetValue(pci), p.GetValue(noIommu), options.Read(p, TimeSpan.FromSeconds(3)))));
        return command;
    }

    /// <summary>Finds and opens the device, runs the scenario, releases the device.</summary>
    public static int Run(CliContext context, string? address, bool allowNoIommu, ScenarioOptions options)
    {
        var vfioOptions = new VfioOptions
        {
            SysfsRoot = context.SysfsRoot,
            DevVfioDirectory = context.DevVfioDirectory,
            AllowUnsafeNoIommu = allowNoIommu,
        };
        string chosen = Choose(address, vfioOptions);
        string flag = address is null ? "" : "--pci " + chosen + ": ";
        VfioPciFunction function;
        try
        {
            function = VfioPciFunction.Open(chosen, vfioOptions);
        }
        catch (VfioSetupException e)
        {
            throw new UsageException(flag + e.Message + CliHints(e));
        }

        var signals = new TeardownOnSignal(context.Error);
        try
        {
            signals.EmergencyStop = function.DisableBusMaster;
            var target = new ScenarioTarget(function, function + ", gVNIC rev " + function.RevisionId);
            return RunScenario(context, target, options, signals);
        }
        finally
        {
            signals.EmergencyStop = null;
            function.Dispose();
            signals.Dispose(); // after the device is released: a signal during its release must not kill the process midway
            foreach (var problem in function.CloseProblems) context.Error.WriteLine("gvnic: warning: releasing " + function.Address + ": " + problem.Message);
        }
    }

    /// <summary>
    /// The scenario on an opened device with <paramref name="signals"/> able to stop it: exit 0 when every step
    /// succeeded, 1 when one failed, <see cref="ExitCodes.Interrupted"/> when a signal stopped it (after teardown).
    /// </summary>
    internal static int RunScenario(CliContext context, ScenarioTarget target, ScenarioOptions options, TeardownOnSignal signals)
    {
        ScenarioResult result;
        try
        {
            result = new ScenarioRunner(context, target, options with { Cancellation = signals.Token }).Run();
        }
        catch (NicConfigurationException e)
        {
            throw new UsageException(DemoCommand.OptionFor(e, options) + e.Message);
        }

        if (result.Interrupted)
        {
            IDmaAllocator dma = target.Pci.Dma;
            context.Error.WriteLine("gvnic: interrupted by " + signals.Signal + " after " + result.FramesOut + " frames out and " + result.FramesIn + " in; the gVNIC was torn down"
                + (result.RegionsKept == 0 ? " and every DMA region returned" : ", but " + dma.OutstandingRegions + " DMA regions are still allocated"));
            return ExitCodes.Interrupted;
        }

        return result.Ok ? ExitCodes.Ok : ExitCodes.DeviceError;
    }

    /// <summary><paramref name="address"/> checked, or the one gVNIC bound to vfio-pci.</summary>
    private static string Choose(string? address, VfioOptions options)
    {
        if (address is not null)
        {
            if (!PciAddress.TryParse(address, out var parsed))
                throw new UsageException("--pci '" + address + "' is not a PCI address; write domain:bus:slot.function, e.g. 0000:00:05.0 ('lspci -D -d " + PciIds.Text + "' lists the gVNICs)");
            return parsed.ToString();
        }

        try
        {
            return new PciDiscovery(options.SysfsRoot, options.DevVfioDirectory).FindGvnicForVfio();
        }
        catch (VfioSetupException e)
        {
            throw new UsageException(e.Message);
        }
    }

    /// <summary>Where a fix names a library option, the command-line spelling of it.</summary>
    private static string CliHints(VfioSetupException e) =>
        e.Problems.Any(p => p.Kind == PciProblemKind.NoIommuMode)
            ? Environment.NewLine + "  (with gvnic up: add --unsafe-noiommu, run as root, and reserve 2 MiB huge pages; docs/gce.md)"
            : "";
}
