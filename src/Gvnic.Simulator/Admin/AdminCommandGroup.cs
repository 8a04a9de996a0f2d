using Gvnic.Simulator.Device;

namespace Gvnic.Simulator.Admin;

/// <summary>The base of the handler groups: each executes the commands of one concern against the device state in its <see cref="AdminCommandContext"/>.</summary>
internal abstract class AdminCommandGroup(AdminCommandContext context)
{
    protected AdminCommandContext Context { get; } = context;

    protected SimulatedDeviceConfig Config => Context.Config;

    protected DeviceState State => Context.State;
}
