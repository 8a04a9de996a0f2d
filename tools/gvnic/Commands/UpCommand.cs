using System;
using System.CommandLine;
using Gvnic.Cli.Scenario;
using Gvnic.Driver;
using Gvnic.Runtime.Vfio;

namespace Gvnic.Cli.Commands;

/// <summary>
/// <c>gvnic up --pci ADDRESS</c>: the demo's scenario on a real gVNIC through VFIO (docs/vfio.md): the DHCP server,
/// router and ping target are the real network's.
/// </summary>
internal static class UpCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var pci = new Option<string>("--pci") { Description = "The gVNIC's PCI address, bound to vfio-pci (e.g. 0000:00:05.0; see docs/vfio.md).", Required = true, HelpName = "ADDRESS" };
        var noIommu = new Option<bool>("--unsafe-noiommu") { Description = "Accept VFIO's unsafe no-IOMMU mode (GCE VMs without a virtual IOMMU)." };
        var options = new ScenarioOptionSet(defaultFrames: 0);
        var command = new Command("up", "Bring up a real gVNIC through VFIO and run the demo's scenario on its network: DHCP DISCOVER/OFFER, ARP for the router, ping, optional UDP traffic, statistics, teardown.") { pci, noIommu };
        options.AddTo(command);
        command.SetAction(p => GvnicApp.Guard(context, () => Run(context, p.GetValue(pci)!, p.GetValue(noIommu), options.Read(p, TimeSpan.FromSeconds(3)))));
        return command;
    }

    /// <summary>Opens the device and runs the scenario.</summary>
    public static int Run(CliContext context, string address, bool allowNoIommu, ScenarioOptions options)
    {
        if (!PciAddress.TryParse(address, out var parsed))
            throw new UsageException("--pci '" + address + "' is not a PCI address; write domain:bus:slot.function, e.g. 0000:00:05.0 ('lspci -D -d 1ae0:0042' lists the gVNICs)");
        VfioPciFunction function;
        try
        {
            function = VfioPciFunction.Open(parsed.ToString(), new VfioOptions
            {
                SysfsRoot = context.SysfsRoot,
                DevVfioDirectory = context.DevVfioDirectory,
                AllowUnsafeNoIommu = allowNoIommu,
            });
        }
        catch (VfioSetupException e)
        {
            throw new UsageException("--pci " + parsed + ": " + e.Message);
        }
        using (function)
        {
            var target = new ScenarioTarget(function, function + ", gVNIC rev " + function.RevisionId);
            try
            {
                var result = new ScenarioRunner(context, target, options).Run();
                return result.Ok ? ExitCodes.Ok : ExitCodes.DeviceError;
            }
            catch (NicConfigurationException e)
            {
                throw new UsageException(DemoCommand.OptionFor(e, options) + e.Message);
            }
        }
    }
}
