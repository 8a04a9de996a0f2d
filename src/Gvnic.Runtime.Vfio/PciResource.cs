namespace Gvnic.Runtime.Vfio;

/// <summary>One memory or I/O range of a PCI function, from sysfs <c>resource</c>.</summary>
/// <param name="Index">The line in <c>resource</c>: 0–5 are BAR0–BAR5, 6 the expansion ROM.</param>
/// <param name="Start">The host physical start address.</param>
/// <param name="Size">The length in bytes.</param>
/// <param name="Flags">The kernel's resource flags (IORESOURCE_*).</param>
public sealed record PciResource(int Index, ulong Start, ulong Size, ulong Flags);
