using System;
using System.Collections.Generic;
using System.CommandLine;
using System.Linq;
using Gvnic.Cli.Scenario;
using Gvnic.Driver;
using Gvnic.Simulator;
using Gvnic.Wire;
using Spectre.Console;

namespace Gvnic.Cli.Commands;

/// <summary>
/// <c>gvnic demo</c>: the whole driver on the built-in device model, no setup: bring-up with each step the driver reports, DHCP DISCOVER/OFFER, ARP, ping and a UDP echo traffic run against a responder on the simulated
/// wire, statistics, evidence, teardown.
/// </summary>
internal static class DemoCommand
{
    /// <summary>Builds the command.</summary>
    public static Command Create(CliContext context)
    {
        var options = new ScenarioOptionSet(defaultFrames: 1000);
        var command = new Command("demo", "Bring up a simulated gVNIC (the built-in device model, no setup), talk DHCP, ARP, ICMP and UDP echo to a responder on its wire, show statistics and tear down.");
        options.AddTo(command);
        command.SetAction(p => GvnicApp.Guard(context, () => Run(context, options.Read(p, TimeSpan.FromSeconds(2)), null, null)));
        return command;
    }

    /// <summary>
    /// Runs the demo. For tests: <paramref name="prepare"/> sees the device before bring-up (fault injection), and
    /// <paramref name="observe"/> sees the device, its wire and the responder after teardown.
    /// </summary>
    public static int Run(CliContext context, ScenarioOptions options, Action<SimulatedGvnic, VirtualWire, Responder>? observe, Action<SimulatedGvnic>? prepare)
    {
        // With --timestamps the demo's device offers NIC timestamps (with the DQO formats); without, it describes itself as ever.
        // As many MSI-X vectors as GCE gives a VM with the model's four queues: 2 × 4 notification blocks and management.
        var config = new SimulatedDeviceConfig { TimeProvider = context.Time, NicTimestamp = options.Timestamps, MsixVectors = 9 };
        using var device = new SimulatedGvnic(config);
        prepare?.Invoke(device);
        var responder = new Responder();
        var wire = VirtualWire.Responder(responder.Respond);
        wire.Clock = context.Time;
        device.AttachWire(wire);
        var target = new ScenarioTarget(device,
            device.Address + ": the built-in device model (gVNIC " + device.VendorId.ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + ":"
            + device.DeviceId.ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + " rev " + device.RevisionId + ", up to "
            + config.MaxTxQueues + " queues) on a simulated wire to a router at " + Responder.RouterIp);
        ScenarioResult result;
        try
        {
            result = new ScenarioRunner(context, target, options).Run();
        }
        catch (NicConfigurationException e)
        {
            throw new UsageException(OptionFor(e, options) + e.Message);
        }
        var violations = device.Violations;
        if (violations.Count == 0)
        {
            context.Console.MarkupLine("[green]✓[/] the device model saw no protocol violations; the responder sent "
                + responder.Offers + " DHCP offer, " + responder.ArpReplies + " ARP reply, " + responder.EchoReplies + " echo reply, " + responder.UdpEchoes + " UDP echoes"
                + (responder.TcpSegments > 0 ? Markup.Escape(" and took " + responder.TcpSegments + " TCP segments (" + responder.TcpBytes.ToString("N0", System.Globalization.CultureInfo.InvariantCulture) + " bytes) on its discard port") : ""));
        }
        else
        {
            context.Console.MarkupLine("[red]✗[/] the device model saw " + violations.Count + " protocol violation" + (violations.Count == 1 ? "" : "s") + ":");
            foreach (var v in violations.Take(10)) context.Console.WriteLine("    " + v);
        }
        if (responder.BadChecksums > 0)
            context.Console.MarkupLine("[red]✗[/] the responder dropped " + responder.BadChecksums + " frame" + (responder.BadChecksums == 1 ? "" : "s") + " with a wrong checksum");
        observe?.Invoke(device, wire, responder);
        return result.Ok && violations.Count == 0 && responder.BadChecksums == 0 ? ExitCodes.Ok : ExitCodes.DeviceError;
    }

    /// <summary>
    /// Which command-line option a configuration error is about, as a message prefix (<c>--queues 9: </c>), from the
    /// <see cref="NicOptions"/> property the driver names (<see cref="NicConfigurationException.Option"/>); empty when
    /// the error is about no option the command line sets.
    /// </summary>
    internal static string OptionFor(NicConfigurationException e, ScenarioOptions options) => e.Option switch
    {
        nameof(NicOptions.QueueFormat) when options.Format is QueueFormat format => "--format " + ScenarioOptionSet.CliName(format) + ": ",
        nameof(NicOptions.TxQueues) or nameof(NicOptions.RxQueues) => "--queues " + options.Queues + ": ",
        nameof(NicOptions.Timestamps) => "--timestamps: ",
        nameof(NicOptions.Mtu) when options.Mtu is int mtu => "--mtu " + mtu + ": ",
        _ => "",
    };
}
