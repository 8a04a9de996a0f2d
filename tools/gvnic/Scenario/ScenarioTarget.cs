using Gvnic.Platform;

namespace Gvnic.Cli.Scenario;

/// <summary>The device a scenario runs on.</summary>
/// <param name="Pci">The PCI function (simulated or VFIO).</param>
/// <param name="Description">How to name it in the output.</param>
internal sealed record ScenarioTarget(IPciFunction Pci, string Description);
