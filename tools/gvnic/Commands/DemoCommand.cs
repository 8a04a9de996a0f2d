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
/// <c>gvnic demo</c>: the whole driver on the built-in device model, no setup: bring-up with each admin command as the
/// device runs it, DHCP DISCOVER/OFFER, ARP, ping and a UDP echo traffic run against a responder on the simulated
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
        var config = new SimulatedDeviceConfig();
        using var device = new SimulatedGvnic(config);
        prepare?.Invoke(device);
        var responder = new Responder();
        var wire = VirtualWire.Responder(responder.Respond);
        device.AttachWire(wire);
        var target = new ScenarioTarget(device,
            device.Address + ": the built-in device model (gVNIC " + device.VendorId.ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + ":"
            + device.DeviceId.ToString("x4", System.Globalization.CultureInfo.InvariantCulture) + " rev " + device.RevisionId + ", up to "
            + config.MaxTxQueues + " queues) on a simulated wire to a router at " + Responder.RouterIp,
            () => device.AdminCommands.Select(c => (CommandName(c.Opcode), EnumName("adminq_statuses", (ulong)c.Status))).ToList());
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
                + responder.Offers + " DHCP offer, " + responder.ArpReplies + " ARP reply, " + responder.EchoReplies + " echo reply, " + responder.UdpEchoes + " UDP echoes");
        }
        else
        {
            context.Console.MarkupLine("[red]✗[/] the device model saw " + violations.Count + " protocol violation" + (violations.Count == 1 ? "" : "s") + ":");
            foreach (var v in violations.Take(10)) context.Console.WriteLine("    " + v);
        }
        observe?.Invoke(device, wire, responder);
        return result.Ok && violations.Count == 0 ? ExitCodes.Ok : ExitCodes.DeviceError;
    }

    /// <summary>Which option a configuration error is about, as a message prefix.</summary>
    internal static string OptionFor(NicConfigurationException e, ScenarioOptions options)
    {
        if (options.Format is not null && e.Message.Contains("format", StringComparison.OrdinalIgnoreCase))
            return "--format " + ScenarioOptionSet.FormatNames[FormatIndex(options.Format.Value)] + ": ";
        if (e.Message.Contains("queue", StringComparison.OrdinalIgnoreCase) && options.Queues != 1)
            return "--queues " + options.Queues + ": ";
        return "";
    }

    private static int FormatIndex(QueueFormat format) => format switch
    {
        QueueFormat.GqiQpl => 0,
        QueueFormat.GqiRda => 1,
        QueueFormat.DqoRda => 2,
        _ => 3,
    };

    /// <summary><c>DESCRIBE_DEVICE</c>: the schema name of an opcode, upper case as upstream writes it.</summary>
    internal static string CommandName(AdminqOpcodes opcode) => EnumName("adminq_opcodes", (ulong)opcode).ToUpperInvariant();

    private static string EnumName(string enumName, ulong value)
    {
        var e = GvnicCatalog.FindEnum(enumName);
        var match = e?.Values.FirstOrDefault(v => v.Value == value);
        return match?.Name ?? "0x" + value.ToString("x", System.Globalization.CultureInfo.InvariantCulture);
    }
}
