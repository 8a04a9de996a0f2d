namespace Gvnic.Runtime.Vfio;

/// <summary>Where a PCI function's VFIO group lives.</summary>
/// <param name="Group">The IOMMU group number.</param>
/// <param name="DevicePath">The group's device node, <c>/dev/vfio/12</c> or <c>/dev/vfio/noiommu-0</c>.</param>
/// <param name="IsNoIommu">Whether the group is one of VFIO's unsafe no-IOMMU groups.</param>
public sealed record VfioGroupLocation(int Group, string DevicePath, bool IsNoIommu);
